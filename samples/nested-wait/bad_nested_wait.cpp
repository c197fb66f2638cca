// The seed's third wait-group gotcha: a nested wait. A reporter task, counted
// by the same group as the workers, waits on that group to print a summary
// once the workers are done. But the group's counter cannot reach zero before
// the reporter's own done(), which comes only after its wait() returns: the
// reporter waits for itself, and main waits for the reporter, forever.
//
// Expected static findings (concheck):
//   concheck-wait-in-task at line 35 (the reporter waits on its own group)
// Expected dynamic outcome: deadlock (the reporter and main block in wait())

#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

void work(int id, concheck::wait_group &wg) {
  concheck::done_guard done(wg);
  std::printf("worker %d finished\n", id);
}

int main() {
  concheck::wait_group wg;
  std::vector<std::thread> threads;
  for (int id = 1; id <= 3; ++id) {
    wg.add(1);
    threads.emplace_back(work, id, std::ref(wg));
  }
  wg.add(1);
  threads.emplace_back([&wg] {
    concheck::done_guard done(wg);
    // BUG: this task is one of the tasks wg counts, and its done() runs
    // only after this wait() returns.
    wg.wait();
    std::printf("report: all workers finished\n");
  });
  std::printf("main: waiting for the workers and the reporter\n");
  std::fflush(stdout); // the program hangs next: show how far it got
  wg.wait();
  std::printf("unreachable: done\n");
  for (std::thread &t : threads)
    t.join();
}
