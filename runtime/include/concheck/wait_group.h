// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: wait_group.h
// -----------------------------------------------------------------------------
//
// This header defines concheck::wait_group, which waits for a collection of
// tasks to finish (Go's sync.WaitGroup, with Go's misuse checks), and
// concheck::done_guard, the C++ spelling of Go's `defer wg.Done()`.
//
// The contract is Go's:
//
//  * add(n) raises the group's counter by n for n tasks that are about to
//    start. It must happen before those tasks start and before the wait() that
//    waits for them. An add() inside the task it counts is the seed's gotcha
//    #2: wait() may return before the task has even started.
//  * Each counted task calls done() exactly once when it ends, however it ends.
//    A path that skips done() makes wait() block forever (gotcha #1); a
//    done_guard or go() makes that impossible.
//  * wait() blocks until the counter is zero. A task that the group counts must
//    never wait() on it (gotcha #3: a certain deadlock).
//  * A group may be reused for another round of tasks, but the new round's
//    first add() must happen after every wait() of the previous round has
//    returned.
//
// go(f) does the bookkeeping itself: it counts the task, runs `f` on a new
// thread that the group owns (and joins), calls done() when `f` ends, and makes
// the first exception thrown by a task rethrow from wait().
//
// Example (the seed's worker example):
//
//   void worker(int id, concheck::wait_group& wg) {
//     concheck::done_guard done(wg);     // defer wg.Done()
//     std::printf("Worker %d started\n", id);
//     std::printf("Worker %d finished\n", id);
//   }
//
//   int main() {
//     concheck::wait_group wg;
//     std::vector<std::thread> workers;
//     for (int i = 1; i <= 3; ++i) {
//       wg.add(1);                        // before the worker starts
//       workers.emplace_back(worker, i, std::ref(wg));
//     }
//     wg.wait();                          // all three have called done()
//     std::printf("All workers completed.\n");
//     for (std::thread& t : workers) t.join();
//   }
//
// The same with the group owning the threads:
//
//   concheck::wait_group wg;
//   for (int i = 1; i <= 3; ++i)
//     wg.go([i] { std::printf("Worker %d\n", i); });
//   wg.wait();          // joins the workers; rethrows a worker's exception
//
// wait_group and std::latch
//
// std::latch is single-use: its count is fixed at construction, can only go
// down, and once it reaches zero the latch is spent. It fits "N things, once".
// wait_group's counter goes up as well as down while tasks run (a task may
// add() or go() children of its own, so the number of tasks need not be known
// in advance), a group can be reused round after round, and it reports Go's
// misuses (below) where a latch would simply count wrong or hang.
//
// Misuse
//
// In every build mode, not only in debug builds, a wait_group reports through
// concheck::report_misuse() (see misuse.h; by default: one line on stderr, then
// abort):
//
//   negative counter                 done() or add(-n) below zero
//   add called concurrently with     add() from zero while wait() calls are
//     wait                           still in progress
//   reused before previous wait      add() from zero before a wait() of the
//     has returned                   previous round had returned
//   destroyed while tasks are        the destructor ran with a nonzero counter
//     outstanding
//   waited on from one of its own    wait() from a task that go() started on
//     tasks (deadlock)               the same group
//
// Like Go's, the two checks about concurrent reuse catch the misuse when the
// timing exposes it. Under ThreadSanitizer an add() that is not ordered before
// wait() is reported even in a run where no harm came of it (below).
//
// ThreadSanitizer
//
// Every done() happens-before the return of the wait() that it unblocks, and
// TSan sees that edge through the atomics themselves. An add() with a positive
// delta, on the other hand, synchronizes with nothing. So that TSan can report
// an add() that is not ordered before wait(), wait_group plays Go's race-mode
// trick: an add() that raises the counter from zero "reads" a marker byte, and
// the first wait() that blocks "writes" it (no memory is touched). If the two
// are not ordered by happens-before, such as an add() inside the task that it
// counts, TSan reports a data race between wait_group::add and
// wait_group::wait. Like Go's Wait, wait() acquires nothing from the group
// before that write, so a done() that the adding task made in between does not
// hide the add(). As in Go, a wait() that finds the counter already at zero
// writes nothing: concurrent waiters would race with each other, so an add()
// that comes only after such a wait() goes unreported.

#ifndef CONCHECK_WAIT_GROUP_H_
#define CONCHECK_WAIT_GROUP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <list>
#include <thread>
#include <type_traits>
#include <utility>

#include <concheck/detail/annotated_mutex.h>
#include <concheck/detail/parking.h>
#include <concheck/detail/tsan.h>
#include <concheck/misuse.h>
#include <concheck/thread_annotations.h>

namespace concheck {

class wait_group;

namespace detail {

// For concheck's own tests only: the places where a wait_group calls the test
// hook. A misuse such as "add() while the waiters are still being woken" exists
// only for an instant; a test makes that instant last by holding a thread at
// one of these points, and so checks the misuse deterministically.
enum class wait_group_test_point {
  // In done(): the counter reached zero with waiters blocked, and this done()
  // has not yet marked the round closed: no waiter may return.
  round_closing,
  // In wait(): this waiter has seen its round close and is about to check that
  // the group was not reused before it returned.
  waiter_released,
};

using wait_group_test_hook = void (*)(wait_group_test_point);

// Installs `hook` (nullptr: none) and returns the previous one. The hook is
// loaded with a relaxed load on wait_group's slow paths only (paths that make a
// system call anyway), so the seam costs nothing measurable.
inline std::atomic<wait_group_test_hook> wait_group_test_hook_slot{nullptr};
inline wait_group_test_hook
set_wait_group_test_hook(wait_group_test_hook hook) noexcept {
  return wait_group_test_hook_slot.exchange(hook, std::memory_order_acq_rel);
}

// The group whose go() started the calling thread, if any: the basis of the
// "waited on from one of its own tasks" check.
inline thread_local const wait_group *current_wait_group_task = nullptr;

} // namespace detail

// -----------------------------------------------------------------------------
// wait_group
// -----------------------------------------------------------------------------
//
// A counter of outstanding tasks that threads can wait on. All members may be
// called from any thread at once. A wait_group is neither copyable nor movable
// (tasks refer to it by address).
//
// The add()/done() fast path is lock-free: one atomic 64-bit state word, laid
// out as Go's is, holds the counter and the number of blocked waiters; wait()
// parks on the word's low half with the futex system call (detail/parking.h),
// which wakes it within microseconds of the last done() on a busy machine
// too. A mutex guards only what go() needs: the list of task threads and the
// first exception.
class wait_group {
public:
  // wait_group::wait_group()
  //
  // Creates a group with a zero counter and no tasks.
  wait_group() = default;

  wait_group(const wait_group &) = delete;
  wait_group &operator=(const wait_group &) = delete;

  // wait_group::~wait_group()
  //
  // Joins every thread that go() started.
  //
  // Requires: the counter is zero (misuse "destroyed while tasks are
  // outstanding" otherwise), and no thread is still inside a member function.
  // A group may be destroyed as soon as the wait() calls of its last round have
  // returned, even if the thread that called the last done() has not returned
  // from done() yet: done()'s last access to the group happens before any of
  // those wait() calls returns.
  //
  // An exception that a task threw and no wait() rethrew is dropped.
  ~wait_group();

  // wait_group::add()
  //
  // Adds `delta` (positive or negative) to the counter. A positive delta
  // accounts for tasks about to start; add(-n) is n calls to done(), and
  // when it takes the counter to zero it releases every blocked wait(). add(0)
  // does nothing.
  //
  // Requires:
  //  * the counter does not go below zero (misuse "negative counter"; the
  //    counter is 32 bits wide, so a counter above 2^31-1, or a |delta| that
  //    large, is reported the same way, as Go does);
  //  * an add() that raises the counter from zero happens before the wait()
  //    calls that are to wait for it, and after every wait() of the previous
  //    round has returned. Seen while waiters are still inside wait(), it is
  //    the misuse "add called concurrently with wait"; seen by a waiter that
  //    has not returned yet, "reused before previous wait has returned".
  //
  // Guarantees: lock-free (one atomic read-modify-write on the fast path).
  //
  // Memory ordering: add() with a negative delta is a release operation: what
  // the caller did before it happens-before the return of every wait() that
  // the counter's reaching zero releases. add() with a positive delta orders
  // nothing: it does not publish the caller's writes to anyone, so an add() is
  // ordered before a wait() only by the program's own synchronization (program
  // order, thread start, a mutex, ...). Under TSan an add() from zero that is
  // not so ordered is reported as a data race with wait().
  void add(std::ptrdiff_t delta = 1);

  // wait_group::done()
  //
  // Decrements the counter by one: add(-1). Call it exactly once per counted
  // task, when the task ends; done_guard and go() do that for you.
  //
  // Requires: the counter is positive (misuse "negative counter" otherwise).
  //
  // Guarantees: lock-free. When the counter reaches zero, every blocked wait()
  // returns.
  //
  // Memory ordering: a release operation: everything the task did before
  // done() happens-before the return of the wait() calls that it unblocks.
  void done() { add(-1); }

  // wait_group::wait()
  //
  // Blocks until the counter is zero; returns at once if it is zero already.
  // Then joins the threads of the go() tasks that have finished, and if one of
  // them threw, rethrows the first such exception (once: the slot is cleared,
  // and the group is ready for the next round). With several concurrent
  // wait() calls, each joins some of the finished threads and at most one of
  // them rethrows.
  //
  // Requires:
  //  * not called from a task that go() started on this group (misuse
  //    "waited on from one of its own tasks (deadlock)");
  //  * the add() calls it is to wait for happen before it (see add()).
  // Also, because wait() joins finished task threads, thread_local destructors
  // on those threads must not block on the caller of wait().
  //
  // Guarantees: no lost wake-up: a wait() that has seen a nonzero counter
  // returns once the counter reaches zero, whatever the interleaving. When it
  // returns, every task started by go() before the counter reached zero has
  // finished, and with a single waiter its thread has been joined.
  //
  // Memory ordering: an acquire operation: every done() (and negative add())
  // that took part in bringing the counter to zero happens-before wait()
  // returns. So does the end of each go() task, including the destruction of
  // its callable and the exception it threw.
  void wait();

  // wait_group::go()
  //
  // Starts a counted task: add(1), then runs `f()` on a new thread that the
  // group owns, and calls done() when `f` ends, whether it returns or throws.
  // The first exception thrown by any task is rethrown by the next wait();
  // later ones are dropped. `f` is decay-copied in the calling thread (as
  // std::thread does), invoked as an rvalue on the new thread, and destroyed
  // there before done(). The thread is joined by a later wait(), go() or by
  // the destructor.
  //
  // Requires: as for add(1): if the counter may be zero, go() must happen
  // before the wait() that is to wait for the task, e.g. call go() from the
  // thread that waits, or from a task that the group counts (nested fan-out).
  //
  // Guarantees: the task is counted before its thread starts (the add() that
  // the seed's gotcha #2 gets wrong cannot be wrong here). If the thread
  // cannot be started or `f` cannot be copied, go() undoes its add(1) and
  // rethrows (std::system_error, or the copy's exception).
  //
  // Memory ordering: the call to go() happens-before `f` starts (thread
  // creation); `f`'s end happens-before the return of the wait() that it
  // unblocks (done() is a release).
  template <class F> void go(F &&f) CONCHECK_EXCLUDES(mu_);

  // wait_group::waiters_for_testing()
  //
  // For tests only: the number of threads currently registered as blocked in
  // wait() for this round. A test spins on it to know that a waiter really is
  // blocked before it goes on; a program must not base decisions on it.
  //
  // Memory ordering: an acquire load of the state word.
  std::uint32_t waiters_for_testing() const noexcept {
    return waiters_of(state_.load(std::memory_order_acquire));
  }

private:
  using task_list = std::list<std::thread>;

  // The state word (Go's layout, with one bit taken from the waiter count):
  //   bits 63..32  the counter, a signed 32-bit number
  //   bit  31      closed: the round's waiters may leave
  //   bits 30..0   the number of waiters in wait() for this round
  // A waiter registers (+1) only while the counter is positive, so the done()
  // that takes the counter to zero sees every waiter that will block. It
  // sets the closed bit in one CAS, its last access to the group, and wakes
  // them (a system call on the word's address, no access to its memory).
  // The waiters park on the low half, which the counter's changes leave
  // alone: only the closing wakes them. Each leaves by taking itself off the
  // count; the last one out clears the bit. Until then, an add() from zero
  // is the misuse "add called concurrently with wait". Every change to the
  // word is a read-modify-write, so release sequences never break.
  static constexpr std::uint64_t closed_bit = std::uint64_t{1} << 31;
  static constexpr std::uint64_t waiter_mask = closed_bit - 1;

  static constexpr std::int32_t counter_of(std::uint64_t state) noexcept {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(state >> 32));
  }
  static constexpr std::uint32_t waiters_of(std::uint64_t state) noexcept {
    return static_cast<std::uint32_t>(state & waiter_mask);
  }
  static constexpr bool is_closed(std::uint64_t state) noexcept {
    return (state & closed_bit) != 0;
  }

  void close_round(std::uint64_t state);
  void block_until_round_closed(std::uint64_t registered);
  template <class Fn>
  void run_task(task_list::iterator slot, Fn &&fn) noexcept
      CONCHECK_EXCLUDES(mu_);
  void join_finished_tasks() CONCHECK_EXCLUDES(mu_);

  static void call_test_hook(detail::wait_group_test_point point) noexcept {
    if (const detail::wait_group_test_hook hook =
            detail::wait_group_test_hook_slot.load(std::memory_order_relaxed))
      hook(point);
  }

  std::atomic<std::uint64_t> state_{0};
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                "wait_group's add()/done() fast path must be lock-free");

  // Never read or written: under TSan, add() from zero reports a read of it
  // and the first blocking wait() a write (see "ThreadSanitizer" above).
  char add_wait_order_ = 0;

  // The runtime's annotated std::mutex, so -Wthread-safety checks the fields
  // below.
  detail::annotated_mutex mu_;
  // Threads of go() tasks whose callable is still running, and of those that
  // have finished and are waiting to be joined. A task moves its own node
  // from running_ to finished_ (std::list splices keep the thread in place).
  task_list running_ CONCHECK_GUARDED_BY(mu_);
  task_list finished_ CONCHECK_GUARDED_BY(mu_);
  std::exception_ptr first_error_ CONCHECK_GUARDED_BY(mu_);
};

// -----------------------------------------------------------------------------
// done_guard
// -----------------------------------------------------------------------------
//
// Calls `group.done()` exactly once, when the guard goes out of scope: on
// return, early return, break, or exception. The C++ form of Go's
// `defer wg.Done()`, and what concheck-missing-done suggests.
//
// Example:
//
//   void worker(concheck::wait_group& wg, const job& j) {
//     concheck::done_guard done(wg);
//     if (!j.valid()) return;          // done() still runs
//     process(j);                      // and if this throws
//   }
//
// A done_guard is neither copyable nor movable. A movable guard would need a
// "moved-from, owes nothing" state, which brings back the very path the guard
// exists to remove (a done() that never happens), and it would make "exactly
// once" a property of the code around the guard instead of its type. C++17's
// guaranteed copy elision still lets a function return a fresh done_guard. To
// hand the obligation to another thread, create the guard on that thread (or
// use wait_group::go()).
class done_guard {
public:
  // done_guard::done_guard()
  //
  // Binds the guard to `group`; the caller has already counted the task with
  // group.add(). Marked [[nodiscard]] so that an unnamed `done_guard{wg};`,
  // which would call done() at once, is diagnosed.
  [[nodiscard]] explicit done_guard(wait_group &group) noexcept
      : group_(group) {}

  done_guard(const done_guard &) = delete;
  done_guard &operator=(const done_guard &) = delete;

  // done_guard::~done_guard()
  //
  // Calls group.done().
  //
  // Memory ordering: as wait_group::done(): a release operation.
  //
  // A misuse in that done() (a negative counter) is reported as usual; a
  // misuse handler that throws cannot propagate out of this destructor, so it
  // ends in std::terminate.
  ~done_guard() { group_.done(); }

private:
  wait_group &group_;
};

// -----------------------------------------------------------------------------
// Implementation
// -----------------------------------------------------------------------------

inline wait_group::~wait_group() {
  if (counter_of(state_.load(std::memory_order_acquire)) != 0)
    report_misuse(misuse::destroyed_with_tasks, "wait_group");
  task_list threads;
  {
    detail::annotated_lock lock(mu_);
    threads.splice(threads.end(), running_);
    threads.splice(threads.end(), finished_);
  }
  for (std::thread &thread : threads)
    thread.join();
}

inline void wait_group::add(std::ptrdiff_t delta) {
  if (delta == 0)
    return;
  constexpr std::ptrdiff_t max_delta = std::numeric_limits<std::int32_t>::max();
  if (delta > max_delta || delta < -max_delta)
    report_misuse(misuse::negative_counter, "wait_group");

  const std::uint64_t step = static_cast<std::uint64_t>(delta) << 32;
  // A positive delta publishes nothing (relaxed), as the contract promises
  // nothing for it; only done() and add(-n) release, for wait() to acquire.
  const std::uint64_t state =
      state_.fetch_add(step, delta > 0 ? std::memory_order_relaxed
                                       : std::memory_order_release) +
      step;
  const std::int32_t count = counter_of(state);
  if (count < 0)
    report_misuse(misuse::negative_counter, "wait_group");

  if (delta > 0) {
    if (count == delta) {
      // A new round starts. Waiters still registered, or still being woken,
      // belong to the previous round and have not returned.
      if (waiters_of(state) != 0 || is_closed(state))
        report_misuse(misuse::add_during_wait, "wait_group");
      // Several adds may raise the counter from zero concurrently (with no
      // waiter around), so this is a read, and only the first blocking wait()
      // writes. The misuse checks come first so that they, not a race
      // report, name a misuse that both would catch.
      detail::race_read(&add_wait_order_);
    }
    return;
  }
  if (count == 0 && waiters_of(state) != 0)
    close_round(state);
}

// The counter has just reached zero with waiters registered. Nothing may
// change the word now: every waiter registered while the counter was positive,
// a wait() that sees zero does not register, and an add() from zero would be
// misuse. So a failed exchange means misuse, as in Go.
inline void wait_group::close_round(std::uint64_t state) {
  call_test_hook(detail::wait_group_test_point::round_closing);
  std::uint64_t expected = state;
  // The last access to *this: no waiter returns before it sees the bit, so
  // the group may be destroyed the moment a wait() returns, while this
  // thread is still in the wake-up call below (which only names the
  // address).
  if (!state_.compare_exchange_strong(expected, state | closed_bit,
                                      std::memory_order_release,
                                      std::memory_order_relaxed))
    report_misuse(misuse::add_during_wait, "wait_group");
  detail::unpark_all_low_half(state_);
}

inline void wait_group::wait() {
  if (detail::current_wait_group_task == this)
    report_misuse(misuse::wait_from_own_task, "wait_group");

  // Until the race_write below, this thread acquires nothing from the state
  // word (relaxed operations): an acquire there would import the history of
  // every done() so far, and with it the race_read of an add() from zero made
  // by a task that has since called done(), hiding that add() from TSan. Go's
  // Wait likewise hides its synchronization from the race detector until it
  // returns. The acquire comes afterwards, from the loads that see the round
  // end.
  std::uint64_t state = state_.load(std::memory_order_relaxed);
  for (;;) {
    if (counter_of(state) <= 0) {
      // Nothing to wait for, once an acquire load confirms it: that load
      // synchronizes with the done() calls that brought the counter to zero.
      // (The previous round's waiters may still be leaving: the done() that
      // closed it is finished with the group.)
      state = state_.load(std::memory_order_acquire);
      if (counter_of(state) > 0)
        continue;
      break;
    }
    // Register as a waiter; this fails if the counter or the waiters changed
    // meanwhile, and the loop looks again.
    if (state_.compare_exchange_weak(state, state + 1,
                                     std::memory_order_relaxed,
                                     std::memory_order_relaxed)) {
      // The first waiter of a round "writes" what an add() from zero "reads":
      // TSan reports the pair unless the add() happens-before this wait().
      // Only the first, or concurrent waiters would race with each other.
      if (waiters_of(state) == 0)
        detail::race_write(&add_wait_order_);
      block_until_round_closed(state + 1);
      break;
    }
  }

  task_list finished;
  std::exception_ptr error;
  {
    detail::annotated_lock lock(mu_);
    finished.swap(finished_);
    error = std::exchange(first_error_, nullptr);
  }
  for (std::thread &thread : finished)
    thread.join();
  if (error)
    std::rethrow_exception(std::move(error));
}

inline void wait_group::block_until_round_closed(std::uint64_t seen) {
  // Parks while the low half (closed bit and waiter count) is unchanged; the
  // other waiters' registrations change it too, hence the loop. The acquire
  // load that sees the closed bit reads the closing CAS, a link in the
  // release sequence of every done() of the round.
  while (!is_closed(seen)) {
    detail::park_low_half(state_, seen);
    seen = state_.load(std::memory_order_acquire);
  }
  // Leave: the last waiter out clears the bit, and the word is the next
  // round's.
  while (!state_.compare_exchange_weak(
      seen, waiters_of(seen) == 1 ? seen - 1 - closed_bit : seen - 1,
      std::memory_order_acq_rel, std::memory_order_acquire))
    ;
  call_test_hook(detail::wait_group_test_point::waiter_released);
  // Once the last waiter has left, the counter is zero until the next round's
  // add(), which must wait for this wait() to return.
  if (counter_of(state_.load(std::memory_order_acquire)) != 0)
    report_misuse(misuse::reuse_before_wait_returned, "wait_group");
}

inline void wait_group::join_finished_tasks() {
  task_list finished;
  {
    detail::annotated_lock lock(mu_);
    finished.swap(finished_);
  }
  for (std::thread &thread : finished)
    thread.join();
}

template <class F> void wait_group::go(F &&f) {
  using task_fn = std::decay_t<F>;
  static_assert(std::is_constructible_v<task_fn, F>,
                "wait_group::go: the task must be copyable or movable into "
                "the new thread");
  static_assert(std::is_invocable_v<task_fn>,
                "wait_group::go: the task must be callable with no arguments");

  // Join the threads of tasks that have finished since the last wait(), so a
  // group that runs many tasks between waits holds few threads.
  join_finished_tasks();
  add(1);
  try {
    // The user's copy runs outside the lock (it might do anything).
    task_fn task(std::forward<F>(f));
    detail::annotated_lock lock(mu_);
    running_.emplace_back();
    const task_list::iterator slot = std::prev(running_.end());
    try {
      // The new thread takes mu_ before it moves its node, so it always finds
      // the handle stored.
      *slot = std::thread(&wait_group::run_task<task_fn>, this, slot,
                          std::move(task));
    } catch (...) {
      running_.erase(slot);
      throw;
    }
  } catch (...) {
    done();
    throw;
  }
}

template <class Fn>
void wait_group::run_task(task_list::iterator slot, Fn &&fn) noexcept {
  detail::current_wait_group_task = this;
  std::exception_ptr error;
  try {
    // Moved into a local so that the task's callable, and what it captured,
    // is destroyed before done().
    Fn task(std::move(fn));
    std::invoke(std::move(task));
  } catch (...) {
    error = std::current_exception();
  }
  {
    detail::annotated_lock lock(mu_);
    if (error && !first_error_)
      first_error_ = std::move(error);
    finished_.splice(finished_.end(), running_, slot);
  }
  error = nullptr; // a dropped exception is destroyed before done(), too
  done();
}

} // namespace concheck

#endif // CONCHECK_WAIT_GROUP_H_
