// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: worker_pool.h
// -----------------------------------------------------------------------------
//
// concheck::worker_pool runs tasks on a fixed number of worker threads that
// take them from one bounded queue: the Go worker pool ("a fixed set of
// workers reading from a single channel") that caps CPU and memory use.
//
//  * Bounded fan-out: at most `n_workers` tasks run at once.
//  * Backpressure: at most `queue_capacity` submitted tasks wait for a worker
//    (beyond those handed to idle workers); submit() blocks while the queue
//    is full, so a fast producer is slowed to the pool's pace instead of
//    piling up work in memory.
//  * Results and exceptions come back through the std::future that submit()
//    returns.
//  * Shutdown drains: close() refuses new tasks, and join() or the destructor
//    runs every task already submitted before the workers exit.
//
// Every member may be called from any thread concurrently, except the
// destructor, which must run after every other call has returned.
//
// Misuse is reported through concheck's misuse handler (see misuse.h; by
// default it prints one line and aborts):
//
//  * submit() after close(): "concheck: misuse of worker_pool: submit after
//    close", also for a submit() still blocked on a full queue when the pool
//    is closed;
//  * waiting on the pool from one of its own tasks, which can never finish
//    (the task waits for itself): wait_idle(), join() or the destructor
//    called on a worker thread of the same pool, and a submit() that blocks
//    on a full queue while every other worker is blocked the same way:
//    "concheck: misuse of worker_pool: waited on from one of its own tasks
//    (deadlock)".
//
// Example: bounded fan-out over many inputs. At most 4 files are parsed at
// once and at most 16 more wait in memory, however long `paths` is.
//
//   concheck::worker_pool pool(/*n_workers=*/4, /*queue_capacity=*/16);
//   std::vector<std::future<parse_result>> results;
//   for (const auto &path : paths)
//     results.push_back(pool.submit([path] { return parse(path); }));
//   for (auto &r : results) use(r.get());   // rethrows a task's exception
//
// Deadlocks the pool does not detect: tasks blocked on the futures of tasks
// queued behind them, with every worker doing so; and tasks blocked in
// submit() on their own full pool while the remaining workers are blocked
// elsewhere (on such a future, say). The rule: a task should not wait for
// work of its own pool; when it must, give the pool enough workers and queue
// room that some worker is always free to make progress.

#ifndef CONCHECK_WORKER_POOL_H_
#define CONCHECK_WORKER_POOL_H_

#include <concheck/detail/annotated_mutex.h>
#include <concheck/misuse.h>
#include <concheck/thread_annotations.h>

#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace concheck {

class worker_pool;

namespace detail {

// The pool whose worker is the current thread, or nullptr.
inline const worker_pool *&current_worker_pool() noexcept {
  thread_local const worker_pool *pool = nullptr;
  return pool;
}

// A submitted task with its promise, type-erased. run() never throws.
class pool_task {
public:
  virtual ~pool_task() = default;
  virtual void run() noexcept = 0;
};

template <class F, class R> class pool_task_for final : public pool_task {
public:
  explicit pool_task_for(F &&fn) : fn_(std::in_place, std::move(fn)) {}
  std::future<R> get_future() { return promise_.get_future(); }

  // Destroys the callable (and what it captured) before making the future
  // ready, so that whoever waits on the future finds the captures gone.
  void run() noexcept override {
    try {
      if constexpr (std::is_void_v<R>) {
        std::invoke(std::move(*fn_));
        fn_.reset();
        promise_.set_value();
      } else {
        R result = std::invoke(std::move(*fn_));
        fn_.reset();
        promise_.set_value(std::forward<R>(result));
      }
    } catch (...) {
      fn_.reset();
      promise_.set_exception(std::current_exception());
    }
  }

private:
  std::optional<F> fn_;
  std::promise<R> promise_;
};

} // namespace detail

class worker_pool {
public:
  // worker_pool::worker_pool()
  //
  // Starts `n_workers` threads. `queue_capacity` is how many submitted tasks
  // may wait for a worker beyond those handed to idle workers; 0 makes
  // submit() a hand-off that returns only once an idle worker will run the
  // task.
  //
  // Requires: n_workers > 0 (std::invalid_argument otherwise). Throws
  // std::system_error if a thread cannot be started (the ones started are
  // joined first).
  worker_pool(std::size_t n_workers, std::size_t queue_capacity)
      : n_workers_(n_workers), capacity_(queue_capacity) {
    if (n_workers == 0)
      throw std::invalid_argument("concheck::worker_pool needs a worker");
    workers_.reserve(n_workers);
    try {
      for (std::size_t i = 0; i < n_workers; ++i)
        workers_.emplace_back([this] { work(); });
    } catch (...) {
      join();
      throw;
    }
  }

  worker_pool(const worker_pool &) = delete;
  worker_pool &operator=(const worker_pool &) = delete;

  // worker_pool::~worker_pool()
  //
  // join(): closes the pool, runs every task already submitted, and joins the
  // workers.
  //
  // Requires: as join() (a misuse handler that throws terminates here, as
  // destructors do not throw); also no submit() is running or blocked (it
  // would be using a destroyed pool).
  ~worker_pool() { join(); }

  // worker_pool::submit()
  //
  // Queues `f` (decay-copied, then invoked once as an rvalue, like
  // std::thread and std::async do) to run on a worker, and returns the future
  // of its result. If `f` throws, the future holds the exception and get()
  // rethrows it; a discarded future discards it.
  //
  // Blocks while the queue is full (backpressure) until a worker takes a
  // task. Called from one of the pool's own tasks, it can deadlock: if every
  // worker blocks here, none is left to drain the queue; that case is
  // reported (see the file comment). Give such tasks room, or submit from
  // outside the pool.
  //
  // Requires: the pool is not closed (misuse::submit_after_close, also when
  // the pool is closed while this call is blocked).
  //
  // The callable and its captures are destroyed on the worker before the
  // future becomes ready, so a caller woken by get() owns what it shared with
  // the task again (a std::shared_ptr's use_count() is back, say).
  //
  // Memory ordering: submit() happens-before the task starts running. The
  // task's completion, including the destruction of the callable,
  // happens-before its future becomes ready. (ThreadSanitizer caveat, true of
  // any std::promise: if the caller catches a task's exception from get()
  // before the worker has dropped its promise, the worker may free the
  // exception, ordered only by a reference count inside the uninstrumented
  // libstdc++.so, and TSan reports a false race. wait_idle() before get()
  // avoids it in tests.)
  template <class F>
    requires std::move_constructible<std::decay_t<F>> &&
             std::invocable<std::decay_t<F>>
  std::future<std::invoke_result_t<std::decay_t<F>>> submit(F &&f)
      CONCHECK_EXCLUDES(mu_) {
    using result = std::invoke_result_t<std::decay_t<F>>;
    auto task =
        std::make_unique<detail::pool_task_for<std::decay_t<F>, result>>(
            std::decay_t<F>(std::forward<F>(f)));
    std::future<result> future = task->get_future();
    enqueue(std::move(task));
    return future;
  }

  // worker_pool::close()
  //
  // Refuses further submit()s. Tasks already submitted still run; workers
  // exit once the queue is empty. Does not block and may be called more than
  // once, from any thread including the pool's own tasks.
  //
  // Memory ordering: close() happens-before a submit() that reports
  // misuse::submit_after_close.
  void close() CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  // worker_pool::wait_idle()
  //
  // Blocks until no task is queued or running. Every task whose submit()
  // happens-before this call has finished when it returns; a task submitted
  // concurrently may or may not have been waited for (as with
  // wait_group::wait). The pool stays usable.
  //
  // Requires: not called from one of this pool's tasks (it would wait for
  // itself): misuse::wait_from_own_task.
  //
  // Memory ordering: the completion of every task it waited for
  // happens-before wait_idle() returns.
  void wait_idle() CONCHECK_EXCLUDES(mu_) {
    check_not_own_task();
    detail::annotated_lock lock(mu_);
    while (unfinished_ != 0)
      lock.wait(idle_);
  }

  // worker_pool::join()
  //
  // close(), then waits until the workers have run every submitted task and
  // exited. Idempotent; concurrent calls all return after the workers have
  // exited.
  //
  // Requires: not called from one of this pool's tasks (a worker cannot join
  // itself): misuse::wait_from_own_task.
  //
  // Memory ordering: the completion of every task happens-before join()
  // returns.
  void join() CONCHECK_EXCLUDES(mu_, join_mu_) {
    check_not_own_task();
    close();
    detail::annotated_lock lock(join_mu_);
    if (joined_)
      return;
    for (std::thread &t : workers_)
      t.join();
    joined_ = true;
  }

private:
  void check_not_own_task() const {
    if (detail::current_worker_pool() == this)
      report_misuse(misuse::wait_from_own_task, "worker_pool");
  }

  void enqueue(std::unique_ptr<detail::pool_task> task) CONCHECK_EXCLUDES(mu_) {
    std::optional<misuse> failure;
    {
      detail::annotated_lock lock(mu_);
      failure = push_locked(lock, task);
    }
    if (failure)
      report_misuse(*failure, "worker_pool");
  }

  // Waits for room, then moves `task` into the queue; or leaves it and
  // returns the misuse that stopped it.
  std::optional<misuse> push_locked(detail::annotated_lock &lock,
                                    std::unique_ptr<detail::pool_task> &task)
      CONCHECK_REQUIRES(mu_) {
    const bool from_own_task = detail::current_worker_pool() == this;
    // Each idle worker is waiting for a task: one queued for each of them is
    // taken at once and does not count against the capacity.
    while (!closed_ && queue_.size() >= capacity_ + idle_workers_) {
      // Only workers drain the queue: if every one of them would be blocked
      // here, nothing ever makes room.
      if (from_own_task && workers_blocked_in_submit_ + 1 == n_workers_)
        return misuse::wait_from_own_task;
      if (from_own_task)
        ++workers_blocked_in_submit_;
      lock.wait(not_full_);
      if (from_own_task)
        --workers_blocked_in_submit_;
    }
    if (closed_)
      return misuse::submit_after_close;
    queue_.push_back(std::move(task));
    ++unfinished_;
    not_empty_.notify_one();
    return std::nullopt;
  }

  void work() CONCHECK_EXCLUDES(mu_) {
    detail::current_worker_pool() = this;
    detail::annotated_lock lock(mu_);
    for (;;) {
      while (queue_.empty() && !closed_) {
        ++idle_workers_;
        not_full_.notify_one(); // room for one more hand-off
        lock.wait(not_empty_);
        --idle_workers_;
      }
      if (queue_.empty())
        return; // closed and drained
      std::unique_ptr<detail::pool_task> task = std::move(queue_.front());
      queue_.pop_front();
      not_full_.notify_one();
      lock.unlock();
      task->run();
      task.reset(); // all of the task is gone before it counts as finished
      lock.lock();
      if (--unfinished_ == 0)
        idle_.notify_all();
    }
  }

  const std::size_t n_workers_;
  const std::size_t capacity_;
  std::vector<std::thread> workers_;

  detail::annotated_mutex mu_;
  bool closed_ CONCHECK_GUARDED_BY(mu_) = false;
  std::deque<std::unique_ptr<detail::pool_task>>
      queue_ CONCHECK_GUARDED_BY(mu_);
  // Tasks submitted and not finished (queued or running).
  std::size_t unfinished_ CONCHECK_GUARDED_BY(mu_) = 0;
  // Workers blocked waiting for a task.
  std::size_t idle_workers_ CONCHECK_GUARDED_BY(mu_) = 0;
  // Workers blocked in submit() on this pool (deadlock detection).
  std::size_t workers_blocked_in_submit_ CONCHECK_GUARDED_BY(mu_) = 0;
  std::condition_variable not_empty_; // workers wait for a task
  std::condition_variable not_full_;  // submitters wait for room
  std::condition_variable idle_;      // wait_idle() waits for unfinished_ == 0

  // Serializes join()s: std::thread::join() must not run twice at once.
  detail::annotated_mutex join_mu_;
  bool joined_ CONCHECK_GUARDED_BY(join_mu_) = false;
};

} // namespace concheck

#endif // CONCHECK_WORKER_POOL_H_
