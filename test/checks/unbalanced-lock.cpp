// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -- -std=c++20 -isystem %S/../Inputs/std -I %S/../Inputs/lock-checks

// concheck-unbalanced-lock against the mock headers: every way out of a
// function between a manual lock and its unlock that leaves the mutex locked
// (an early return, a break out of the loop that locked, a throw, the end of
// the function), and the exits that must stay silent. The style check runs
// beside it, so its warning at each manual lock is expected too.

#include "lock_globals.h"

//===----------------------------------------------------------------------===//
// Paths that leave the mutex locked.
//===----------------------------------------------------------------------===//

void early_return_leaves_locked(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  work();
  m.unlock();
}

int early_return_with_value_leaves_locked() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  int value = compute();
  if (value < 0)
    return value;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: 'm' locked here
  counter += value;
  m.unlock();
  return 0;
}

void try_lock_then_early_return_leaves_locked(bool c) {
  if (m.try_lock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'm' is locked with 'try_lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (c)
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: 'm' locked here
    work();
    m.unlock();
  }
}

int pthread_error_return_leaves_locked(bool c) {
  pthread_mutex_lock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'pm' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'pm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'pm' locked here
  work();
  pthread_mutex_unlock(&pm);
  return 0;
}

void absl_early_return_leaves_locked(bool c) {
  amu.Lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'amu' is locked with 'Lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'amu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'amu' locked here
  work();
  amu.Unlock();
}

void break_leaves_locked(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (i == 3)
      break;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'break' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    work();
    m.unlock();
  }
}

void continue_leaves_locked(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (i % 2 == 0)
      continue;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'continue' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    work();
    m.unlock();
  }
}

void throw_leaves_locked(int value) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (value < 0)
    throw std::invalid_argument("negative");
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'throw' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  counter += value;
  m.unlock();
}

// The lock does not dominate the end of the function, so the goto is the only
// place to report.
void goto_leaves_locked(bool enabled, bool c) {
  if (enabled) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (c)
      goto done;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'goto' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    work();
    m.unlock();
  }
done:
  io();
}

void fall_off_end_may_leave_locked(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  if (c)
    m.unlock();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: mutex 'm' may still be locked at the end of the function [concheck-unbalanced-lock]
// CHECK-MESSAGES: :[[@LINE-7]]:3: note: 'm' locked here

void return_leaves_only_the_outer_mutex_locked(bool c) {
  m1.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm1' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  m2.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm2' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    m2.unlock();
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm1' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: 'm1' locked here
  }
  work();
  m2.unlock();
  m1.unlock();
}

//===----------------------------------------------------------------------===//
// Exits that must stay silent (only the manual-lock warning fires).
//===----------------------------------------------------------------------===//

int every_exit_unlocks_first(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    m.unlock();
    return 1;
  }
  int value = counter;
  m.unlock();
  return value;
}

int switch_paths_all_unlock(int kind) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  switch (kind) {
  case 0:
    m.unlock();
    return 0;
  case 1:
    work();
    break; // Silent: leaves the switch, not the locked region.
  default:
    io();
    break;
  }
  m.unlock();
  return 1;
}

void break_inside_locked_region(int n) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  for (int i = 0; i < n; ++i) {
    if (should_stop())
      break; // Silent: the path goes on to the unlock below.
    work();
  }
  m.unlock();
}

void continue_before_the_lock(int n) {
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0)
      continue; // Silent: nothing is locked yet in this iteration.
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    m.unlock();
  }
}

void worker_loop_unlocks_before_return() {
  for (;;) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (should_stop()) {
      m.unlock();
      return;
    }
    work();
    m.unlock();
  }
}

void throw_caught_and_unlocked(int value) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  try {
    if (value < 0)
      throw std::invalid_argument("negative"); // Silent: caught below.
    counter += value;
  } catch (...) {
    m.unlock();
    throw; // Silent: 'm' was released just before.
  }
  m.unlock();
}

void noreturn_call_is_not_an_exit(bool corrupt) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (corrupt)
    fatal("corrupt state"); // Silent: [[noreturn]], the path ends here.
  work();
  m.unlock();
}

// A function that never unlocks what it locks hands the lock to its caller on
// purpose: only the manual lock is reported, none of its exits.
bool lock_returning_function(bool c) {
  if (c)
    return false;
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (should_stop())
    return false;
  return true;
}

void lock_for_caller() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
}

void unlock_for_caller() {
  m.unlock(); // Silent: unlocking by hand is not reported on its own.
}

// Called with 'm' held; drops it around slow I/O. Every exit holds 'm', as on
// entry, and no unlock follows the lock: no exit warning.
void unlock_then_relock_for_caller() {
  m.unlock();
  io();
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
}

// An early way out that unlocks through a helper leaves nothing locked: the
// helper's summary releases 'm' as a call of unlock() would.
void early_return_through_an_unlock_helper(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    unlock_for_caller();
    return;
  }
  work();
  m.unlock();
}

// A helper that only reads the mutex's state releases nothing: the return
// still leaves 'm' locked.
bool peek_at(const std::mutex &);
void early_return_through_a_helper_that_does_not_unlock(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    (void)peek_at(m);
    return;
  }
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-7]]:3: note: 'm' locked here
  m.unlock();
}

// Not entered with 'm' held: the unlock follows the helper that took it. The
// second lock is the function's own, and the early return leaves it locked.
void relock_after_a_lock_helper(bool c) {
  lock_for_caller();
  work();
  m.unlock();
  io();
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  m.unlock();
}

// The lock and the unlock sit behind the same condition: the end of the
// function is not reached with 'm' held, and the lock does not run on every
// path to it.
void correlated_branches(bool enabled) {
  if (enabled)
    m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  if (enabled)
    m.unlock();
}

void correlated_flag(bool c) {
  bool locked = false;
  if (c) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    locked = true;
  }
  work();
  if (locked)
    m.unlock();
}

template <class F> struct ScopeExit {
  F on_exit;
  ~ScopeExit() { on_exit(); }
};
template <class F> ScopeExit<F> make_scope_exit(F f) { return {f}; }

// The unlock lives in a lambda run by a scope-exit helper; this function never
// calls unlock itself, so its return is not reported.
void scope_exit_helper_unlocks(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  auto unlock_m = make_scope_exit([] { m.unlock(); });
  if (c)
    return;
  work();
}

void return_inside_lambda_does_not_leave_the_function() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  auto is_negative = [](int value) {
    if (value < 0)
      return true; // Silent: returns from the lambda, which locks nothing.
    return false;
  };
  if (is_negative(compute()))
    io();
  m.unlock();
}

// TODO: a call that throws between lock() and unlock() also leaves the mutex
// locked; exceptions from calls are not on the CFG, so it is not reported.
void call_may_throw_under_lock() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}

// pthread_mutex_lock can fail (EDEADLK, EINVAL): its error path holds nothing.
int pthread_lock_failure_returns() {
  if (pthread_mutex_lock(&pm) != 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'pm' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
    return -1;
  work();
  pthread_mutex_unlock(&pm);
  return 0;
}

//===----------------------------------------------------------------------===//
// Entered with the mutex held; conditions that correlate with the lock.
//===----------------------------------------------------------------------===//

bool more();

// Called with 'm' held: the loop drops it around the work and takes it back
// before it tests for the end, so every exit holds 'm', as on entry.
void drop_and_retake_in_loop() {
  while (true) {
    m.unlock();
    // CHECK-MESSAGES: :[[@LINE+2]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    m.lock();
    if (!more())
      break;
  }
}

// Annotated as requiring 'amu' (ABSL_EXCLUSIVE_LOCKS_REQUIRED): held on
// entry, whatever the body does first.
void annotated_as_requiring_the_mutex() __attribute__((requires_capability(amu)));
void annotated_as_requiring_the_mutex() {
  for (;;) {
    if (!more())
      return;
    amu.Unlock();
    io();
    amu.Lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'amu' is locked with 'Lock()' instead of a scoped guard [concheck-unscoped-lock]
  }
}

// Not entered held: the re-lock in the loop is the function's own, and the
// break leaves it locked.
void lock_in_loop_then_break() {
  while (true) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (!more())
      break;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'break' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    m.unlock();
    work();
  }
}

struct Slot {
  int value;
};
Slot table[16];

// The mutex is locked only on the branch that sets the pointer, and the
// early return runs only when the pointer is null: no path leaves it locked.
int lock_only_where_pointer_is_set(int key) {
  Slot *slot = nullptr;
  if (key > 0) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    slot = &table[key];
  }
  if (!slot)
    return -1;
  int value = slot->value;
  m.unlock();
  return value;
}

// The same with a flag set before the lock, and tested with '=='.
int lock_behind_a_flag(bool wanted) {
  bool locked = false;
  if (wanted) {
    locked = true;
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  }
  if (locked == false)
    return 0;
  int value = compute();
  m.unlock();
  return value;
}

Slot *find(int key);

// A lookup on the locking branch may return null: the early return can run
// with the mutex locked.
int pointer_from_a_lookup(int key) {
  Slot *slot = nullptr;
  if (key > 0) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    slot = find(key);
  }
  if (!slot)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-7]]:5: note: 'm' locked here
  int value = slot->value;
  m.unlock();
  return value;
}

// A continue or break inside the locked region stays in it: only the return
// after the loop leaves the mutex locked.
void loop_inside_the_locked_region(int n) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  for (int i = 0; i < n; ++i) {
    if (i % 2)
      continue;
    if (should_stop())
      break;
    work();
  }
  if (should_stop())
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-12]]:3: note: 'm' locked here
  m.unlock();
}

// A throw caught inside the locked region stays in it.
void throw_caught_inside_the_locked_region() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  try {
    if (should_stop())
      throw std::runtime_error("stop");
    work();
  } catch (const std::exception &) {
    io();
  }
  m.unlock();
}

// A throw out of the try that holds the lock leaves it locked, though the
// function catches it.
void throw_out_of_the_locked_try() {
  try {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (should_stop())
      throw std::runtime_error("stop");
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'throw' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    work();
    m.unlock();
  } catch (const std::runtime_error &) {
    io();
  }
}
