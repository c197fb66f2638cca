// RUN: %check_concheck %s concheck-unscoped-lock %t -- -- -std=c++20 -isystem %S/../Inputs/std

// concheck-unscoped-lock against the mock headers: manual lock()/unlock()
// (C++ Core Guidelines CP.20), paths that leave a mutex locked, and unnamed
// guards that unlock at once (CP.44). Fix-its are tested in
// unscoped-lock-fixes.cpp; here only the unnamed-guard ones are checked.

#include <absl/synchronization/mutex.h>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <stdexcept>
#include <thread>

void work();
void io();
int compute();
bool should_stop();
[[noreturn]] void fatal(const char *msg);

std::mutex m;
std::mutex m1, m2;
std::timed_mutex timed_mu;
std::recursive_mutex rec_mu;
std::recursive_timed_mutex rec_timed_mu;
std::shared_mutex rw_mu;
std::shared_timed_mutex rw_timed_mu;
std::condition_variable cv;
std::condition_variable_any cva;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pcond = PTHREAD_COND_INITIALIZER;
absl::Mutex amu;
absl::CondVar acv;
bool ready;
int counter;

//===----------------------------------------------------------------------===//
// Manual locking (CP.20): one warning at each lock call, for each mutex kind.
//===----------------------------------------------------------------------===//

void mutex_locked_by_hand() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}

void timed_mutex_locked_by_hand() {
  timed_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'timed_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  timed_mu.unlock();
}

void timed_mutex_try_lock_for_success_path() {
  if (timed_mu.try_lock_for(std::chrono::milliseconds(10))) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'timed_mu' is locked with 'try_lock_for()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    timed_mu.unlock();
  }
}

void recursive_mutex_locked_by_hand() {
  rec_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rec_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  rec_mu.unlock();
}

void recursive_timed_mutex_try_lock_success_path() {
  if (rec_timed_mu.try_lock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'rec_timed_mu' is locked with 'try_lock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    rec_timed_mu.unlock();
  }
}

void shared_mutex_exclusive_lock_by_hand() {
  rw_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  ++counter;
  rw_mu.unlock();
}

int shared_mutex_shared_lock_by_hand() {
  rw_mu.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_mu' is locked with 'lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
  int value = counter;
  rw_mu.unlock_shared();
  return value;
}

int shared_mutex_try_lock_shared_success_path() {
  int value = -1;
  if (rw_mu.try_lock_shared()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'rw_mu' is locked with 'try_lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
    value = counter;
    rw_mu.unlock_shared();
  }
  return value;
}

int shared_timed_mutex_shared_lock_by_hand() {
  rw_timed_mu.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_timed_mu' is locked with 'lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
  int value = counter;
  rw_timed_mu.unlock_shared();
  return value;
}

void timed_mutex_try_lock_until_early_return(bool c) {
  if (!timed_mu.try_lock_until(std::chrono::steady_clock::now()))
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: mutex 'timed_mu' is locked with 'try_lock_until()' instead of a scoped guard [concheck-unscoped-lock]
    return; // Silent: the lock failed on this path.
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'timed_mu' locked [concheck-unscoped-lock]
  // CHECK-MESSAGES: :[[@LINE-6]]:8: note: 'timed_mu' locked here
  timed_mu.unlock();
}

int shared_timed_mutex_try_lock_shared_for(bool c) {
  if (rw_timed_mu.try_lock_shared_for(std::chrono::milliseconds(5))) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'rw_timed_mu' is locked with 'try_lock_shared_for()' instead of a scoped guard [concheck-unscoped-lock]
    if (c)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'rw_timed_mu' locked [concheck-unscoped-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: 'rw_timed_mu' locked here
    int value = counter;
    rw_timed_mu.unlock_shared();
    return value;
  }
  return 0;
}

void absl_reader_try_lock_and_writer_lock() {
  if (amu.ReaderTryLock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'amu' is locked with 'ReaderTryLock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    amu.ReaderUnlock();
  }
  amu.WriterLock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'amu' is locked with 'WriterLock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  amu.WriterUnlock();
}

void try_lock_success_path() {
  if (m.try_lock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'm' is locked with 'try_lock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    m.unlock();
  }
  // Silent at the end: the false edge of try_lock() holds nothing.
}

void try_lock_failure_returns_early() {
  if (!m.try_lock())
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: mutex 'm' is locked with 'try_lock()' instead of a scoped guard [concheck-unscoped-lock]
    return; // Silent: this return is only reached when try_lock() failed.
  work();
  m.unlock();
}

void std_lock_without_adopting_guards() {
  std::lock(m1, m2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm1' is locked with 'std::lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m1.unlock();
  m2.unlock();
}

void pthread_mutex_locked_by_hand() {
  pthread_mutex_lock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'pm' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  pthread_mutex_unlock(&pm);
}

void pthread_mutex_through_pointer(pthread_mutex_t *mutex_ptr) {
  pthread_mutex_lock(mutex_ptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'mutex_ptr' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  pthread_mutex_unlock(mutex_ptr);
}

void pthread_trylock_success_path() {
  if (pthread_mutex_trylock(&pm) == 0) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'pm' is locked with 'pthread_mutex_trylock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    pthread_mutex_unlock(&pm);
  }
  // Silent at the end: a non-zero result means the mutex was not taken.
}

void pthread_cond_wait_is_not_a_lock_call() {
  pthread_mutex_lock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'pm' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
  while (!ready)
    pthread_cond_wait(&pcond, &pm); // Silent: releases and retakes 'pm'.
  pthread_mutex_unlock(&pm);
}

void absl_mutex_locked_by_hand() {
  amu.Lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'amu' is locked with 'Lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  amu.Unlock();
}

int absl_reader_lock_by_hand() {
  amu.ReaderLock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'amu' is locked with 'ReaderLock()' instead of a scoped guard [concheck-unscoped-lock]
  int value = counter;
  amu.ReaderUnlock();
  return value;
}

void absl_try_lock_success_path() {
  if (amu.TryLock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'amu' is locked with 'TryLock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    amu.Unlock();
  }
}

void absl_mutex_through_pointer(absl::Mutex *mu_ptr) {
  mu_ptr->Lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'mu_ptr' is locked with 'Lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  mu_ptr->Unlock();
}

//===----------------------------------------------------------------------===//
// How the mutex is reached: members, pointers, references, aliases, bases.
//===----------------------------------------------------------------------===//

class Account {
public:
  void deposit(int amount) {
    this->mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'this->mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    balance_ += amount;
    this->mu_.unlock();
  }

  bool withdraw(int amount) {
    mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (balance_ < amount)
      return false;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'mu_' locked [concheck-unscoped-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'mu_' locked here
    balance_ -= amount;
    mu_.unlock();
    return true; // Silent: 'mu_' was released just before.
  }

  // 'this->mu_' and 'mu_' are the same mutex: the unlock pairs with the lock.
  void audit(bool skip) {
    this->mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'this->mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (skip)
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'this->mu_' locked [concheck-unscoped-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'this->mu_' locked here
    io();
    mu_.unlock();
  }

  int balance() const {
    mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    int value = balance_;
    mu_.unlock();
    return value;
  }

private:
  mutable std::mutex mu_;
  int balance_ = 0;
};

struct SharedCounter {
  std::mutex mu;
  int value = 0;
};

void member_of_reference_parameter(SharedCounter &a) {
  a.mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'a.mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  ++a.value;
  a.mu.unlock();
}

void mutex_through_pointer(std::mutex *p) {
  p->lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'p' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  p->unlock();
}

void mutex_through_dereferenced_pointer(std::mutex *p) {
  (*p).lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex '*p' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  (*p).unlock();
}

void mutex_through_reference(std::mutex &r, bool c) {
  r.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'r' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'r' locked [concheck-unscoped-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'r' locked here
  r.unlock();
}

using Mutex = std::mutex;
typedef std::shared_mutex RwLock;
Mutex aliased_mu;
RwLock aliased_rw_mu;

void alias_of_std_mutex_locked_by_hand() {
  aliased_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'aliased_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  aliased_mu.unlock();
}

int typedef_of_shared_mutex_locked_by_hand() {
  aliased_rw_mu.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'aliased_rw_mu' is locked with 'lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
  int value = counter;
  aliased_rw_mu.unlock_shared();
  return value;
}

struct CountingMutex : std::mutex {
  int acquisitions = 0;
};
CountingMutex counting_mu;

void derived_mutex_locked_by_hand() {
  counting_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'counting_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  ++counting_mu.acquisitions;
  counting_mu.unlock();
}

class LoggingMutex : public std::mutex {
public:
  // Silent: a lockable type's own lock() and unlock().
  void lock() {
    io();
    std::mutex::lock();
  }
  void unlock() {
    std::mutex::unlock();
    io();
  }
};
LoggingMutex logging_mu;

void derived_mutex_with_own_lock_locked_by_hand() {
  logging_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'logging_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  logging_mu.unlock();
}

//===----------------------------------------------------------------------===//
// Paths that leave the mutex locked.
//===----------------------------------------------------------------------===//

void early_return_leaves_locked(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unscoped-lock]
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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unscoped-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'm' locked [concheck-unscoped-lock]
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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'pm' locked [concheck-unscoped-lock]
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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'amu' locked [concheck-unscoped-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'break' leaves mutex 'm' locked [concheck-unscoped-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'continue' leaves mutex 'm' locked [concheck-unscoped-lock]
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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'throw' leaves mutex 'm' locked [concheck-unscoped-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'goto' leaves mutex 'm' locked [concheck-unscoped-lock]
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
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: mutex 'm' may still be locked at the end of the function [concheck-unscoped-lock]
// CHECK-MESSAGES: :[[@LINE-7]]:3: note: 'm' locked here

void return_leaves_only_the_outer_mutex_locked(bool c) {
  m1.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm1' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  m2.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm2' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    m2.unlock();
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm1' locked [concheck-unscoped-lock]
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

//===----------------------------------------------------------------------===//
// Lambdas.
//===----------------------------------------------------------------------===//

void lambda_locks_captured_mutex_by_hand() {
  std::mutex local_mu;
  std::thread worker([&local_mu] {
    local_mu.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'local_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    ++counter;
    local_mu.unlock();
  });
  worker.join();
}

void lambda_early_return_leaves_locked() {
  auto step = [](bool c) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (c)
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'm' locked [concheck-unscoped-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    work();
    m.unlock();
  };
  step(should_stop());
}

void lambda_with_guard_is_silent() {
  std::thread worker([] {
    std::lock_guard<std::mutex> lock(m);
    ++counter;
  });
  worker.join();
}

//===----------------------------------------------------------------------===//
// Templates: one warning per template, not one per instantiation.
//===----------------------------------------------------------------------===//

template <class Lockable> void generic_locked_by_hand(Lockable &mu) {
  mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  mu.unlock();
}

template <class Lockable>
void generic_early_return_leaves_locked(Lockable &mu, bool c) {
  mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'mu' locked [concheck-unscoped-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'mu' locked here
  work();
  mu.unlock();
}

template <class T> class Box {
public:
  void set(T value) {
    mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    value_ = value;
    mu_.unlock();
  }

private:
  std::mutex mu_;
  T value_{};
};

// Never instantiated: 'Lockable' may as well be a guard such as
// std::unique_lock, whose lock() and unlock() are fine.
template <class Lockable> void uninstantiated_template(Lockable &l) {
  l.lock();
  work();
  l.unlock();
}

void instantiate_templates() {
  generic_locked_by_hand(m);
  generic_locked_by_hand(rec_mu);
  std::unique_lock<std::mutex> deferred(m2, std::defer_lock);
  generic_locked_by_hand(deferred); // This instantiation alone is silent.
  generic_early_return_leaves_locked(m, should_stop());
  generic_early_return_leaves_locked(timed_mu, should_stop());
  Box<int> ints;
  ints.set(1);
  Box<double> doubles;
  doubles.set(2.0);
}

//===----------------------------------------------------------------------===//
// Scoped guards, guard members and waits are silent.
//===----------------------------------------------------------------------===//

void scoped_guards() {
  {
    std::lock_guard<std::mutex> lock(m);
    work();
  }
  {
    std::unique_lock lock(m);
    work();
  }
  {
    std::scoped_lock lock(m1, m2);
    work();
  }
  {
    std::shared_lock lock(rw_mu);
    work();
  }
  {
    std::shared_lock<std::shared_timed_mutex> lock(rw_timed_mu);
    work();
  }
  {
    absl::MutexLock lock(&amu);
    work();
  }
  {
    absl::ReaderMutexLock lock(&amu);
    work();
  }
  {
    absl::WriterMutexLock lock(&amu);
    work();
  }
}

void unique_lock_members() {
  std::unique_lock<std::mutex> lock(m);
  work();
  lock.unlock();
  io();
  lock.lock();
  work();
}

void unique_lock_deferred_and_try_to_lock() {
  std::unique_lock<std::mutex> deferred(m1, std::defer_lock);
  deferred.lock();
  work();
  deferred.unlock();
  std::unique_lock<std::mutex> attempt(m2, std::try_to_lock);
  if (!attempt.owns_lock() && attempt.try_lock())
    work();
}

void shared_lock_members() {
  std::shared_lock<std::shared_mutex> lock(rw_mu, std::defer_lock);
  lock.lock();
  work();
  lock.unlock();
}

void std_lock_then_adopting_lock_guards() {
  std::lock(m1, m2);
  std::lock_guard<std::mutex> g1(m1, std::adopt_lock);
  std::lock_guard<std::mutex> g2(m2, std::adopt_lock);
  work();
}

void std_lock_then_adopting_scoped_lock() {
  std::lock(m1, m2);
  std::scoped_lock both(std::adopt_lock, m1, m2);
  work();
}

void std_lock_on_deferred_guards() {
  std::unique_lock<std::mutex> l1(m1, std::defer_lock);
  std::unique_lock<std::mutex> l2(m2, std::defer_lock);
  std::lock(l1, l2);
  work();
}

void lock_then_adopting_lock_guard() {
  m.lock();
  std::lock_guard<std::mutex> guard(m, std::adopt_lock);
  work();
}

void lock_then_adopting_unique_lock() {
  m.lock();
  std::unique_lock<std::mutex> guard(m, std::adopt_lock);
  work();
}

void try_lock_then_adopting_lock_guard() {
  if (m.try_lock()) {
    std::lock_guard<std::mutex> guard(m, std::adopt_lock);
    work();
  }
}

void condition_variable_waits() {
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock);
  cv.wait(lock, [] { return ready; });
  cv.wait_for(lock, std::chrono::milliseconds(10), [] { return ready; });
  cva.wait(lock);
  cva.wait(lock, [] { return ready; });
}

void condition_variable_any_with_shared_lock() {
  std::shared_lock<std::shared_mutex> lock(rw_mu);
  cva.wait(lock, [] { return ready; });
}

void absl_condvar_wait() {
  absl::MutexLock lock(&amu);
  while (!ready)
    acv.Wait(&amu);
}

void nolint_suppresses_the_warning() {
  m.lock(); // NOLINT(concheck-unscoped-lock)
  work();
  m.unlock();
}

//===----------------------------------------------------------------------===//
// The implementation of a lockable or a guard type is silent.
//===----------------------------------------------------------------------===//

class InstrumentedMutex {
public:
  void lock() {
    inner_.lock();
    ++acquisitions_;
  }
  bool try_lock() { return inner_.try_lock(); }
  void unlock();

private:
  std::mutex inner_;
  int acquisitions_ = 0;
};

void InstrumentedMutex::unlock() { inner_.unlock(); }

class PosixMutex {
public:
  void lock() { pthread_mutex_lock(&mu_); }
  void unlock() { pthread_mutex_unlock(&mu_); }

private:
  pthread_mutex_t mu_ = PTHREAD_MUTEX_INITIALIZER;
};

class AbslStyleMutex {
public:
  void Lock() { mu_.Lock(); }
  void Unlock() { mu_.Unlock(); }
  void lock() { Lock(); }
  void unlock() { Unlock(); }

private:
  absl::Mutex mu_;
};

class SharedWrapper {
public:
  void lock_shared() { mu_.lock_shared(); }
  void unlock_shared() { mu_.unlock_shared(); }
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

private:
  std::shared_mutex mu_;
};

class MutexGuard {
public:
  explicit MutexGuard(std::mutex &mu) : mu_(mu) { mu_.lock(); }
  ~MutexGuard() { mu_.unlock(); }
  MutexGuard(const MutexGuard &) = delete;
  MutexGuard &operator=(const MutexGuard &) = delete;

private:
  std::mutex &mu_;
};

template <class Lockable> class GenericGuard {
public:
  explicit GenericGuard(Lockable &mu) : mu_(&mu) { mu_->lock(); }
  ~GenericGuard() {
    if (mu_)
      mu_->unlock();
  }
  // A movable guard with its own lock()/unlock(), like std::unique_lock.
  void unlock() {
    mu_->unlock();
    mu_ = nullptr;
  }

private:
  Lockable *mu_;
};

class PosixGuard {
public:
  explicit PosixGuard(pthread_mutex_t *mu) : mu_(mu) { pthread_mutex_lock(mu_); }
  ~PosixGuard() { pthread_mutex_unlock(mu_); }

private:
  pthread_mutex_t *mu_;
};

void custom_types_in_use() {
  InstrumentedMutex instrumented;
  {
    std::lock_guard<InstrumentedMutex> lock(instrumented);
    work();
  }
  {
    MutexGuard guard(m);
    work();
  }
  {
    GenericGuard<std::recursive_mutex> guard(rec_mu);
    work();
    guard.unlock();
  }
  {
    PosixGuard guard(&pm);
    work();
  }
  // TODO: InstrumentedMutex is a BasicLockable that is not in MutexTypes, so
  // locking it by hand is not reported; recognising such types by their
  // lock()/unlock() members would catch this.
  instrumented.lock();
  work();
  instrumented.unlock();
}

//===----------------------------------------------------------------------===//
// Unnamed guards (CP.44).
//===----------------------------------------------------------------------===//

void unnamed_lock_guard() {
  std::lock_guard<std::mutex>{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> lock{m};{{$}}
  work();
}

void unnamed_unique_lock_with_deduction() {
  std::unique_lock{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  std::unique_lock lock{m};{{$}}
  work();
}

void unnamed_scoped_lock_of_two() {
  std::scoped_lock{m1, m2};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm1' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  std::scoped_lock lock{m1, m2};{{$}}
  work();
}

void unnamed_shared_lock() {
  std::shared_lock<std::shared_mutex>{rw_mu};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'rw_mu' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  std::shared_lock<std::shared_mutex> lock{rw_mu};{{$}}
  work();
}

void unnamed_absl_mutex_lock() {
  absl::MutexLock{&amu};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'amu' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  absl::MutexLock lock{&amu};{{$}}
  work();
}

class Ledger {
public:
  void post(int amount) {
    std::lock_guard<std::mutex>(this->mu_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: unnamed guard unlocks 'this->mu_' at the end of the statement; give it a name [concheck-unscoped-lock]
    // CHECK-FIXES: {{^}}    std::lock_guard<std::mutex> lock(this->mu_);{{$}}
    total_ += amount;
  }

private:
  std::mutex mu_;
  int total_ = 0;
};

void unnamed_guard_when_lock_is_taken() {
  int lock = compute();
  std::lock_guard<std::mutex>{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> guard{m};{{$}}
  counter += lock;
}

// Declares a default-constructed std::unique_lock named 'm' that shadows the
// global mutex: nothing is locked at all.
void parenthesized_guard_declaration() {
  std::unique_lock<std::mutex>(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: parentheses make this declare a guard named 'm' that locks nothing; give the guard a name to lock 'm' [concheck-unscoped-lock]
  // CHECK-FIXES: {{^}}  std::unique_lock<std::mutex> lock(m);{{$}}
  work();
}

void consume(std::unique_lock<std::mutex> lock);
std::unique_lock<std::mutex> acquire();

std::unique_lock<std::mutex> returned_guard() {
  return std::unique_lock<std::mutex>(m); // Silent: ownership moves out.
}

void temporaries_that_are_not_unnamed_guards() {
  consume(std::unique_lock<std::mutex>(m)); // Silent: passed on.
  auto held = std::unique_lock{m1};         // Silent: it has a name.
  // Silent: the temporary lives to the end of the full-expression and guards
  // the call on purpose.
  (std::lock_guard<std::mutex>{m2}, work());
  std::unique_lock<std::mutex> moved = acquire();
}

//===----------------------------------------------------------------------===//
// Macros are ignored by default (IgnoreMacros: true); see
// unscoped-lock-macros.cpp for the other setting.
//===----------------------------------------------------------------------===//

#define LOCK(mu) mu.lock()
#define UNLOCK(mu) mu.unlock()
#define SYNCHRONIZED(mu) std::lock_guard<std::mutex>{mu}

void macro_lock_is_ignored() {
  LOCK(m);
  work();
  UNLOCK(m);
}

void macro_unnamed_guard_is_ignored() {
  SYNCHRONIZED(m);
  work();
}
