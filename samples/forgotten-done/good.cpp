// The fix for bad_early_return.cpp: Go's `defer wg.Done()`, which in C++ is a
// concheck::done_guard. Its destructor calls done() on every way out of the
// worker: the early return, the normal end, and an exception.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

void worker(int job, concheck::wait_group &wg) {
  concheck::done_guard done(wg);
  if (job < 0) {
    std::printf("job %d: invalid, skipped\n", job);
    return; // fine: the guard calls done()
  }
  std::printf("job %d: processed\n", job);
}

int main() {
  const std::vector<int> jobs{1, 2, -3, 4};
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int job : jobs) {
    wg.add(1);
    workers.emplace_back(worker, job, std::ref(wg));
  }
  wg.wait();
  std::printf("all workers done\n");
  for (std::thread &t : workers)
    t.join();
}
