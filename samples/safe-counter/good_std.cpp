// The seed's SafeCounter with the standard library only: std::mutex and
// std::scoped_lock. Without concheck's annotated mutex the compiler cannot
// check that every access to counter_ holds mu_; the class keeps both
// private so that only its two members need reviewing.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

class SafeCounter {
public:
  void increment() {
    std::scoped_lock lock(mu_);
    ++counter_;
  }

  int value() const {
    std::scoped_lock lock(mu_);
    return counter_;
  }

private:
  mutable std::mutex mu_; // guards counter_
  int counter_ = 0;
};

int main() {
  SafeCounter sc;
  {
    std::vector<std::jthread> tasks;
    tasks.reserve(1000);
    for (int i = 0; i < 1000; ++i)
      tasks.emplace_back([&sc] { sc.increment(); });
  } // joined
  std::printf("final counter: %d\n", sc.value()); // always 1000
}
