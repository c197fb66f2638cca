// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: semaphore.h
// -----------------------------------------------------------------------------
//
// A counting semaphore: a count of permits that acquire() takes one at a time
// (waiting while there are none) and release(n) gives back. Use it to bound
// how many threads do something at once, or to hand a signal from one thread
// to another.
//
// Why not std::counting_semaphore: libstdc++'s can lose a wake-up and leave a
// thread blocked in acquire() forever while permits are available (GCC
// PR 104928 and PR 98033): its release() skips the notification when it sees
// a positive count, although a waiter may just have failed to take a permit
// and be about to sleep. libc++ had the same class of bug (LLVM issue 77659).
// This one is built so that it cannot happen; see "How it works" below.
//
// Example:
//
//   concheck::semaphore slots(4);   // at most 4 downloads at once
//   void download(const Url& url) {
//     concheck::semaphore_guard slot(slots);   // released at scope end
//     fetch(url);
//   }
//
//   concheck::semaphore done(0);               // a one-shot signal
//   run_later([&] { work(); done.release(); });
//   done.acquire();                            // work() happens-before this
//
// Misuse, reported in every build mode:
//   * release() beyond the maximum count: misuse::semaphore_overflow
//     ("concheck: misuse of semaphore: release beyond the maximum count");
//   * a negative initial count or release(n) with n < 0:
//     misuse::negative_counter;
//   * an initial count above the maximum: misuse::semaphore_overflow.
//
// How it works. All the state release() needs sits in one 64-bit atomic word:
// the permit count (low 40 bits), the number of threads sleeping in acquire()
// (next 23 bits) and a flag saying that threads wait in the timed functions
// (top bit). Every change is one atomic read-modify-write of that word, so
// all of them are in one modification order, and that order alone is what
// the reasoning below relies on.
//
//   * Fast paths: try_acquire() and an uncontended acquire() are one CAS that
//     decrements the count; release() with no one waiting is one CAS that
//     adds to it. No lock, no system call.
//   * acquire() with no permit registers itself as a sleeper (CAS: sleepers
//     + 1, count still 0). It then reads the wake-up word `wakes` (a 32-bit
//     futex word, detail/parking.h), looks at the state again, and if there
//     is still no permit parks on `wakes` while it holds what it read; when
//     it sees a permit, one CAS takes it and deregisters it together.
//   * release(n) adds n in one CAS and reads, in the value it replaced,
//     whether anyone sleeps; if so it bumps `wakes` and wakes one parked
//     thread (n == 1) or all of them (n > 1).
//
// A wake-up cannot be lost: a sleeper parks only if its look at the state,
// made after it read w from `wakes`, showed no permit. A release whose CAS
// that look missed bumps `wakes` after the CAS: if the sleeper's read of
// `wakes` saw the bump, it happens after the release (acquire/release) and
// its look would have seen the permit; so it read the value before, and the
// kernel either finds `wakes` changed when the sleeper parks (it returns at
// once) or queues it before the release's wake-up, which then wakes it. A
// woken sleeper parks again only after it has seen the count at 0 again,
// i.e. after every published permit has been taken by someone. Waking one
// is enough for one permit: whoever is woken either takes it, or finds that
// another thread already has. (std::atomic<uint64_t>::wait, used before,
// spun with sched_yield() before sleeping, and on a busy machine each yield
// could give the core away for a whole time slice: milliseconds late.)
//
// The sleeper field holds 2^23 - 1 threads, more than Linux allows in a whole
// system (2^22); should it ever be full, acquire() waits with the timed
// waiters, without a deadline, instead.
//
// C++20 atomic wait has no timeout, so the timed functions wait on a
// std::condition_variable instead. The first timed waiter sets the flag bit
// (under the condition variable's mutex), the last one clears it; a release
// that replaces a value with the flag set locks and unlocks that mutex and
// then notifies all timed waiters. A timed waiter checks for a permit and
// goes to sleep under the mutex, so the release's lock/unlock happens either
// before that check (which then sees the permit) or after the waiter is
// asleep (which the notification then wakes).
//
// Destruction right after acquire(), while the release() that handed over the
// permit is still finishing its notification, is supported: the common
// "stack semaphore as a completion signal" pattern above. glibc's sem_post had
// to be rewritten for exactly this (glibc bug 12674). A release() that has to
// wake someone counts itself in releases_in_flight_ before it publishes its
// permits and out after its last access to the object's memory (its futex
// wake-ups come after: they only name addresses); the destructor parks until
// that count is zero, woken by the release that takes it there. A release()
// that wakes no one touches the object only in the CAS that publishes its
// permits.

#ifndef CONCHECK_SEMAPHORE_H_
#define CONCHECK_SEMAPHORE_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <thread>

#include <concheck/detail/annotated_mutex.h>
#include <concheck/detail/parking.h>
#include <concheck/misuse.h>
#include <concheck/thread_annotations.h>

namespace concheck {

// -----------------------------------------------------------------------------
// concheck::semaphore
// -----------------------------------------------------------------------------
//
// A counting semaphore with a maximum count chosen at construction. Neither
// copyable nor movable. Not a capability for -Wthread-safety: permits are not
// owned by threads (one thread may release what another acquired).
class semaphore {
  using word = std::uint64_t;

  static constexpr int count_bits = 40;
  static constexpr int sleeper_bits = 23;
  static constexpr word count_mask = (word{1} << count_bits) - 1;
  static constexpr word one_sleeper = word{1} << count_bits;
  static constexpr word sleeper_mask = ((word{1} << sleeper_bits) - 1)
                                       << count_bits;
  static constexpr word timed_flag = word{1} << (count_bits + sleeper_bits);
  static_assert(count_bits + sleeper_bits + 1 == 64);

public:
  // The largest maximum count a semaphore can have: 2^40 - 1 (about 10^12).
  static constexpr std::ptrdiff_t max_limit =
      static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(
          count_mask, std::numeric_limits<std::ptrdiff_t>::max()));

  // semaphore::semaphore(initial, max_count)
  //
  // A semaphore holding `initial` permits, which release() may never take
  // above `max_count`. A max_count above max_limit (such as PTRDIFF_MAX, for
  // "unbounded") is lowered to max_limit.
  //
  // Requires: 0 <= initial <= max_count. A negative `initial` reports
  // misuse::negative_counter, one above max_count misuse::semaphore_overflow.
  explicit semaphore(std::ptrdiff_t initial,
                     std::ptrdiff_t max_count = max_limit)
      : max_(std::min(max_count, max_limit)) {
    if (initial < 0)
      report_misuse(misuse::negative_counter, "semaphore");
    if (initial > max_)
      report_misuse(misuse::semaphore_overflow, "semaphore");
    state_.store(static_cast<word>(initial), std::memory_order_relaxed);
  }

  semaphore(const semaphore &) = delete;
  semaphore &operator=(const semaphore &) = delete;

  // semaphore::~semaphore()
  //
  // Waits for release() calls that have published their permits but are
  // still waking waiters (a few instructions or one system call), so that a
  // thread may destroy the semaphore as soon as its acquire() has returned.
  //
  // Requires: no thread is blocked on the semaphore or will call a member
  // function on it. (The count need not be back at its initial value.)
  //
  // Memory ordering: every such release() happens-before the end of the
  // destructor (it synchronizes through releases_in_flight_).
  ~semaphore() {
    // Parked, not yielding: on a busy machine a yield can give the core away
    // for a whole time slice (issue 17). The last release() out wakes it.
    for (std::uint32_t n;
         (n = releases_in_flight_.load(std::memory_order_acquire)) != 0;) {
      if constexpr (detail::unpark_touches_memory)
        std::this_thread::yield(); // its wake-up would touch freed memory
      else
        detail::park(releases_in_flight_, n);
    }
  }

  // semaphore::max()
  //
  // The maximum count.
  std::ptrdiff_t max() const noexcept { return max_; }

  // semaphore::release(n)
  //
  // Adds `n` permits and wakes threads waiting for them: one if n == 1, all
  // of them (they compete for the permits) otherwise. release(0) does
  // nothing. Never blocks on other threads, except for a brief lock of the
  // timed waiters' mutex when some thread is in try_acquire_for/until.
  //
  // Requires: n >= 0 (else misuse::negative_counter), and the count plus n
  // does not exceed max() (else misuse::semaphore_overflow, with the count
  // left unchanged).
  //
  // Memory ordering: release(n) happens-before each acquire() or successful
  // try_acquire*() that takes one of the n permits it adds (the CAS that adds
  // them is a release operation; the one that takes a permit is an acquire
  // operation reading from it or from a later CAS in its release sequence).
  void release(std::ptrdiff_t n = 1) {
    if (n < 0)
      report_misuse(misuse::negative_counter, "semaphore");
    if (n == 0)
      return;
    word s = state_.load(std::memory_order_relaxed);
    bool in_flight = false;
    for (;;) {
      const auto count = static_cast<std::ptrdiff_t>(s & count_mask);
      if (n > max_ - count) {
        if (in_flight)
          releases_in_flight_.fetch_sub(1, std::memory_order_release);
        report_misuse(misuse::semaphore_overflow, "semaphore");
      }
      // Once the permits are published, a waiter may take one and destroy
      // the semaphore: whoever will touch it after that must be counted in
      // first (see ~semaphore()).
      if ((s & (sleeper_mask | timed_flag)) != 0 && !in_flight) {
        releases_in_flight_.fetch_add(1, std::memory_order_relaxed);
        in_flight = true;
      }
      if (state_.compare_exchange_weak(s, s + static_cast<word>(n),
                                       std::memory_order_release,
                                       std::memory_order_relaxed))
        break;
    }
    // `s` is now the value this release replaced: who was waiting then.
    const bool sleepers = (s & sleeper_mask) != 0;
    if (sleepers)
      wakes_.fetch_add(1, std::memory_order_release);
    if ((s & timed_flag) != 0) {
      // A timed waiter holds the mutex from its last look at the count until
      // it sleeps; passing through the mutex puts this release after that.
      { detail::annotated_lock lock(timed_mu_); }
      timed_cv_.notify_all();
    }
    // The wake-ups only name addresses (detail/parking.h): the semaphore may
    // be destroyed as soon as this release is counted out, before them.
    if constexpr (detail::unpark_touches_memory) {
      if (sleepers)
        wake_sleepers(n);
      if (in_flight)
        releases_in_flight_.fetch_sub(1, std::memory_order_release);
    } else {
      if (in_flight &&
          releases_in_flight_.fetch_sub(1, std::memory_order_release) == 1)
        detail::unpark_all(releases_in_flight_);
      if (sleepers)
        wake_sleepers(n);
    }
  }

  // semaphore::acquire()
  //
  // Takes a permit, waiting as long as there is none.
  //
  // Memory ordering: see release(): the release() of the permit this call
  // takes happens-before its return.
  void acquire() {
    word s = state_.load(std::memory_order_relaxed);
    // Take a permit if there is one; otherwise register as a sleeper.
    for (;;) {
      if ((s & count_mask) != 0) {
        if (state_.compare_exchange_weak(s, s - 1, std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return;
      } else if ((s & sleeper_mask) == sleeper_mask) {
        // 2^23 - 1 threads already sleep here (more threads than Linux
        // allows in a whole system): wait with the timed waiters instead.
        acquire_on_condvar([this](detail::annotated_lock &lock) {
          lock.wait(timed_cv_);
          return true;
        });
        return;
      } else if (state_.compare_exchange_weak(s, s + one_sleeper,
                                              std::memory_order_relaxed,
                                              std::memory_order_relaxed)) {
        s += one_sleeper;
        break;
      }
    }
    // Registered. Sleep while the word is unchanged; once a permit shows,
    // take it and deregister in one CAS.
    for (;;) {
      if ((s & count_mask) != 0) {
        if (state_.compare_exchange_weak(s, s - 1 - one_sleeper,
                                         std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return;
        continue;
      }
      const std::uint32_t seen = wakes_.load(std::memory_order_acquire);
      s = state_.load(std::memory_order_relaxed);
      if ((s & count_mask) == 0)
        detail::park(wakes_, seen);
      s = state_.load(std::memory_order_relaxed);
    }
  }

  // semaphore::try_acquire()
  //
  // Takes a permit if there is one and returns true; otherwise returns false
  // at once. Never fails while a permit is available (no spurious failure).
  //
  // Memory ordering: as acquire() when it returns true; none when false.
  bool try_acquire() noexcept {
    word s = state_.load(std::memory_order_relaxed);
    while ((s & count_mask) != 0)
      if (state_.compare_exchange_weak(s, s - 1, std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return true;
    return false;
  }

  // semaphore::try_acquire_for(timeout)
  //
  // Takes a permit, waiting at most about `timeout` (measured on
  // std::chrono::steady_clock) for one; returns whether it did. A timeout of
  // zero or less only tries once; one of more than 10^9 seconds (about 31
  // years) waits without a deadline.
  //
  // Memory ordering: as try_acquire().
  template <class Rep, class Period>
  bool try_acquire_for(const std::chrono::duration<Rep, Period> &timeout) {
    if (try_acquire())
      return true;
    if (timeout <= timeout.zero())
      return false;
    if (is_practically_forever(timeout))
      return acquire_on_condvar([this](detail::annotated_lock &lock) {
        lock.wait(timed_cv_);
        return true;
      });
    using clock = std::chrono::steady_clock;
    return try_acquire_until(clock::now() +
                             std::chrono::ceil<clock::duration>(timeout));
  }

  // semaphore::try_acquire_until(deadline)
  //
  // Takes a permit, waiting until `deadline` (on its own clock, re-read after
  // every wake-up, so a system_clock deadline follows clock changes) at most;
  // returns whether it did. If the deadline has passed it only tries once.
  //
  // Memory ordering: as try_acquire().
  template <class Clock, class Duration>
  bool
  try_acquire_until(const std::chrono::time_point<Clock, Duration> &deadline) {
    if (try_acquire())
      return true;
    return acquire_on_condvar([&](detail::annotated_lock &lock) {
      const auto now = Clock::now();
      if (now >= deadline)
        return false;
      const auto remaining = deadline - now;
      if (is_practically_forever(remaining)) {
        lock.wait(timed_cv_);
      } else {
        using steady = std::chrono::steady_clock;
        lock.wait_until(timed_cv_,
                        steady::now() +
                            std::chrono::ceil<steady::duration>(remaining));
      }
      return true; // woken or timed out: the caller looks for a permit again
    });
  }

private:
  template <class Rep, class Period>
  static bool
  is_practically_forever(const std::chrono::duration<Rep, Period> &d) {
    // Compared in floating point: converting a huge duration to the clock's
    // nanoseconds could overflow.
    return std::chrono::duration<double>(d).count() >= 1e9;
  }

  // The timed waiters' loop: under timed_mu_, look for a permit; if there is
  // none, call wait_once(lock), which sleeps on timed_cv_ (releasing the
  // mutex while it sleeps) and returns false once the deadline has passed.
  // Returns whether a permit was taken.
  template <class WaitOnce>
  bool acquire_on_condvar(WaitOnce wait_once) CONCHECK_EXCLUDES(timed_mu_) {
    detail::annotated_lock lock(timed_mu_);
    enter_timed_wait();
    bool acquired = false;
    try {
      for (;;) {
        if (try_acquire()) {
          acquired = true;
          break;
        }
        if (!wait_once(lock)) {
          acquired = try_acquire();
          break;
        }
      }
    } catch (...) {
      leave_timed_wait();
      throw;
    }
    leave_timed_wait();
    return acquired;
  }

  // Wakes one parked sleeper for one permit, all of them for several.
  void wake_sleepers(std::ptrdiff_t n) noexcept {
    if (n == 1)
      detail::unpark_one(wakes_);
    else
      detail::unpark_all(wakes_);
  }

  // The first timed waiter raises the flag, the last one lowers it.
  void enter_timed_wait() CONCHECK_REQUIRES(timed_mu_) {
    if (timed_waiters_++ == 0)
      state_.fetch_or(timed_flag, std::memory_order_relaxed);
  }
  void leave_timed_wait() CONCHECK_REQUIRES(timed_mu_) {
    if (--timed_waiters_ == 0)
      state_.fetch_and(~timed_flag, std::memory_order_relaxed);
  }

  // Permit count, sleeper count and timed flag (see the top of this file).
  std::atomic<word> state_{0};
  // Bumped by a release that finds sleepers; they park on it (see the top of
  // this file).
  std::atomic<std::uint32_t> wakes_{0};
  // release() calls that may still touch the semaphore after publishing.
  std::atomic<std::uint32_t> releases_in_flight_{0};
  std::ptrdiff_t max_;
  // The timed waiters: a std::mutex underneath, as std::condition_variable
  // needs, annotated so the analysis checks timed_waiters_.
  detail::annotated_mutex timed_mu_;
  std::condition_variable timed_cv_;
  std::size_t timed_waiters_ CONCHECK_GUARDED_BY(timed_mu_) = 0;
};

// -----------------------------------------------------------------------------
// concheck::semaphore_guard
// -----------------------------------------------------------------------------
//
// Holds one permit of a semaphore for a scope: acquires it on construction
// and releases it on destruction. Neither copyable nor movable.
class semaphore_guard {
public:
  // semaphore_guard::semaphore_guard(sem)
  //
  // sem.acquire().
  //
  // Memory ordering: as semaphore::acquire().
  explicit semaphore_guard(semaphore &sem) : sem_(sem) { sem_.acquire(); }

  // semaphore_guard::semaphore_guard(sem, std::adopt_lock)
  //
  // Takes charge of a permit the caller already acquired (for example with
  // try_acquire_for), to release it at the end of the scope.
  semaphore_guard(semaphore &sem, std::adopt_lock_t) noexcept : sem_(sem) {}

  semaphore_guard(const semaphore_guard &) = delete;
  semaphore_guard &operator=(const semaphore_guard &) = delete;

  // semaphore_guard::~semaphore_guard()
  //
  // sem.release().
  //
  // Memory ordering: as semaphore::release(1).
  ~semaphore_guard() { sem_.release(); }

private:
  semaphore &sem_;
};

} // namespace concheck

#endif // CONCHECK_SEMAPHORE_H_
