// The seed's SafeCounter: a type that keeps its mutex next to the data the
// mutex protects, so callers cannot forget to lock. increment() and value()
// each hold the lock for exactly one step; a thousand tasks increment, and
// value() reads the total.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/mutex.h>
#include <concheck/wait_group.h>

#include <cstdio>

class SafeCounter {
public:
  void increment() CONCHECK_EXCLUDES(mu_) {
    concheck::lock_guard lock(mu_);
    ++counter_;
  }

  int value() const CONCHECK_EXCLUDES(mu_) {
    concheck::lock_guard lock(mu_); // Go's defer mu.Unlock(): after the read
    return counter_;
  }

private:
  mutable concheck::mutex mu_; // mutable: value() is const, and still locks
  // -Wthread-safety rejects any access to counter_ without mu_ held.
  int counter_ CONCHECK_GUARDED_BY(mu_) = 0;
};

int main() {
  SafeCounter sc;
  concheck::wait_group wg;
  for (int i = 0; i < 1000; ++i)
    wg.go([&sc] { sc.increment(); });
  wg.wait();
  std::printf("final counter: %d\n", sc.value()); // always 1000
}
