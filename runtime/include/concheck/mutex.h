// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: mutex.h
// -----------------------------------------------------------------------------
//
// Mutexes and lock guards that clang's thread-safety analysis (-Wthread-safety)
// can see. libstdc++'s std::mutex and std::lock_guard carry no capability
// attributes, so a field annotated CONCHECK_GUARDED_BY(mu) with a std::mutex mu
// is never checked. This header offers:
//
//   * concheck::mutex         an exclusive lock (wraps std::mutex),
//   * concheck::shared_mutex  a readers/writer lock (wraps std::shared_mutex),
//   * concheck::lock_guard    holds a lock exclusively for a scope,
//   * concheck::unique_lock   a movable exclusive guard that can unlock and
//                             lock again (for condition variables),
//   * concheck::shared_lock   the shared (reader) counterpart of unique_lock.
//
// Both mutexes meet the standard Lockable requirements (and shared_mutex the
// SharedLockable ones), so std::scoped_lock, std::lock, std::unique_lock and
// std::condition_variable_any work with them unchanged. The guards work with
// any such mutex; the analysis only understands them with annotated mutexes.
//
// Misuse: unlocking a concheck::mutex (or a shared_mutex) that the calling
// thread does not hold is reported as misuse::unlock_of_unlocked_mutex, in
// every build mode, e.g.
//
//   concheck: misuse of mutex: unlock of unlocked mutex
//
// Example:
//
//   class Account {
//    public:
//     void deposit(long amount) CONCHECK_EXCLUDES(mu_) {
//       concheck::lock_guard lock(mu_);       // CTAD: lock_guard<mutex>
//       balance_ += amount;
//       changed_.notify_all();
//     }
//     // Waits until the balance reaches `amount`, then withdraws it.
//     void withdraw(long amount) CONCHECK_EXCLUDES(mu_) {
//       concheck::unique_lock lock(mu_);
//       while (balance_ < amount)     // the loop keeps the access in this
//         changed_.wait(lock);        // function, where the analysis sees
//       balance_ -= amount;           // that mu_ is held
//     }
//    private:
//     concheck::mutex mu_;
//     std::condition_variable_any changed_;
//     long balance_ CONCHECK_GUARDED_BY(mu_) = 0;
//   };
//
// Condition variables: there is no concheck::condition_variable. Wait with
// std::condition_variable_any on a concheck::unique_lock (or shared_lock):
// wait() calls the guard's unlock() and lock(), and the guard keeps track of
// ownership. The analysis does not look inside wait(), so it treats the mutex
// as held across the call, which is what wait() guarantees on return. A
// predicate lambda is analysed as a function of its own and knows nothing of
// the caller's locks; either loop as above, or tell the analysis what the
// lambda may assume:
//
//     changed_.wait(lock, [&]() CONCHECK_REQUIRES(mu_) {
//       return balance_ >= amount;
//     });
//
// What the analysis cannot follow: a guard moved into another object or
// returned from a function is not known to hold anything (access through it
// warns; call mu.assert_held() where you know it is held), and a unique_lock
// made with std::try_to_lock is treated as not holding the mutex even when
// owns_lock() is true (prefer std::defer_lock and `if (lock.try_lock())`).

#ifndef CONCHECK_MUTEX_H_
#define CONCHECK_MUTEX_H_

#include <atomic>
#include <cstddef>
#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <utility>

#include <concheck/misuse.h>
#include <concheck/thread_annotations.h>

namespace concheck {

namespace detail {

// An address that is unique to the calling thread for as long as it runs: the
// mutexes record it as their owner. std::thread::id would serve too, but
// std::atomic<std::thread::id> cannot be constant-initialized with libstdc++,
// and a global concheck::mutex must be (like std::mutex) to be usable during
// static initialization.
inline const void *current_thread_tag() noexcept {
  static thread_local char tag;
  return &tag;
}

// Throws what std::unique_lock throws for the same misuse of a guard: these
// are programming errors the standard already assigns an exception to.
[[noreturn]] inline void throw_lock_error(std::errc code) {
  throw std::system_error(std::make_error_code(code));
}

} // namespace detail

// -----------------------------------------------------------------------------
// concheck::mutex
// -----------------------------------------------------------------------------
//
// An exclusive, non-recursive lock: std::mutex with capability annotations and
// a check that the thread that unlocks it is the one that holds it. It is
// constant-initializable (a namespace-scope `constinit concheck::mutex mu;` is
// ready before any dynamic initializer runs) and neither copyable nor movable.
class CONCHECK_CAPABILITY("mutex") mutex {
public:
  // mutex::mutex()
  //
  // Creates an unlocked mutex.
  constexpr mutex() noexcept = default;

  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  // mutex::~mutex()
  //
  // Requires: the mutex is not held and no thread is blocked on it.
  ~mutex() = default;

  // mutex::lock()
  //
  // Blocks until the calling thread holds the mutex.
  //
  // Requires: the calling thread does not hold it already (locking it twice
  // deadlocks, as with std::mutex).
  //
  // Memory ordering: every unlock() synchronizes-with the lock() (or
  // successful try_lock()) that next acquires the mutex, so everything done in
  // one critical section happens-before the next critical section.
  void lock() CONCHECK_ACQUIRE() {
    mu_.lock();
    owner_.store(detail::current_thread_tag(), std::memory_order_relaxed);
  }

  // mutex::try_lock()
  //
  // Acquires the mutex if it is free and returns true; otherwise returns false
  // at once. Like std::mutex::try_lock it may fail spuriously.
  //
  // Memory ordering: a successful try_lock() is a lock(); a failed one
  // synchronizes with nothing.
  bool try_lock() CONCHECK_TRY_ACQUIRE(true) {
    if (!mu_.try_lock())
      return false;
    owner_.store(detail::current_thread_tag(), std::memory_order_relaxed);
    return true;
  }

  // mutex::unlock()
  //
  // Releases the mutex.
  //
  // Requires: the calling thread holds it. Otherwise (never locked, already
  // unlocked, or held by another thread) reports
  // misuse::unlock_of_unlocked_mutex and leaves the mutex as it was.
  //
  // Memory ordering: see lock().
  void unlock() CONCHECK_RELEASE() {
    // Only the holder stores its own tag, and it clears the tag before it
    // unlocks, so the calling thread reads its own tag iff it holds the mutex.
    if (owner_.load(std::memory_order_relaxed) != detail::current_thread_tag())
      report_misuse(misuse::unlock_of_unlocked_mutex, "mutex");
    owner_.store(nullptr, std::memory_order_relaxed);
    mu_.unlock();
  }

  // mutex::assert_held()
  //
  // Tells the analysis that the calling thread holds the mutex, where it
  // cannot see so itself (a guard received from elsewhere, a callback that is
  // only ever run under the lock). Checks nothing at run time.
  void assert_held() const CONCHECK_ASSERT_CAPABILITY(this) {}

private:
  std::mutex mu_;
  std::atomic<const void *> owner_{nullptr};
};

// -----------------------------------------------------------------------------
// concheck::shared_mutex
// -----------------------------------------------------------------------------
//
// A readers/writer lock: std::shared_mutex with capability annotations. Any
// number of threads may hold it shared (lock_shared()), or one thread
// exclusively (lock()). Neither copyable nor movable.
//
// Misuse checks: unlock() by a thread that does not hold it exclusively, and
// unlock_shared() while no thread holds it shared, report
// misuse::unlock_of_unlocked_mutex. (An unlock_shared() from a thread that is
// not a reader while another thread is one cannot be told apart from a
// correct one, and is not detected.)
class CONCHECK_CAPABILITY("mutex") shared_mutex {
public:
  // shared_mutex::shared_mutex()
  //
  // Creates an unlocked mutex.
  shared_mutex() = default;

  shared_mutex(const shared_mutex &) = delete;
  shared_mutex &operator=(const shared_mutex &) = delete;

  // shared_mutex::~shared_mutex()
  //
  // Requires: the mutex is not held and no thread is blocked on it.
  ~shared_mutex() = default;

  // shared_mutex::lock()
  //
  // Blocks until the calling thread holds the mutex exclusively.
  //
  // Requires: the calling thread does not hold it (in either mode).
  //
  // Memory ordering: every unlock() and unlock_shared() synchronizes-with the
  // next lock() (or successful try_lock()); every unlock() synchronizes-with
  // the next lock_shared() (or successful try_lock_shared()) of each thread.
  // Readers do not synchronize with each other.
  void lock() CONCHECK_ACQUIRE() {
    mu_.lock();
    owner_.store(detail::current_thread_tag(), std::memory_order_relaxed);
  }

  // shared_mutex::try_lock()
  //
  // Acquires the mutex exclusively if it is free and returns true; otherwise
  // returns false at once (possibly spuriously).
  //
  // Memory ordering: a successful try_lock() is a lock().
  bool try_lock() CONCHECK_TRY_ACQUIRE(true) {
    if (!mu_.try_lock())
      return false;
    owner_.store(detail::current_thread_tag(), std::memory_order_relaxed);
    return true;
  }

  // shared_mutex::unlock()
  //
  // Releases exclusive ownership.
  //
  // Requires: the calling thread holds the mutex exclusively; otherwise
  // reports misuse::unlock_of_unlocked_mutex and leaves the mutex as it was.
  //
  // Memory ordering: see lock().
  void unlock() CONCHECK_RELEASE() {
    if (owner_.load(std::memory_order_relaxed) != detail::current_thread_tag())
      report_misuse(misuse::unlock_of_unlocked_mutex, "shared_mutex");
    owner_.store(nullptr, std::memory_order_relaxed);
    mu_.unlock();
  }

  // shared_mutex::lock_shared()
  //
  // Blocks until the calling thread holds the mutex shared.
  //
  // Requires: the calling thread does not hold it (in either mode).
  //
  // Memory ordering: see lock().
  void lock_shared() CONCHECK_ACQUIRE_SHARED() {
    mu_.lock_shared();
    readers_.fetch_add(1, std::memory_order_relaxed);
  }

  // shared_mutex::try_lock_shared()
  //
  // Acquires the mutex shared if no thread holds it exclusively and returns
  // true; otherwise returns false at once (possibly spuriously).
  //
  // Memory ordering: a successful try_lock_shared() is a lock_shared().
  bool try_lock_shared() CONCHECK_TRY_ACQUIRE_SHARED(true) {
    if (!mu_.try_lock_shared())
      return false;
    readers_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  // shared_mutex::unlock_shared()
  //
  // Releases the calling thread's shared ownership.
  //
  // Requires: the calling thread holds the mutex shared. If no thread does,
  // reports misuse::unlock_of_unlocked_mutex and leaves the mutex as it was.
  //
  // Memory ordering: see lock().
  void unlock_shared() CONCHECK_RELEASE_SHARED() {
    if (readers_.fetch_sub(1, std::memory_order_relaxed) <= 0) {
      readers_.fetch_add(1, std::memory_order_relaxed);
      report_misuse(misuse::unlock_of_unlocked_mutex, "shared_mutex");
    }
    mu_.unlock_shared();
  }

  // shared_mutex::assert_held()
  //
  // Tells the analysis that the calling thread holds the mutex exclusively.
  // Checks nothing at run time.
  void assert_held() const CONCHECK_ASSERT_CAPABILITY(this) {}

  // shared_mutex::assert_shared_held()
  //
  // Tells the analysis that the calling thread holds the mutex at least
  // shared. Checks nothing at run time.
  void assert_shared_held() const CONCHECK_ASSERT_SHARED_CAPABILITY(this) {}

private:
  std::shared_mutex mu_;
  std::atomic<const void *> owner_{nullptr};
  // Threads holding the mutex shared (only to detect a stray unlock_shared).
  std::atomic<std::ptrdiff_t> readers_{0};
};

// -----------------------------------------------------------------------------
// concheck::lock_guard
// -----------------------------------------------------------------------------
//
// Holds a mutex exclusively from construction to the end of its scope. Works
// with any BasicLockable type; CTAD deduces it (`concheck::lock_guard l(mu);`).
// Neither copyable nor movable.
template <class Mutex> class CONCHECK_SCOPED_CAPABILITY lock_guard {
public:
  using mutex_type = Mutex;

  // lock_guard::lock_guard(mu)
  //
  // Locks `mu` (mu.lock()).
  //
  // Memory ordering: that of mu.lock().
  explicit lock_guard(Mutex &mu) CONCHECK_ACQUIRE(mu) : mu_(mu) { mu_.lock(); }

  // lock_guard::lock_guard(mu, std::adopt_lock)
  //
  // Takes over `mu`, which the calling thread already holds; the guard
  // unlocks it at the end of its scope.
  //
  // Requires: the calling thread holds `mu` exclusively.
  lock_guard(Mutex &mu, std::adopt_lock_t) CONCHECK_REQUIRES(mu) : mu_(mu) {}

  lock_guard(const lock_guard &) = delete;
  lock_guard &operator=(const lock_guard &) = delete;

  // lock_guard::~lock_guard()
  //
  // Unlocks the mutex (mu.unlock()).
  //
  // Memory ordering: that of mu.unlock().
  ~lock_guard() CONCHECK_RELEASE() { mu_.unlock(); }

private:
  Mutex &mu_;
};

// -----------------------------------------------------------------------------
// concheck::unique_lock
// -----------------------------------------------------------------------------
//
// An exclusive guard that may give up and take back its mutex during its
// lifetime, and be moved: the guard std::condition_variable_any waits on. It
// owns the mutex or not (owns_lock()); its destructor unlocks a mutex it owns.
// Works with any Lockable type; CTAD deduces it.
//
// Misuse: unlock() of a guard that does not own its mutex reports
// misuse::unlock_of_unlocked_mutex (on "unique_lock"). lock() or try_lock() of
// a guard that already owns its mutex, or has none, throws std::system_error
// as std::unique_lock does (resource_deadlock_would_occur,
// operation_not_permitted).
template <class Mutex> class CONCHECK_SCOPED_CAPABILITY unique_lock {
public:
  using mutex_type = Mutex;

  // unique_lock::unique_lock()
  //
  // A guard with no mutex (to be move-assigned later). The attribute has no
  // body to turn off: it is there because clang registers a new object as a
  // guard (holding nothing) only when its constructor carries an attribute,
  // and the destructor of an unregistered guard warns.
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS unique_lock() noexcept {}

  // unique_lock::unique_lock(mu)
  //
  // Locks `mu`.
  //
  // Memory ordering: that of mu.lock().
  explicit unique_lock(Mutex &mu) CONCHECK_ACQUIRE(mu) : mu_(&mu) {
    mu.lock();
    owns_ = true;
  }

  // unique_lock::unique_lock(mu, std::defer_lock)
  //
  // Associates the guard with `mu` without locking it.
  unique_lock(Mutex &mu, std::defer_lock_t) noexcept CONCHECK_EXCLUDES(mu)
      : mu_(&mu) {}

  // unique_lock::unique_lock(mu, std::try_to_lock)
  //
  // Tries once to lock `mu` (mu.try_lock()); owns_lock() tells whether it
  // did. The analysis cannot tie the outcome to owns_lock(), so it treats the
  // mutex as not held: prefer std::defer_lock and `if (lock.try_lock())`,
  // which it understands.
  //
  // Memory ordering: that of mu.try_lock().
  unique_lock(Mutex &mu, std::try_to_lock_t) CONCHECK_EXCLUDES(mu)
      : mu_(&mu), owns_(mu.try_lock()) {}

  // unique_lock::unique_lock(mu, std::adopt_lock)
  //
  // Takes over `mu`, which the calling thread already holds.
  //
  // Requires: the calling thread holds `mu` exclusively.
  unique_lock(Mutex &mu, std::adopt_lock_t) noexcept CONCHECK_REQUIRES(mu)
      : mu_(&mu), owns_(true) {}

  // unique_lock::unique_lock(unique_lock&&)
  //
  // Takes `other`'s mutex and ownership; `other` is left with neither.
  //
  // The analysis cannot follow ownership from one guard to another: it keeps
  // believing that `other` holds the mutex until `other`'s scope ends, and
  // sees this guard as holding nothing. (The attribute also makes clang
  // register this object as a guard holding nothing, so that its destructor
  // does not warn: see unique_lock().)
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS
  unique_lock(unique_lock &&other) noexcept
      : mu_(std::exchange(other.mu_, nullptr)),
        owns_(std::exchange(other.owns_, false)) {}

  // unique_lock::operator=(unique_lock&&)
  //
  // Unlocks the mutex this guard owns, if any, then takes `other`'s mutex and
  // ownership. Invisible to the analysis, like the move constructor.
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS
  unique_lock &operator=(unique_lock &&other) noexcept {
    if (this != &other) {
      if (owns_)
        mu_->unlock();
      mu_ = std::exchange(other.mu_, nullptr);
      owns_ = std::exchange(other.owns_, false);
    }
    return *this;
  }

  unique_lock(const unique_lock &) = delete;
  unique_lock &operator=(const unique_lock &) = delete;

  // unique_lock::~unique_lock()
  //
  // Unlocks the mutex if the guard owns it.
  //
  // Memory ordering: that of mu.unlock(), when it unlocks.
  ~unique_lock() CONCHECK_RELEASE() {
    if (owns_)
      mu_->unlock();
  }

  // unique_lock::lock()
  //
  // Locks the associated mutex.
  //
  // Requires: the guard has a mutex and does not own it (else throws
  // std::system_error).
  //
  // Memory ordering: that of mutex_type::lock().
  void lock() CONCHECK_ACQUIRE() {
    check_can_lock();
    mu_->lock();
    owns_ = true;
  }

  // unique_lock::try_lock()
  //
  // Tries once to lock the associated mutex; returns whether it did.
  //
  // Requires: as lock().
  //
  // Memory ordering: that of mutex_type::try_lock().
  bool try_lock() CONCHECK_TRY_ACQUIRE(true) {
    check_can_lock();
    owns_ = mu_->try_lock();
    return owns_;
  }

  // unique_lock::unlock()
  //
  // Unlocks the associated mutex; the guard keeps it, no longer owned.
  //
  // Requires: the guard owns its mutex; otherwise reports
  // misuse::unlock_of_unlocked_mutex.
  //
  // Memory ordering: that of mutex_type::unlock().
  void unlock() CONCHECK_RELEASE() {
    if (!owns_)
      report_misuse(misuse::unlock_of_unlocked_mutex, "unique_lock");
    mu_->unlock();
    owns_ = false;
  }

  // unique_lock::owns_lock()
  //
  // Whether the guard holds its mutex.
  bool owns_lock() const noexcept { return owns_; }
  explicit operator bool() const noexcept { return owns_; }

  // unique_lock::mutex()
  //
  // The associated mutex, or nullptr.
  Mutex *mutex() const noexcept { return mu_; }

private:
  void check_can_lock() const {
    if (mu_ == nullptr)
      detail::throw_lock_error(std::errc::operation_not_permitted);
    if (owns_)
      detail::throw_lock_error(std::errc::resource_deadlock_would_occur);
  }

  Mutex *mu_ = nullptr;
  bool owns_ = false;
};

// -----------------------------------------------------------------------------
// concheck::shared_lock
// -----------------------------------------------------------------------------
//
// unique_lock's shared counterpart: a movable guard holding a SharedLockable
// mutex shared (lock_shared()/unlock_shared()). Its own lock()/unlock() take
// and give up shared ownership, so std::condition_variable_any can wait on it.
// The analysis allows reads, not writes, of fields the mutex guards. Misuse is
// handled as for unique_lock.
template <class Mutex> class CONCHECK_SCOPED_CAPABILITY shared_lock {
public:
  using mutex_type = Mutex;

  // shared_lock::shared_lock()
  //
  // A guard with no mutex. (The attribute: see unique_lock().)
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS shared_lock() noexcept {}

  // shared_lock::shared_lock(mu)
  //
  // Locks `mu` shared.
  //
  // Memory ordering: that of mu.lock_shared().
  explicit shared_lock(Mutex &mu) CONCHECK_ACQUIRE_SHARED(mu) : mu_(&mu) {
    mu.lock_shared();
    owns_ = true;
  }

  // shared_lock::shared_lock(mu, std::defer_lock)
  //
  // Associates the guard with `mu` without locking it.
  shared_lock(Mutex &mu, std::defer_lock_t) noexcept CONCHECK_EXCLUDES(mu)
      : mu_(&mu) {}

  // shared_lock::shared_lock(mu, std::try_to_lock)
  //
  // Tries once to lock `mu` shared; owns_lock() tells whether it did. As with
  // unique_lock, the analysis treats the mutex as not held.
  //
  // Memory ordering: that of mu.try_lock_shared().
  shared_lock(Mutex &mu, std::try_to_lock_t) CONCHECK_EXCLUDES(mu)
      : mu_(&mu), owns_(mu.try_lock_shared()) {}

  // shared_lock::shared_lock(mu, std::adopt_lock)
  //
  // Takes over `mu`, which the calling thread already holds shared.
  //
  // Requires: the calling thread holds `mu` shared.
  shared_lock(Mutex &mu, std::adopt_lock_t) noexcept
      CONCHECK_REQUIRES_SHARED(mu)
      : mu_(&mu), owns_(true) {}

  // shared_lock::shared_lock(shared_lock&&)
  //
  // Takes `other`'s mutex and ownership. Invisible to the analysis, as for
  // unique_lock.
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS
  shared_lock(shared_lock &&other) noexcept
      : mu_(std::exchange(other.mu_, nullptr)),
        owns_(std::exchange(other.owns_, false)) {}

  // shared_lock::operator=(shared_lock&&)
  //
  // Unlocks the mutex this guard owns, if any, then takes `other`'s.
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS
  shared_lock &operator=(shared_lock &&other) noexcept {
    if (this != &other) {
      if (owns_)
        mu_->unlock_shared();
      mu_ = std::exchange(other.mu_, nullptr);
      owns_ = std::exchange(other.owns_, false);
    }
    return *this;
  }

  shared_lock(const shared_lock &) = delete;
  shared_lock &operator=(const shared_lock &) = delete;

  // shared_lock::~shared_lock()
  //
  // Unlocks the mutex (shared) if the guard owns it.
  //
  // Memory ordering: that of mu.unlock_shared(), when it unlocks.
  ~shared_lock() CONCHECK_RELEASE() {
    if (owns_)
      mu_->unlock_shared();
  }

  // shared_lock::lock()
  //
  // Locks the associated mutex shared.
  //
  // Requires: the guard has a mutex and does not own it (else throws
  // std::system_error).
  //
  // Memory ordering: that of mutex_type::lock_shared().
  void lock() CONCHECK_ACQUIRE_SHARED() {
    check_can_lock();
    mu_->lock_shared();
    owns_ = true;
  }

  // shared_lock::try_lock()
  //
  // Tries once to lock the associated mutex shared; returns whether it did.
  //
  // Requires: as lock().
  //
  // Memory ordering: that of mutex_type::try_lock_shared().
  bool try_lock() CONCHECK_TRY_ACQUIRE_SHARED(true) {
    check_can_lock();
    owns_ = mu_->try_lock_shared();
    return owns_;
  }

  // shared_lock::unlock()
  //
  // Gives up shared ownership; the guard keeps its mutex.
  //
  // Requires: the guard owns its mutex; otherwise reports
  // misuse::unlock_of_unlocked_mutex (on "shared_lock").
  //
  // Memory ordering: that of mutex_type::unlock_shared().
  //
  // (The attribute is RELEASE, not RELEASE_SHARED: what is released is the
  // guard, which the analysis holds exclusively, and with it the shared hold
  // on the mutex.)
  void unlock() CONCHECK_RELEASE() {
    if (!owns_)
      report_misuse(misuse::unlock_of_unlocked_mutex, "shared_lock");
    mu_->unlock_shared();
    owns_ = false;
  }

  // shared_lock::owns_lock()
  //
  // Whether the guard holds its mutex shared.
  bool owns_lock() const noexcept { return owns_; }
  explicit operator bool() const noexcept { return owns_; }

  // shared_lock::mutex()
  //
  // The associated mutex, or nullptr.
  Mutex *mutex() const noexcept { return mu_; }

private:
  void check_can_lock() const {
    if (mu_ == nullptr)
      detail::throw_lock_error(std::errc::operation_not_permitted);
    if (owns_)
      detail::throw_lock_error(std::errc::resource_deadlock_would_occur);
  }

  Mutex *mu_ = nullptr;
  bool owns_ = false;
};

} // namespace concheck

#endif // CONCHECK_MUTEX_H_
