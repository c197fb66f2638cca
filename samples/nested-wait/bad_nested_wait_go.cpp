// The nested wait of bad_nested_wait.cpp, with the reporter started by
// wg.go(). The group then knows which thread is its task, so the wait() is
// not a silent hang: the runtime reports the misuse and aborts, as Go's
// runtime would panic.
//
// Expected static findings (concheck):
//   concheck-wait-in-task at line 23 (the reporter waits on its own group)
// Expected dynamic outcome: misuse "waited on from one of its own tasks (deadlock)"

#include <concheck/wait_group.h>

#include <cstdio>

void work(int id) { std::printf("worker %d finished\n", id); }

int main() {
  concheck::wait_group wg;
  for (int id = 1; id <= 3; ++id)
    wg.go([id] { work(id); });
  wg.go([&wg] {
    // BUG: wg counts this task, so the counter cannot reach zero while it
    // waits.
    wg.wait();
    std::printf("report: all workers finished\n");
  });
  wg.wait();
  std::printf("unreachable: done\n");
}
