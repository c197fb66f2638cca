// The nested-wait fix with the standard library: the workers count down a
// latch that only the reporter waits on; the reporter itself is a jthread
// that main joins.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

int main() {
  constexpr int n_workers = 3;
  std::latch workers_done(n_workers);
  std::vector<std::jthread> workers;
  for (int id = 1; id <= n_workers; ++id)
    workers.emplace_back([id, &workers_done] {
      std::printf("worker %d finished\n", id);
      workers_done.count_down();
    });

  std::jthread reporter([&workers_done] {
    workers_done.wait(); // fine: the reporter is not one of the counted tasks
    std::printf("report: all workers finished\n");
  });
  reporter.join();
  std::printf("main: done\n");
}
