// The seed's worker pool with the standard library only, for a batch whose
// jobs are all known up front: a fixed set of jthreads claims jobs through an
// atomic cursor, so each job is taken exactly once and no queue is needed.
// Each job's result has its own slot, so the workers share no written data.
// (concheck knows that indices handed out by fetch_add are distinct.)
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <thread>
#include <vector>

int checksum(int job) { return job * job % 97; }

int main() {
  std::vector<int> jobs;
  for (int job = 1; job <= 20; ++job)
    jobs.push_back(job);
  std::vector<int> results(jobs.size());

  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < 4; ++w)
      workers.emplace_back([&] {
        // fetch_add hands out each index once: the job, and its result slot,
        // belong to this worker alone.
        for (std::size_t i = next.fetch_add(1); i < jobs.size(); i = next.fetch_add(1))
          results[i] = checksum(jobs[i]);
      });
  } // joined: every result is written

  int total = 0;
  for (int checksum : results)
    total += checksum;
  std::printf("total checksum: %d\n", total);
}
