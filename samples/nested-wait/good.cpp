// The fix for the nested wait: the reporter waits on a group that does not
// count it. The workers have their own group; the reporter belongs to
// another, on which main waits.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/wait_group.h>

#include <cstdio>

void work(int id) { std::printf("worker %d finished\n", id); }

int main() {
  concheck::wait_group workers;
  for (int id = 1; id <= 3; ++id)
    workers.go([id] { work(id); });

  concheck::wait_group reporters;
  reporters.go([&workers] {
    workers.wait(); // fine: 'workers' does not count this task
    std::printf("report: all workers finished\n");
  });
  reporters.wait();
  std::printf("main: done\n");
}
