// The fix for bad_race.cpp with the standard library only: the mutex as in
// good.cpp, and a std::latch, counted up front, instead of the wait group.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstdio>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

int main() {
  constexpr int n_tasks = 1000;
  std::latch finished(n_tasks);
  std::mutex mu; // guards counter
  int counter = 0;
  std::vector<std::jthread> tasks;
  tasks.reserve(n_tasks);
  for (int i = 0; i < n_tasks; ++i)
    tasks.emplace_back([&] {
      {
        std::scoped_lock lock(mu);
        counter++;
      }
      finished.count_down(); // after the unlock: the increment is published
    });
  finished.wait();
  std::printf("final counter: %d\n", counter); // always 1000
}
