// MutexTypes and GuardTypes extend the lock model. They are read with
// getLocalOrGlobal, so a global entry serves every concheck check; the first
// run spells them for each check of the lock family, the second once.
// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -config="{CheckOptions: {concheck-unscoped-lock.MutexTypes: '::app::SpinLock', concheck-unbalanced-lock.MutexTypes: '::app::SpinLock', concheck-unnamed-guard.MutexTypes: '::app::SpinLock', concheck-unnamed-guard.GuardTypes: '::app::SpinGuard'}}" -- -std=c++20 -isystem %S/../Inputs/std
// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -config="{CheckOptions: {MutexTypes: '::app::SpinLock', GuardTypes: 'app::SpinGuard'}}" -- -std=c++20 -isystem %S/../Inputs/std

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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'spin' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'spin' locked here
  ++counter;
  spin.unlock();
}

void configured_guard_unnamed() {
  app::SpinGuard{spin};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'spin' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  app::SpinGuard lock{spin};{{$}}
  ++counter;
}

void configured_guard_named() {
  app::SpinGuard guard(spin); // Silent: a named guard holds the lock.
  ++counter;
}
