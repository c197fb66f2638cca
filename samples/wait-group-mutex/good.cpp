// The seed's second example: a wait group for orchestration and a mutex for
// synchronization. Five workers increment one shared counter; the mutex makes
// each increment (and the print that reads it) one step no other worker can
// interleave with, and the group makes main print the total only after all
// of them are done.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/mutex.h>
#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

// The annotation names the mutex, so clang's -Wthread-safety checks every
// access to the counter.
constinit concheck::mutex mu;
int counter CONCHECK_GUARDED_BY(mu) = 0;

void increment_counter(concheck::wait_group &wg, int id) {
  concheck::done_guard done(wg); // declared first: runs last, after the unlock
  concheck::lock_guard lock(mu); // Go's mu.Lock(); defer mu.Unlock()
  ++counter;
  std::printf("worker %d incremented the counter to %d\n", id, counter);
}

int main() {
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int id = 1; id <= 5; ++id) {
    wg.add(1);
    workers.emplace_back(increment_counter, std::ref(wg), id);
  }
  wg.wait();
  for (std::thread &t : workers)
    t.join();
  // The workers are done, so no one contends; the lock is what the
  // annotation asks for, and it costs nothing here.
  concheck::lock_guard lock(mu);
  std::printf("final counter: %d\n", counter);
}
