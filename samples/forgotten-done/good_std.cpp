// The fix for bad_early_return_std.cpp with the standard library, which has
// no guard for a latch: keep the work and the count_down() apart. process()
// may return early however it likes; the task calls it and then counts down,
// and the task itself has one path only.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstddef>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

void process(int job) {
  if (job < 0) {
    std::printf("job %d: invalid, skipped\n", job);
    return;
  }
  std::printf("job %d: processed\n", job);
}

int main() {
  const std::vector<int> jobs{1, 2, -3, 4};
  std::latch finished(static_cast<std::ptrdiff_t>(jobs.size()));
  std::vector<std::jthread> workers;
  for (int job : jobs)
    workers.emplace_back([job, &finished] {
      process(job);
      finished.count_down();
    });
  finished.wait();
  std::printf("all workers done\n");
}
