// The seed's atomic counter: a thousand tasks each add one to a counter with
// an atomic read-modify-write, with no lock. Atomics suit a single variable
// such as a counter or a flag; they cannot keep several variables consistent
// with one another (safe-counter/ shows the mutex for that).
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/wait_group.h>

#include <atomic>
#include <cstdio>

int main() {
  std::atomic<int> counter{0};
  concheck::wait_group wg;
  for (int i = 0; i < 1000; ++i) {
    // go() counts the task, starts it and calls done() when it returns:
    // Go's wg.Add(1); go func() { defer wg.Done(); ... }() in one call.
    wg.go([&counter] {
      // Relaxed is enough: nothing else is published through the counter,
      // and wait() orders every task's end before the load below.
      counter.fetch_add(1, std::memory_order_relaxed);
    });
  }
  wg.wait();
  std::printf("final counter: %d\n", counter.load()); // always 1000
}
