// The seed's first wait-group gotcha in its plainest form: the worker is
// handed the group and never calls done() at all (Go's missing
// `defer wg.Done()`). main counted three workers; the counter never falls
// below three, and wait() blocks forever.
//
// Expected static findings (concheck):
//   concheck-missing-done at line 28 (the task never calls 'wg.done()')
// Expected dynamic outcome: deadlock (main blocks in wg.wait())

#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

// BUG: receives the group that counts it, and never tells it that it is done.
// (With -Wextra, clang at least notes the unused parameter.)
void worker(int id, concheck::wait_group &wg) {
  std::printf("worker %d finished\n", id);
}

int main() {
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int id = 1; id <= 3; ++id) {
    wg.add(1);
    workers.emplace_back(worker, id, std::ref(wg));
  }
  std::printf("waiting for 3 workers\n");
  std::fflush(stdout); // the program hangs next: show how far it got
  wg.wait();           // never returns
  std::printf("unreachable: all workers done\n");
  for (std::thread &t : workers)
    t.join();
}
