// The fix for bad_race.cpp, as the seed makes it: a mutex around the
// increment. The scoped guard is Go's mu.Lock(); defer mu.Unlock() (the
// seed's fix unlocks by hand, which concheck-unscoped-lock would flag).
// An atomic would do for one int (see atomic-counter/).
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/wait_group.h>

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

int main() {
  concheck::wait_group wg;
  std::mutex mu; // guards counter
  int counter = 0;
  std::vector<std::thread> tasks;
  tasks.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    wg.add(1);
    tasks.emplace_back([&] {
      concheck::done_guard done(wg);
      std::scoped_lock lock(mu);
      counter++;
    });
  }
  wg.wait(); // orders every increment before the read below: no lock needed
  std::printf("final counter: %d\n", counter); // always 1000
  for (std::thread &t : tasks)
    t.join();
}
