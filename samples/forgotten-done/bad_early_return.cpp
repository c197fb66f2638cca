// The seed's first wait-group gotcha: a done() that never comes. Each worker
// calls wg.done() as its last statement, so the early return that skips an
// invalid job skips done() too. The counter stays above zero, and main's
// wait() blocks forever.
//
// Expected static findings (concheck):
//   concheck-missing-done at line 20 ('return' skips 'wg.done()')
// Expected dynamic outcome: deadlock (main blocks in wg.wait())

#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

void worker(int job, concheck::wait_group &wg) {
  if (job < 0) {
    std::printf("job %d: invalid, skipped\n", job);
    return; // BUG: leaves without wg.done()
  }
  std::printf("job %d: processed\n", job);
  wg.done();
}

int main() {
  const std::vector<int> jobs{1, 2, -3, 4};
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int job : jobs) {
    wg.add(1);
    workers.emplace_back(worker, job, std::ref(wg));
  }
  std::printf("waiting for %zu workers\n", jobs.size());
  std::fflush(stdout); // the program hangs next: show how far it got
  wg.wait();           // never returns: job -3's done() never comes
  std::printf("unreachable: all workers done\n");
  for (std::thread &t : workers)
    t.join();
}
