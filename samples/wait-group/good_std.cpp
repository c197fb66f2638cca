// The seed's first example with the standard library only: std::latch plays
// the wait group. A latch's count is fixed when it is made, so every worker is
// counted before any starts, and it cannot be reused or counted up again.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstdio>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

void worker(int id, std::latch &finished) {
  std::printf("worker %d started\n", id);
  std::printf("worker %d finished\n", id);
  finished.count_down(); // the only path through worker() ends here
}

int main() {
  constexpr int n_workers = 3;
  std::latch finished(n_workers);
  std::vector<std::jthread> workers;
  for (int id = 1; id <= n_workers; ++id)
    workers.emplace_back(worker, id, std::ref(finished));
  // Joining the jthreads would also wait; the latch lets main go on as soon
  // as the work is done, as wg.Wait() does, whatever else the threads do.
  finished.wait();
  std::printf("all workers completed\n");
} // the jthreads join here
