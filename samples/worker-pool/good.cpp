// The seed's worker pool: a fixed set of workers takes jobs from one queue,
// so however many jobs arrive, at most four run at once and at most eight
// wait. concheck::worker_pool is that shape: submit() blocks while the queue
// is full (backpressure), and each job's result, or its exception, comes
// back through a future.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/worker_pool.h>

#include <cstdio>
#include <future>
#include <stdexcept>
#include <vector>

int checksum(int job) {
  if (job == 13)
    throw std::invalid_argument("job 13 is malformed");
  return job * job % 97;
}

int main() {
  concheck::worker_pool pool(/*n_workers=*/4, /*queue_capacity=*/8);
  std::vector<std::future<int>> results;
  for (int job = 1; job <= 20; ++job)
    results.push_back(pool.submit([job] { return checksum(job); }));

  int total = 0;
  for (std::future<int> &result : results) {
    try {
      total += result.get(); // waits for that job; rethrows its exception
    } catch (const std::invalid_argument &e) {
      std::printf("skipped: %s\n", e.what());
    }
  }
  std::printf("total checksum: %d\n", total);
  pool.join(); // no more jobs: let the workers finish and end
}
