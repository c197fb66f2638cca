// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: guarded.h
// -----------------------------------------------------------------------------
//
// guarded<T, Mutex> keeps a value together with the mutex that protects it, so
// the value cannot be reached without holding the lock: there is no accessor
// that bypasses it. Three ways in:
//
//   * with_lock(f): calls f(T&) with the lock held and returns f's result;
//   * lock(): returns a move-only handle that holds the lock for its lifetime
//     and gives access through `->` and `*`;
//   * with a shared mutex (one with lock_shared(), such as
//     concheck::shared_mutex): with_shared_lock(f) and lock_shared(), which
//     give read-only access under a shared lock.
//
// lock_all(a, b, ...) locks several guarded values at once, in one global
// order (by the mutexes' addresses), so two threads that lock the same values
// in opposite argument orders cannot deadlock; with_all(f, a, b, ...) calls f
// with all of them.
//
// Example:
//
//   concheck::guarded<std::vector<int>> queue;
//   concheck::guarded<std::map<std::string, int>, concheck::shared_mutex>
//       counts;
//
//   queue.with_lock([](std::vector<int>& q) { q.push_back(1); });
//   {
//     auto q = queue.lock();              // held until q goes out of scope
//     q->push_back(2);
//   }
//   int n = counts.with_shared_lock(
//       [](const auto& m) { return m.count("x") ? m.at("x") : 0; });
//
//   concheck::guarded<Account> from, to;
//   concheck::with_all([](Account& a, Account& b) { a.move_to(b, 10); },
//                      from, to);
//
// The protection is only as good as what escapes: a pointer or reference to
// the value (or into it) that f returns, or that outlives a handle, is
// unprotected. Do not let one out.
//
// Thread-safety analysis: the value is CONCHECK_GUARDED_BY the mutex, so
// guarded's own members are checked. A handle is opaque to the analysis (it
// cannot name the mutex it holds): the type system, not the analysis, is what
// keeps a handle's users from touching the value without the lock.
//
// Locking order: lock_all orders the mutexes it takes among themselves. It
// cannot order them against locks taken elsewhere: calling lock_all while
// holding another lock, or a.lock() while a handle of b is alive in one
// thread and the reverse in another, can still deadlock.

#ifndef CONCHECK_GUARDED_H_
#define CONCHECK_GUARDED_H_

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <functional>
#include <mutex>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>

#include <concheck/mutex.h>
#include <concheck/thread_annotations.h>

namespace concheck {

template <class T, class Mutex> class guarded;

namespace detail {

// A mutex that can also be held shared.
template <class M>
concept shared_lockable = requires(M &m) {
  m.lock_shared();
  m.unlock_shared();
  { m.try_lock_shared() } -> std::convertible_to<bool>;
};

template <class G> struct is_guarded : std::false_type {};
template <class T, class M>
struct is_guarded<guarded<T, M>> : std::true_type {};

// A guarded<> object, const or not (as lock_all accepts them).
template <class G>
concept guarded_object = is_guarded<std::remove_const_t<G>>::value;

struct guarded_access;

} // namespace detail

// -----------------------------------------------------------------------------
// concheck::guarded_handle
// -----------------------------------------------------------------------------
//
// Access to a guarded value while a lock on it is held: the type of
// guarded::lock(), lock_shared() and of lock_all()'s tuple elements (use
// `auto`; the aliases are guarded<T, M>::handle, const_handle and
// shared_handle). It holds the lock from its creation until it is destroyed,
// and is move-only; a moved-from handle holds nothing and must not be
// dereferenced.
template <class Value, class Lock> class [[nodiscard]] guarded_handle {
public:
  // guarded_handle::guarded_handle(guarded_handle&&)
  //
  // Takes over `other`'s lock and access; `other` is left with neither. The
  // lock is not released in between.
  guarded_handle(guarded_handle &&other) noexcept
      : lock_(std::move(other.lock_)),
        value_(std::exchange(other.value_, nullptr)) {}

  // guarded_handle::operator=(guarded_handle&&)
  //
  // Releases this handle's lock (if it holds one), then takes over `other`'s
  // lock and access.
  //
  // Memory ordering: the release is an unlock; see ~guarded_handle().
  guarded_handle &operator=(guarded_handle &&other) noexcept {
    lock_ = std::move(other.lock_);
    value_ = std::exchange(other.value_, nullptr);
    return *this;
  }

  guarded_handle(const guarded_handle &) = delete;
  guarded_handle &operator=(const guarded_handle &) = delete;

  // guarded_handle::~guarded_handle()
  //
  // Releases the lock (if this handle was not moved from).
  //
  // Memory ordering: the unlock synchronizes-with the next acquisition of the
  // same mutex (see mutex.h), so what was done through this handle
  // happens-before what is done under that next lock.
  ~guarded_handle() = default;

  // guarded_handle::operator->()
  //
  // The guarded value.
  //
  // Requires: the handle was not moved from. The pointer is valid, and the
  // access safe, only while the handle is alive.
  Value *operator->() const noexcept { return value_; }

  // guarded_handle::operator*()
  //
  // The guarded value. Requires: as operator->().
  Value &operator*() const noexcept { return *value_; }

private:
  template <class, class> friend class guarded;
  friend struct detail::guarded_access;

  guarded_handle(Lock lock, Value &value) noexcept
      : lock_(std::move(lock)), value_(&value) {}

  Lock lock_;
  Value *value_;
};

// -----------------------------------------------------------------------------
// concheck::guarded
// -----------------------------------------------------------------------------
//
// A T reachable only while its Mutex is held. Mutex is concheck::mutex by
// default; concheck::shared_mutex (or any SharedLockable type) adds the shared
// accessors. Neither copyable nor movable (the mutex is not).
template <class T, class Mutex = concheck::mutex> class guarded {
public:
  using value_type = T;
  using mutex_type = Mutex;
  // What lock() returns: exclusive access to a T.
  using handle = guarded_handle<T, unique_lock<Mutex>>;
  // What lock() on a const guarded returns: exclusive lock, const T.
  using const_handle = guarded_handle<const T, unique_lock<Mutex>>;
  // What lock_shared() returns: shared lock, const T.
  using shared_handle = guarded_handle<const T, shared_lock<Mutex>>;

  // guarded::guarded()
  //
  // A value-initialized T.
  guarded()
    requires std::default_initializable<T>
      : value_() {}

  // guarded::guarded(value)
  //
  // A T made from `value` (copied or moved in).
  template <class U = T>
    requires(std::constructible_from<T, U &&> &&
             !std::same_as<std::remove_cvref_t<U>, guarded> &&
             !std::same_as<std::remove_cvref_t<U>, std::in_place_t>)
  explicit guarded(U &&value) : value_(std::forward<U>(value)) {}

  // guarded::guarded(std::in_place, args...)
  //
  // A T constructed in place from `args`.
  template <class... Args>
    requires std::constructible_from<T, Args &&...>
  explicit guarded(std::in_place_t, Args &&...args)
      : value_(std::forward<Args>(args)...) {}

  guarded(const guarded &) = delete;
  guarded &operator=(const guarded &) = delete;

  // guarded::~guarded()
  //
  // Requires: no handle to this value is alive and no thread is using it.
  ~guarded() = default;

  // guarded::with_lock(f)
  //
  // Locks the mutex, calls f(T&) (f(const T&) on a const guarded), unlocks,
  // and returns what f returned. If f throws, the lock is released and the
  // exception propagates.
  //
  // Requires: the calling thread does not hold this guarded's lock already
  // (no with_lock or live handle of the same value further up the stack).
  //
  // Memory ordering: the calls of f (and the lifetimes of handles) on one
  // guarded value are totally ordered by its mutex; each one happens-before
  // the next.
  //
  // (The return type is decltype(auto), not invoke_result_t, so that a
  // generic lambda such as [](auto& m) { m["k"] = 1; } is not instantiated
  // with const T& for the const overload while overloads are resolved.)
  template <class F>
  decltype(auto) with_lock(F &&f) CONCHECK_EXCLUDES(mu_) {
    lock_guard<Mutex> lock(mu_);
    return std::invoke(std::forward<F>(f), value_);
  }

  template <class F>
  decltype(auto) with_lock(F &&f) const CONCHECK_EXCLUDES(mu_) {
    lock_guard<Mutex> lock(mu_);
    return std::invoke(std::forward<F>(f), value_);
  }

  // guarded::with_shared_lock(f)
  //
  // Locks the mutex shared, calls f(const T&), unlocks, and returns what f
  // returned. Several threads may be in with_shared_lock at once. Only when
  // Mutex is SharedLockable.
  //
  // Requires: as with_lock().
  //
  // Memory ordering: every exclusive section (with_lock, handle) happens-before
  // or after each shared one; shared sections are not ordered with each other.
  template <class F>
    requires detail::shared_lockable<Mutex>
  std::invoke_result_t<F, const T &> with_shared_lock(F &&f) const
      CONCHECK_EXCLUDES(mu_) {
    shared_lock<Mutex> lock(mu_);
    return std::invoke(std::forward<F>(f), value_);
  }

  // guarded::lock()
  //
  // Locks the mutex and returns a handle that holds it until the handle is
  // destroyed: `auto h = g.lock(); h->push_back(1);`. On a const guarded the
  // handle gives const access (under the exclusive lock).
  //
  // Requires: as with_lock().
  //
  // Memory ordering: as with_lock(); the handle's lifetime is the critical
  // section.
  handle lock() CONCHECK_EXCLUDES(mu_) {
    return handle(unique_lock<Mutex>(mu_), value_);
  }

  const_handle lock() const CONCHECK_EXCLUDES(mu_) {
    return const_handle(unique_lock<Mutex>(mu_), value_);
  }

  // guarded::lock_shared()
  //
  // Locks the mutex shared and returns a handle giving const access until it
  // is destroyed. Only when Mutex is SharedLockable.
  //
  // Requires: as with_lock().
  //
  // Memory ordering: as with_shared_lock().
  shared_handle lock_shared() const
    requires detail::shared_lockable<Mutex>
  CONCHECK_EXCLUDES(mu_) {
    return shared_handle(shared_lock<Mutex>(mu_), value_);
  }

private:
  friend struct detail::guarded_access;

  mutable Mutex mu_;
  T value_ CONCHECK_GUARDED_BY(mu_);
};

namespace detail {

// What lock_all needs from a guarded<> and its handles, kept out of guarded's
// public interface.
struct guarded_access {
  template <class T, class M> static M &mutex_of(const guarded<T, M> &g) {
    return g.mu_;
  }

  // A handle that adopts the lock lock_all already holds. lock_all locked
  // g.mu_ in an order known only at run time, out of the analysis' sight.
  template <class T, class M>
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS static typename guarded<T, M>::handle
  adopt(guarded<T, M> &g) {
    return typename guarded<T, M>::handle(
        unique_lock<M>(g.mu_, std::adopt_lock), g.value_);
  }

  template <class T, class M>
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS static
      typename guarded<T, M>::const_handle
      adopt(const guarded<T, M> &g) {
    return typename guarded<T, M>::const_handle(
        unique_lock<M>(g.mu_, std::adopt_lock), g.value_);
  }
};

// The handle lock_all returns for a G (const guarded -> const_handle).
template <class G>
using handle_for =
    std::conditional_t<std::is_const_v<G>,
                       typename std::remove_const_t<G>::const_handle,
                       typename std::remove_const_t<G>::handle>;

// One mutex to lock, with its type erased so mutexes of different types can
// be sorted together.
struct lock_order_entry {
  const void *address;
  void (*lock)(const void *);
  void (*unlock)(const void *);
};

// lock_order_entry's functions for a mutex of type M. Each takes or gives up
// a lock the analysis cannot see from the caller (lock_in_address_order pairs
// them), hence no analysis here.
template <class M> struct erased_lock {
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS static void lock(const void *mu) {
    static_cast<M *>(const_cast<void *>(mu))->lock();
  }
  CONCHECK_NO_THREAD_SAFETY_ANALYSIS static void unlock(const void *mu) {
    static_cast<M *>(const_cast<void *>(mu))->unlock();
  }
};

template <class M> lock_order_entry make_lock_order_entry(M &mu) {
  return {&mu, &erased_lock<M>::lock, &erased_lock<M>::unlock};
}

// Locks every entry, in ascending address order. Throws
// std::system_error(resource_deadlock_would_occur) if one mutex appears twice
// (locking it twice would deadlock); if a lock() throws, unlocks what it
// locked and rethrows. (No analysis: which mutex is locked when is known
// only at run time.)
template <std::size_t N>
CONCHECK_NO_THREAD_SAFETY_ANALYSIS void
lock_in_address_order(std::array<lock_order_entry, N> &entries) {
  std::sort(entries.begin(), entries.end(),
            [](const lock_order_entry &a, const lock_order_entry &b) {
              return std::less<const void *>()(a.address, b.address);
            });
  for (std::size_t i = 1; i < N; ++i)
    if (entries[i].address == entries[i - 1].address)
      throw std::system_error(
          std::make_error_code(std::errc::resource_deadlock_would_occur));
  std::size_t locked = 0;
  try {
    for (; locked < N; ++locked)
      entries[locked].lock(entries[locked].address);
  } catch (...) {
    while (locked > 0) {
      --locked;
      entries[locked].unlock(entries[locked].address);
    }
    throw;
  }
}

} // namespace detail

// -----------------------------------------------------------------------------
// concheck::lock_all()
// -----------------------------------------------------------------------------
//
// lock_all(a, b, ...)
//
// Locks the mutexes of all the given guarded values, in ascending order of
// their addresses whatever the argument order, and returns a std::tuple of
// handles in argument order (a handle for each non-const argument, a
// const_handle for each const one). Each lock is released when its handle is
// destroyed. Use structured bindings:
//
//   auto [from, to] = concheck::lock_all(accounts[i], accounts[j]);
//   from->balance -= 10;
//   to->balance += 10;
//
// Because every lock_all call takes its mutexes in the same global order, two
// threads calling lock_all(x, y) and lock_all(y, x) cannot deadlock.
//
// Requires: the arguments are distinct objects (passing one twice throws
// std::system_error(resource_deadlock_would_occur) before locking anything),
// and the calling thread holds none of their locks.
//
// Memory ordering: for each argument, as guarded::lock().
template <detail::guarded_object... G>
  requires(sizeof...(G) > 0)
[[nodiscard]] std::tuple<detail::handle_for<G>...> lock_all(G &...gs) {
  std::array<detail::lock_order_entry, sizeof...(G)> entries{
      detail::make_lock_order_entry(detail::guarded_access::mutex_of(gs))...};
  detail::lock_in_address_order(entries);
  return std::tuple<detail::handle_for<G>...>(
      detail::guarded_access::adopt(gs)...);
}

// -----------------------------------------------------------------------------
// concheck::with_all()
// -----------------------------------------------------------------------------
//
// with_all(f, a, b, ...)
//
// Locks all the given guarded values as lock_all() does, calls f with a
// reference to each value in argument order (T& for a non-const argument,
// const T& for a const one), releases the locks and returns what f returned.
//
//   concheck::with_all([](Account& from, Account& to) {
//     from.balance -= 10;
//     to.balance += 10;
//   }, accounts[i], accounts[j]);
//
// Requires: as lock_all().
//
// Memory ordering: as lock_all().
template <class F, detail::guarded_object... G>
  requires(sizeof...(G) > 0)
std::invoke_result_t<F, decltype(*std::declval<detail::handle_for<G> &>())...>
with_all(F &&f, G &...gs) {
  auto handles = lock_all(gs...);
  return std::apply(
      [&f](auto &...h) -> decltype(auto) {
        return std::invoke(std::forward<F>(f), *h...);
      },
      handles);
}

} // namespace concheck

#endif // CONCHECK_GUARDED_H_
