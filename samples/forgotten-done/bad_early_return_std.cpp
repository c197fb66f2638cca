// The forgotten done() with the standard library: a std::latch whose
// count_down() an early return skips. The latch never reaches zero and
// main's wait() blocks forever, exactly as with a wait group.
//
// Expected static findings (concheck):
//   concheck-missing-done at line 19 ('return' skips 'finished.count_down()')
// Expected dynamic outcome: deadlock (main blocks in finished.wait())

#include <cstddef>
#include <cstdio>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

void worker(int job, std::latch &finished) {
  if (job < 0) {
    std::printf("job %d: invalid, skipped\n", job);
    return; // BUG: leaves without finished.count_down()
  }
  std::printf("job %d: processed\n", job);
  finished.count_down();
}

int main() {
  const std::vector<int> jobs{1, 2, -3, 4};
  std::latch finished(static_cast<std::ptrdiff_t>(jobs.size()));
  std::vector<std::thread> workers;
  for (int job : jobs)
    workers.emplace_back(worker, job, std::ref(finished));
  std::printf("waiting for %zu workers\n", jobs.size());
  std::fflush(stdout); // the program hangs next: show how far it got
  finished.wait();     // never returns: job -3 never counts down
  std::printf("unreachable: all workers done\n");
  for (std::thread &t : workers)
    t.join();
}
