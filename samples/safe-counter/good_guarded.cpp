// The seed's SafeCounter built on concheck::guarded<T>: the value lives inside
// the object that owns its mutex, and the only ways to reach it (with_lock,
// lock) take that mutex. There is no field that code could touch unlocked.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/guarded.h>
#include <concheck/wait_group.h>

#include <cstdio>

class SafeCounter {
public:
  void increment() {
    counter_.with_lock([](int &counter) { ++counter; });
  }

  int value() const {
    return *counter_.lock(); // the handle holds the lock until the copy is made
  }

private:
  concheck::guarded<int> counter_{0};
};

int main() {
  SafeCounter sc;
  concheck::wait_group wg;
  for (int i = 0; i < 1000; ++i)
    wg.go([&sc] { sc.increment(); });
  wg.wait();
  std::printf("final counter: %d\n", sc.value()); // always 1000
}
