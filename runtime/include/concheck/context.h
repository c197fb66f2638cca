// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: context.h
// -----------------------------------------------------------------------------
//
// Go's context.Context for C++20, built on std::stop_source/std::stop_token:
// one signal that says "stop" to a whole tree of tasks, with deadlines.
//
// A `concheck::context` is a cheap-to-copy handle on shared state. Contexts
// form a tree:
//
//  * context::background() is the root: it is never cancelled and has no
//    deadline (a default-constructed context is the same).
//  * with_cancel(parent) makes a child that is cancelled when its cancel
//    function is called or when its parent is cancelled.
//  * with_deadline(parent, t) / with_timeout(parent, d) make a child that is
//    also cancelled when its deadline passes. A child's deadline is the
//    earlier of its own and its parent's.
//
// Cancellation flows down, never up: cancelling a context cancels all of its
// descendants, with the same reason, and leaves its parent alone. The first
// cancellation of a context wins: its reason (cancel_reason::cancelled or
// cancel_reason::deadline_exceeded) is the one the context reports forever,
// and cancelling again does nothing.
//
// Tasks observe a context by polling cancelled(), by blocking in wait() /
// wait_for() / wait_until(), or through stop_token(), which plugs the context
// into everything that takes a std::stop_token: std::jthread,
// std::condition_variable_any's interruptible waits, std::stop_callback, and
// concheck's own stop_token overloads.
//
// Example: a request fans out to two backends; either failing, or the
// request's deadline passing, stops both, and each call gets a tighter budget
// of its own.
//
//   using namespace std::chrono_literals;
//
//   bool fetch(const concheck::context& request, const std::string& what) {
//     // At most 500 ms, and never past the request's own deadline.
//     auto [call, cancel] = concheck::with_timeout(request, 500ms);
//     while (!call.cancelled()) {
//       if (try_fetch_chunk(what, call.stop_token()))
//         return true;
//     }
//     return false;  // call.reason() says whether we ran out of time
//   }
//
//   void handle(const concheck::context& server) {
//     auto [request, cancel] = concheck::with_timeout(server, 2s);
//     std::jthread users([&] { if (!fetch(request, "users")) cancel(); });
//     std::jthread orders([&] { if (!fetch(request, "orders")) cancel(); });
//   }  // shutting the server down (cancelling `server`) stops both fetches
//
// Unlike Go, there is no need to `defer cancel()` to release resources: a
// child unlinks itself from its parent, and gives up its deadline timer, when
// the last copy of its context and of its cancel function is destroyed. Call
// cancel() when the work should stop, not to free memory.
//
// Deadlines are measured on std::chrono::steady_clock. One process-wide timer
// thread, started the first time a context with a future deadline is made,
// serves every deadline in the process: it sleeps on a condition variable
// until the earliest one, in an ordered map where arming and disarming cost
// O(log n). A thread per context would cost a stack and a thread start per
// request; one thread costs nothing while no deadline is pending. A context
// cancelled or destroyed before its deadline removes its entry at once, so it
// neither stays in memory nor wakes the timer. The timer runs cancellations
// (and so the std::stop_callbacks registered on the contexts' stop tokens)
// on its own thread, with no lock held.
//
// Context values (Go's WithValue) are deliberately not offered: in C++ pass
// request-scoped data as typed parameters or captures.

#ifndef CONCHECK_CONTEXT_H_
#define CONCHECK_CONTEXT_H_

#include <concheck/detail/annotated_mutex.h>
#include <concheck/thread_annotations.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <thread>
#include <utility>

namespace concheck {

// cancel_reason
//
// Why a context was cancelled: Go's ctx.Err(). `none` while it is not.
enum class cancel_reason : unsigned char {
  none,              // not cancelled (yet)
  cancelled,         // a cancel function was called (Go's Canceled)
  deadline_exceeded, // the deadline passed (Go's DeadlineExceeded)
};

// to_string(cancel_reason)
//
// "not cancelled", "context cancelled" or "context deadline exceeded": fixed
// texts for logs and error messages.
constexpr const char *to_string(cancel_reason reason) noexcept {
  switch (reason) {
  case cancel_reason::none:
    return "not cancelled";
  case cancel_reason::cancelled:
    return "context cancelled";
  case cancel_reason::deadline_exceeded:
    return "context deadline exceeded";
  }
  return "unknown cancel reason";
}

namespace detail {

using context_clock = std::chrono::steady_clock;

// `now + timeout`, saturated at the clock's largest time point so that
// `duration::max()` means "no practical deadline" instead of overflowing.
template <class Rep, class Period>
context_clock::time_point
saturating_deadline(const std::chrono::duration<Rep, Period> &timeout) {
  const context_clock::time_point now = context_clock::now();
  if (timeout <= std::chrono::duration<Rep, Period>::zero())
    return now;
  const auto room = context_clock::time_point::max() - now;
  if (std::chrono::duration_cast<std::chrono::duration<long double>>(timeout) >=
      std::chrono::duration_cast<std::chrono::duration<long double>>(room))
    return context_clock::time_point::max();
  return now + std::chrono::ceil<context_clock::duration>(timeout);
}

class context_node;

// The process-wide deadline timer: a thread that sleeps on a condition
// variable until the earliest pending deadline, then cancels that context.
//
// Pending deadlines sit in an ordered map keyed by (deadline, node address):
// begin() is the next to fire, and a node erases its own entry in O(log n)
// when it is cancelled or destroyed, so a context that dies early leaves
// nothing behind and never wakes the thread. The map holds weak_ptrs: the
// timer does not keep a context alive, and it fires a node only after
// promoting the weak_ptr under the timer's mutex (a node whose last reference
// is gone cannot be promoted, so a node being destroyed is never fired).
//
// The timer calls out (cancel runs std::stop_callbacks, which run user code)
// with its mutex released, so a callback may create or destroy contexts with
// deadlines without deadlocking. The mutex is a leaf: nothing else is locked
// while it is held.
//
// The thread is started on first use and never joined: the timer object is
// intentionally leaked so that contexts destroyed during static destruction
// still find it. When no deadline is pending it blocks on the condition
// variable and costs nothing.
class deadline_timer {
public:
  static deadline_timer &instance() {
    static deadline_timer *const timer = new deadline_timer();
    return *timer;
  }

  // Schedules `node` to be expired at `when`. May throw (allocation, thread
  // start); nothing is scheduled then.
  void arm(context_clock::time_point when,
           const std::shared_ptr<context_node> &node) CONCHECK_EXCLUDES(mu_);

  // Forgets the entry arm(when, node) made, if it has not fired.
  void disarm(context_clock::time_point when, const context_node *node) noexcept
      CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    pending_.erase(key{when, node});
  }

  // How many deadlines are pending (for tests and diagnostics).
  std::size_t pending() CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    return pending_.size();
  }

private:
  struct key {
    context_clock::time_point when;
    const context_node *node;
    friend bool operator<(const key &a, const key &b) noexcept {
      if (a.when != b.when)
        return a.when < b.when;
      return std::less<const context_node *>()(a.node, b.node);
    }
  };

  deadline_timer() = default;
  void run() CONCHECK_EXCLUDES(mu_);

  detail::annotated_mutex mu_;
  std::condition_variable wake_;
  std::map<key, std::weak_ptr<context_node>> pending_ CONCHECK_GUARDED_BY(mu_);
  bool started_ CONCHECK_GUARDED_BY(mu_) = false;
};

// The shared state behind a context other than background().
//
// Propagation uses the standard library's own machinery: a child registers a
// std::stop_callback on its parent's stop_token that cancels the child with
// the parent's reason. The callback is a member of the child, so destroying
// the child deregisters it (blocking, as std::stop_callback does, while the
// parent is running it on another thread): that is how a child is unlinked
// from its parent. A child keeps its parent alive (the parent's deadline must
// still fire for the child's sake); a parent refers to its children only
// through its stop state's callback list.
class context_node {
public:
  context_node(std::shared_ptr<context_node> parent,
               std::optional<context_clock::time_point> deadline)
      : parent_(std::move(parent)), deadline_(deadline) {}

  ~context_node() {
    // Unlink from the parent first: after this no propagation can run.
    link_.reset();
    disarm_timer();
  }

  context_node(const context_node &) = delete;
  context_node &operator=(const context_node &) = delete;

  // A child of `parent` (null: background) whose own deadline, if any, is
  // `deadline`.
  static std::shared_ptr<context_node>
  make_child(const std::shared_ptr<context_node> &parent,
             std::optional<context_clock::time_point> deadline) {
    // A parent deadline at or before the child's makes the child's own
    // deadline moot: the parent's cancellation reaches the child first.
    bool own_timer = deadline.has_value();
    if (parent && parent->deadline_ &&
        (!deadline || *parent->deadline_ <= *deadline)) {
      deadline = parent->deadline_;
      own_timer = false;
    }
    auto node = std::make_shared<context_node>(parent, deadline);
    // Runs the callback at once if the parent is already cancelled.
    if (parent)
      node->link_.emplace(parent->source_.get_token(), propagate{node.get()});
    // As in Go, a parent's cancellation takes precedence over a deadline
    // that has already passed.
    if (own_timer) {
      if (*deadline <= context_clock::now()) {
        node->cancel(cancel_reason::deadline_exceeded);
      } else if (!node->cancelled()) {
        node->timer_armed_.store(true, std::memory_order_relaxed);
        deadline_timer::instance().arm(*deadline, node);
        // The parent may have cancelled the node since the check above,
        // before the timer was armed for that cancel to disarm.
        if (node->cancelled())
          node->disarm_timer();
      }
    }
    return node;
  }

  bool cancelled() const noexcept { return source_.stop_requested(); }

  cancel_reason reason() const noexcept {
    // Stop-requested first, so that reason() is never ahead of cancelled()
    // and stop_token(): the reason is stored before the stop is requested.
    if (!cancelled())
      return cancel_reason::none;
    const cancel_reason why = reason_.load(std::memory_order_acquire);
    return why == cancel_reason::none ? cancel_reason::cancelled : why;
  }

  const std::optional<context_clock::time_point> &deadline() const noexcept {
    return deadline_;
  }

  std::stop_token token() const noexcept { return source_.get_token(); }

  // Cancels this node (and, through the stop callbacks, its descendants)
  // with `why`, unless it was cancelled before.
  void cancel(cancel_reason why) noexcept {
    cancel_reason expected = cancel_reason::none;
    // The first reason wins. The reason is published before the stop, which
    // is what reason() relies on.
    reason_.compare_exchange_strong(expected, why, std::memory_order_acq_rel,
                                    std::memory_order_acquire);
    // Winner or not, request the stop: a caller that lost the race to a
    // thread still between its store and its request_stop completes the
    // cancellation itself, so this context is cancelled whenever cancel()
    // returns. Exactly one request_stop() returns true.
    if (source_.request_stop())
      disarm_timer();
  }

private:
  struct propagate {
    context_node *child;
    void operator()() const noexcept {
      // Runs inside the parent's request_stop (or in make_child if the
      // parent was already cancelled), so the parent is alive and its reason
      // is published.
      child->cancel(child->parent_->reason());
    }
  };

  void disarm_timer() noexcept {
    if (timer_armed_.exchange(false, std::memory_order_acq_rel))
      deadline_timer::instance().disarm(*deadline_, this);
  }

  const std::shared_ptr<context_node> parent_;
  const std::optional<context_clock::time_point> deadline_;
  std::stop_source source_;
  std::atomic<cancel_reason> reason_{cancel_reason::none};
  std::atomic<bool> timer_armed_{false};
  // Declared last: destroyed (deregistered) before anything it touches.
  std::optional<std::stop_callback<propagate>> link_;
};

inline void deadline_timer::arm(context_clock::time_point when,
                                const std::shared_ptr<context_node> &node) {
  detail::annotated_lock lock(mu_);
  if (!started_) {
    std::thread([this] { run(); }).detach();
    started_ = true;
  }
  const auto [it, inserted] = pending_.emplace(
      key{when, node.get()}, std::weak_ptr<context_node>(node));
  // Only a new earliest deadline changes how long the thread should sleep.
  if (inserted && it == pending_.begin())
    wake_.notify_one();
}

inline void deadline_timer::run() {
  detail::annotated_lock lock(mu_);
  for (;;) {
    if (pending_.empty()) {
      lock.wait(wake_);
      continue;
    }
    const auto first = pending_.begin();
    const context_clock::time_point when = first->first.when;
    if (context_clock::now() < when) {
      lock.wait_until(wake_, when);
      continue;
    }
    std::shared_ptr<context_node> node = first->second.lock();
    pending_.erase(first);
    if (!node)
      continue; // its last reference is gone and its destructor will look
                // for the entry in vain
    lock.unlock();
    node->cancel(cancel_reason::deadline_exceeded);
    node.reset(); // may destroy the node, which takes mu_ to disarm
    lock.lock();
  }
}

// Blocks a thread until a stop_token is stopped: the Done channel's receive.
// The stop callback sets a flag under a mutex and notifies; it is destroyed
// first (declared last), which waits for a callback running on another
// thread, so the mutex and condition variable outlive every use.
class stop_waiter {
public:
  explicit stop_waiter(std::stop_token token)
      : callback_(std::move(token), wake{this}) {}

  void wait() CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    while (!stopped_)
      lock.wait(cv_);
  }

  template <class Clock, class Duration>
  bool wait_until(const std::chrono::time_point<Clock, Duration> &when)
      CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    while (!stopped_) {
      if (Clock::now() >= when)
        return false;
      lock.wait_until(cv_, when);
    }
    return true;
  }

private:
  struct wake {
    stop_waiter *self;
    void operator()() const noexcept {
      detail::annotated_lock lock(self->mu_);
      self->stopped_ = true;
      self->cv_.notify_all();
    }
  };

  detail::annotated_mutex mu_;
  std::condition_variable cv_;
  bool stopped_ CONCHECK_GUARDED_BY(mu_) = false;
  std::stop_callback<wake> callback_;
};

} // namespace detail

class context;
class cancel_func;
struct cancellable;

[[nodiscard]] inline cancellable with_cancel(const context &parent);
[[nodiscard]] inline cancellable
with_deadline(const context &parent,
              std::chrono::steady_clock::time_point deadline);

// -----------------------------------------------------------------------------
// context
// -----------------------------------------------------------------------------
//
// A handle on a node of the context tree. Copying shares the node (one atomic
// increment); every member is safe to call from any number of threads at
// once. A context is a value: pass it by const reference or by copy, store
// it, capture it in lambdas.
class context {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  // context::context()
  //
  // The background context (see background()).
  context() noexcept = default;

  // context::background()
  //
  // The root of every context tree: never cancelled, no deadline. Costs no
  // allocation. Go's context.Background().
  static context background() noexcept { return context(); }

  // context::cancelled()
  //
  // True once the context is cancelled, by its cancel function, its deadline
  // or an ancestor's cancellation; it never becomes false again. Go's
  // `select { case <-ctx.Done(): ... default: }`.
  //
  // Memory ordering: the cancellation that took effect happens-before every
  // cancelled() that returns true: whatever the thread did before calling
  // the cancel function (this context's, or the ancestor's whose
  // cancellation reached it) is visible to the thread that sees true. For a
  // deadline, the timer thread cancels; it orders nothing of the program's
  // beyond the context's creation.
  bool cancelled() const noexcept { return node_ && node_->cancelled(); }

  // context::reason()
  //
  // cancel_reason::none while the context is not cancelled; afterwards the
  // reason of its first cancellation, which never changes. A context
  // cancelled through an ancestor reports the ancestor's reason. Consistent
  // with cancelled(): reason() != none exactly when cancelled() is true (as
  // seen by the same thread, in program order). Go's ctx.Err().
  //
  // Memory ordering: as cancelled().
  cancel_reason reason() const noexcept {
    return node_ ? node_->reason() : cancel_reason::none;
  }

  // context::deadline()
  //
  // When the context will be cancelled with deadline_exceeded (unless it is
  // cancelled before), if it has a deadline: the earlier of its own and its
  // parent's. Fixed when the context is made. Empty for background()
  // and for with_cancel() children of contexts without one.
  std::optional<time_point> deadline() const noexcept {
    return node_ ? node_->deadline() : std::nullopt;
  }

  // context::stop_token()
  //
  // A std::stop_token whose stop is requested when this context is
  // cancelled. Give it to std::jthread's function, to
  // std::condition_variable_any::wait(lock, token, pred), to a
  // std::stop_callback, or to any API that takes a stop_token. For
  // background() the token has no stop state (stop_possible() is false).
  //
  // A std::stop_callback registered on the token runs in the thread that
  // cancels the context: the caller of cancel(), the deadline timer's thread,
  // or the thread cancelling an ancestor. Keep such callbacks short and
  // non-blocking; they hold up the cancellation of the rest of the tree.
  //
  // Memory ordering: std::stop_token's own. The request that stops the token
  // is made after the reason is published, so a callback or a waiter woken
  // through the token sees reason() != none.
  std::stop_token stop_token() const noexcept {
    return node_ ? node_->token() : std::stop_token();
  }

  // context::wait()
  //
  // Blocks until the context is cancelled: Go's `<-ctx.Done()`. On
  // background() (or any context that cannot be cancelled) it blocks forever,
  // as receiving from a nil channel does in Go.
  //
  // Memory ordering: the context's first cancellation happens-before wait()
  // returns.
  void wait() const {
    if (cancelled())
      return;
    detail::stop_waiter(stop_token()).wait();
  }

  // context::wait_for()
  //
  // Blocks until the context is cancelled (returns true) or `timeout` has
  // passed (returns false).
  //
  // Memory ordering: as wait(), when it returns true.
  template <class Rep, class Period>
  bool wait_for(const std::chrono::duration<Rep, Period> &timeout) const {
    return wait_until(detail::saturating_deadline(timeout));
  }

  // context::wait_until()
  //
  // Blocks until the context is cancelled (returns true) or `when`, on any
  // clock, has passed (returns false).
  //
  // Memory ordering: as wait(), when it returns true.
  template <class Clock, class Duration>
  bool wait_until(const std::chrono::time_point<Clock, Duration> &when) const {
    if (cancelled())
      return true;
    return detail::stop_waiter(stop_token()).wait_until(when);
  }

private:
  friend cancellable with_cancel(const context &parent);
  friend cancellable
  with_deadline(const context &parent,
                std::chrono::steady_clock::time_point deadline);

  explicit context(std::shared_ptr<detail::context_node> node) noexcept
      : node_(std::move(node)) {}

  std::shared_ptr<detail::context_node> node_; // null: background
};

// -----------------------------------------------------------------------------
// cancel_func
// -----------------------------------------------------------------------------
//
// The right to cancel one context: Go's CancelFunc. Copyable; every copy
// cancels the same context. A default-constructed cancel_func does nothing.
class cancel_func {
public:
  cancel_func() noexcept = default;

  // cancel_func::operator()()
  //
  // Cancels the context with cancel_reason::cancelled, and with it every
  // descendant, unless it is cancelled already (then it does nothing: the
  // first reason stays). Waits for no other thread beyond brief internal
  // locks, but runs here, in the calling thread, every std::stop_callback
  // registered on the stop tokens of the context and of its descendants.
  // When it returns, the context is cancelled; its
  // descendants are cancelled by the time the cancellation that took effect
  // (possibly another thread's) has finished.
  //
  // Memory ordering: the first cancellation of a context (cancel_func call,
  // deadline, or ancestor) happens-before every cancelled() / reason() /
  // wait*() / stop_token() observation of it that reports it cancelled, in
  // that context and in every descendant.
  void operator()() const noexcept {
    if (node_)
      node_->cancel(cancel_reason::cancelled);
  }

private:
  friend cancellable with_cancel(const context &parent);
  friend cancellable
  with_deadline(const context &parent,
                std::chrono::steady_clock::time_point deadline);

  explicit cancel_func(std::shared_ptr<detail::context_node> node) noexcept
      : node_(std::move(node)) {}

  // Keeps the context alive, as Go's closure does: cancelling a context
  // that only its cancel function still refers to is harmless.
  std::shared_ptr<detail::context_node> node_;
};

// cancellable
//
// What with_cancel, with_deadline and with_timeout return: the child and its
// cancel function, made to be unpacked as Go code reads:
//
//   auto [ctx, cancel] = concheck::with_cancel(parent);
struct cancellable {
  context ctx;
  cancel_func cancel;
};

// with_cancel()
//
// A child of `parent` that is cancelled (reason cancelled) when `cancel` is
// called, or with the parent's reason when the parent is cancelled (at once,
// if it already is). Its deadline is the parent's. Throws std::bad_alloc.
// Go's WithCancel.
//
// Memory ordering: see cancel_func::operator()().
[[nodiscard]] inline cancellable with_cancel(const context &parent) {
  auto node = detail::context_node::make_child(parent.node_, std::nullopt);
  return cancellable{context(node), cancel_func(std::move(node))};
}

// with_deadline()
//
// As with_cancel(), and the child is also cancelled with reason
// deadline_exceeded once steady_clock reaches `deadline` (never earlier). Its
// deadline() is the earlier of `deadline` and the parent's; when the parent's
// is the earlier, the child needs no timer of its own and inherits the
// parent's deadline_exceeded. A deadline already passed cancels the child
// before with_deadline returns (unless the parent is cancelled already: its
// reason wins, as in Go). Throws std::bad_alloc, or std::system_error if the
// timer thread cannot be started (only tried until it starts once). Go's
// WithDeadline.
//
// Memory ordering: see cancel_func::operator()().
[[nodiscard]] inline cancellable with_deadline(const context &parent,
                                               context::time_point deadline) {
  auto node = detail::context_node::make_child(parent.node_, deadline);
  return cancellable{context(node), cancel_func(std::move(node))};
}

// with_timeout()
//
// with_deadline(parent, steady_clock::now() + timeout), saturating: a timeout
// too large for the clock never fires. A zero or negative timeout cancels at
// once. Go's WithTimeout.
template <class Rep, class Period>
[[nodiscard]] cancellable
with_timeout(const context &parent,
             const std::chrono::duration<Rep, Period> &timeout) {
  return with_deadline(parent, detail::saturating_deadline(timeout));
}

} // namespace concheck

#endif // CONCHECK_CONTEXT_H_
