// The seed's second example with the standard library only. In C++ the usual
// "wait for all workers" is joining their threads: std::jthread joins when it
// goes out of scope, so the block around the workers is the wait group.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

std::mutex mu;   // guards counter
int counter = 0;

void increment_counter(int id) {
  std::scoped_lock lock(mu); // unlocked on every way out of the function
  ++counter;
  std::printf("worker %d incremented the counter to %d\n", id, counter);
}

int main() {
  {
    std::vector<std::jthread> workers;
    for (int id = 1; id <= 5; ++id)
      workers.emplace_back(increment_counter, id);
  } // every worker has been joined here: their increments happen-before
    // what follows
  std::printf("final counter: %d\n", counter);
}
