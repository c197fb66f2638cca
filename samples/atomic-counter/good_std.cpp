// The seed's atomic counter with the standard library only: the tasks are
// std::jthreads, and joining them (at the end of their block) is the wait.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

int main() {
  std::atomic<int> counter{0};
  {
    std::vector<std::jthread> tasks;
    tasks.reserve(1000);
    for (int i = 0; i < 1000; ++i)
      tasks.emplace_back([&counter] { counter.fetch_add(1, std::memory_order_relaxed); });
  } // all joined: every increment happens-before the load below
  std::printf("final counter: %d\n", counter.load()); // always 1000
}
