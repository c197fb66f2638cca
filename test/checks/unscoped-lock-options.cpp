// MutexTypes and GuardTypes extend the lock model. They are read with
// getLocalOrGlobal, so a global entry serves every concheck check; the second
// run checks the global spelling.
// RUN: %check_concheck %s concheck-unscoped-lock %t -- -config="{CheckOptions: {concheck-unscoped-lock.MutexTypes: '::app::SpinLock', concheck-unscoped-lock.GuardTypes: '::app::SpinGuard'}}" -- -std=c++20 -isystem %S/../Inputs/std
// RUN: %check_concheck %s concheck-unscoped-lock %t -- -config="{CheckOptions: {MutexTypes: '::app::SpinLock', GuardTypes: 'app::SpinGuard'}}" -- -std=c++20 -isystem %S/../Inputs/std

#include <atomic>
#include <mutex>

namespace app {

// A BasicLockable of the project's own.
class SpinLock {
public:
  void lock() {
    while (flag_.exchange(true)) {
    }
  }
  void unlock() { flag_.store(false); }

private:
  std::atomic<bool> flag_{false};
};

// Its guard: the constructor locks, the destructor unlocks.
class SpinGuard {
public:
  explicit SpinGuard(SpinLock &l) : l_(l) { l_.lock(); }
  ~SpinGuard() { l_.unlock(); }

private:
  SpinLock &l_;
};

} // namespace app

app::SpinLock spin;
int counter;

void configured_mutex_locked_by_hand(bool c) {
  spin.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'spin' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'spin' locked [concheck-unscoped-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'spin' locked here
  ++counter;
  spin.unlock();
}

void configured_guard_unnamed() {
  app::SpinGuard{spin};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'spin' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  app::SpinGuard lock{spin};{{$}}
  ++counter;
}

void configured_guard_named() {
  app::SpinGuard guard(spin); // Silent: a named guard holds the lock.
  ++counter;
}
