// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -- -std=c++20 -isystem %S/../Inputs/std -I %S/../Inputs/lock-checks

// concheck-unscoped-lock against the mock headers: mutexes locked with
// lock() and unlocked with unlock() by hand instead of by a scoped guard
// (C++ Core Guidelines CP.20), for each mutex kind and each way of reaching
// it. The two bug checks of the lock family run beside it, so that every
// finding on this code is expected here: paths that leave a mutex locked are
// tested in unbalanced-lock.cpp, unnamed guards in unnamed-guard.cpp, fix-its
// in unscoped-lock-fixes.cpp.

#include "lock_globals.h"
#include <vector>

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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'timed_mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-6]]:8: note: 'timed_mu' locked here
  timed_mu.unlock();
}

int shared_timed_mutex_try_lock_shared_for(bool c) {
  if (rw_timed_mu.try_lock_shared_for(std::chrono::milliseconds(5))) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'rw_timed_mu' is locked with 'try_lock_shared_for()' instead of a scoped guard [concheck-unscoped-lock]
    if (c)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'rw_timed_mu' locked [concheck-unbalanced-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'mu_' locked [concheck-unbalanced-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'this->mu_' locked [concheck-unbalanced-lock]
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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'r' locked [concheck-unbalanced-lock]
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
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
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
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'mu' locked [concheck-unbalanced-lock]
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

// The mutexes are reached through references to elements of a container,
// which have no name of their own: the references name them.
struct Ledger {
  std::mutex mu;
  int balance = 0;
};
void transfer_between_elements(std::vector<Ledger> &accounts, int from,
                               int to, int amount) {
  Ledger &a = accounts[from];
  Ledger &b = accounts[to];
  std::lock(a.mu, b.mu);
  std::lock_guard<std::mutex> la(a.mu, std::adopt_lock);
  std::lock_guard<std::mutex> lb(b.mu, std::adopt_lock);
  a.balance -= amount;
  b.balance += amount;
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

// A guard whose locking is in members its constructor and destructor call
// (TBB's scoped_lock): those members implement the guard, no manual lock.
class AcquireGuard {
public:
  AcquireGuard() : mu_(nullptr) {}
  explicit AcquireGuard(std::mutex &m) : mu_(nullptr) { acquire(m); }
  ~AcquireGuard() {
    if (mu_)
      release();
  }
  void acquire(std::mutex &m) {
    mu_ = &m;
    mu_->lock();
  }
  bool try_acquire(std::mutex &m) {
    if (!m.try_lock())
      return false;
    mu_ = &m;
    return true;
  }
  void release() {
    mu_->unlock();
    mu_ = nullptr;
  }

private:
  std::mutex *mu_;
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
  // InstrumentedMutex is not in MutexTypes, but its lock() and unlock()
  // members make it a mutex: locking it by hand is reported.
  instrumented.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'instrumented' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  instrumented.unlock();
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

//===----------------------------------------------------------------------===//
// Shaped like a mutex, but lock() cannot wait: it only logs, or does nothing
// (a null mutex for single-threaded builds). Not a mutex, so not reported.
//===----------------------------------------------------------------------===//

extern "C" int printf(const char *, ...);

class TracingNoLock {
public:
  void Lock() { printf("lock\n"); }
  void Unlock() { printf("unlock\n"); }
};

class NullMutex {
public:
  void lock() {}
  void unlock() {}
};

void no_lock_shapes(TracingNoLock &t, NullMutex &n) {
  t.Lock();
  work();
  t.Unlock();
  n.lock();
  work();
  n.unlock();
}
