// Counts three workers with concheck::wait_group, but each worker adds for
// itself: wait() can return before any of them has started.
#include "tally.h"
#include <concheck/wait_group.h>

#include <thread>
#include <vector>

int main() {
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < 3; ++i)
    workers.emplace_back([&] {
      wg.add(1);
      count_one();
      wg.done();
    });
  wg.wait();
  for (std::thread &t : workers)
    t.join();
}
