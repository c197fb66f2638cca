// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: channel.h
// -----------------------------------------------------------------------------
//
// concheck::channel<T> is Go's `chan T`: a typed pipe between threads that
// "shares memory by communicating". A value sent on a channel belongs to the
// one thread that receives it, so the two never touch it at the same time.
//
// A channel is unbuffered (capacity 0, the default) or buffered:
//
//  * Unbuffered: a rendezvous. send() returns only once a receiver has taken
//    the value, and receive() returns only once a sender has handed one over.
//    "Taken" means moved into the result of a receive() call that has
//    already started and that will return it, whatever happens next (a
//    close(), a stop request). There is no buffer, not even for one value:
//    try_send() succeeds only while a receiver is blocked in receive(), and
//    try_receive() only while a sender is blocked in send(). Each completed
//    send() pairs with exactly one receive() that returns its value.
//  * Buffered (capacity N > 0): up to N values wait in FIFO order. send()
//    blocks only while N values are waiting; receive() blocks only while none
//    are.
//
// close() says "no more values". Go's rules apply, and breaking them is a bug
// reported through concheck's misuse handler (see misuse.h; by default it
// prints one line and aborts, as Go panics):
//
//  * sending on a closed channel: "concheck: misuse of channel: send on closed
//    channel", also for a sender that was blocked in send() when the channel
//    was closed;
//  * closing a closed channel: "concheck: misuse of channel: close of closed
//    channel".
//
// Receiving from a closed channel is not a bug: it first yields the values
// still buffered, then returns std::nullopt at once, every time. So a consumer
// loops until the producer closes:
//
//   for (auto job : jobs) handle(std::move(job));   // ends on close + drained
//
// Every blocking call has an overload taking a std::stop_token (Go's
// `select` on ctx.Done()): it gives up when stop is requested.
//
// Example: the seed's worker pool. A fixed set of workers reads from one
// channel, which caps the number of jobs in flight; closing the channel tells
// the workers to finish.
//
//   concheck::channel<job> jobs(/*capacity=*/16);
//   std::vector<std::jthread> workers;
//   for (int i = 0; i < 4; ++i)
//     workers.emplace_back([&jobs] {
//       for (auto j : jobs) process(std::move(j));
//     });
//   for (auto &j : load_jobs()) jobs.send(std::move(j));  // blocks when full
//   jobs.close();    // workers drain what is buffered, then leave their loop
//   workers.clear(); // join
//
// Any number of threads may send, receive and close concurrently.
//
// T must be a move-constructible object type; move-only types such as
// std::unique_ptr work. A value is moved straight from the sender's argument
// into the buffer or into a blocked receiver's result, and from there to the
// receiver: no default construction, no copy. Those moves, and the
// destruction of moved-from values, run with the channel's internal lock
// held, so T's move constructor and destructor must not use the channel.
// They should not throw either: if a move throws, the exception propagates
// from the call that moved, and the value is left as T's move left it.
//
// A channel is neither copyable nor movable. It must outlive every call on
// it: destroying it while a thread is blocked in (or calling) one of its
// members is undefined behaviour.

#ifndef CONCHECK_CHANNEL_H_
#define CONCHECK_CHANNEL_H_

#include <concheck/detail/annotated_mutex.h>
#include <concheck/misuse.h>
#include <concheck/thread_annotations.h>

#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <iterator>
#include <optional>
#include <stop_token>
#include <type_traits>
#include <utility>

namespace concheck {

template <class T> class channel {
  static_assert(std::is_object_v<T> && !std::is_const_v<T> &&
                    std::move_constructible<T>,
                "channel<T> needs a non-const, move-constructible object type");

public:
  class iterator;

  // channel::channel()
  //
  // Creates an open channel. `capacity` 0 makes it unbuffered (a rendezvous,
  // see send()); N > 0 lets up to N sent values wait for a receiver.
  explicit channel(std::size_t capacity = 0) : capacity_(capacity) {}

  channel(const channel &) = delete;
  channel &operator=(const channel &) = delete;

  // channel::capacity()
  //
  // The capacity the channel was created with (0: unbuffered).
  std::size_t capacity() const noexcept { return capacity_; }

  // channel::send()
  //
  // Sends `value`, blocking until it has a place:
  //  * unbuffered: until a receiver has taken it. If a receiver is already
  //    blocked in receive(), the value is handed to it and send() returns at
  //    once; otherwise the sender waits in line (senders are served in FIFO
  //    order) until a receive() takes the value. Either way the receive() that
  //    gets the value has started before send() returns.
  //  * buffered: until fewer than capacity() values are waiting, then appends
  //    it (or hands it straight to a blocked receiver).
  //
  // Requires: the channel is not closed. Sending on a closed channel is
  // reported as misuse::send_on_closed_channel, and so is a send() still
  // blocked when another thread closes the channel (its value is never
  // delivered). As in Go, closing is the senders' side's job: close only once
  // every sender is done.
  //
  // Memory ordering: a send() happens-before the receive() that gets its
  // value completes. On an unbuffered channel, in addition, that receive()
  // call (everything its thread did before calling it) happens-before send()
  // returns. On a buffered channel of capacity C, the k-th receive() that
  // completes happens-before the (k+C)-th send() completes, which is what
  // makes a buffered channel usable as a semaphore.
  void send(T value) CONCHECK_EXCLUDES(mu_) {
    if (send_impl(value, /*block=*/true, nullptr) == outcome::closed)
      report_misuse(misuse::send_on_closed_channel, "channel");
  }

  // channel::send(stop_token)
  //
  // As send(), but gives up when stop is requested on `stop`: returns true if
  // the value was sent, false if the send was abandoned. On false the value
  // was not delivered to anyone (no receiver ever saw it) and has been
  // destroyed with the argument; to keep it, use try_send() in your own loop.
  // If stop was already requested on entry, returns false without looking at
  // the channel. If a receiver takes the value at the moment stop is
  // requested, the take wins and send() returns true: a value is never both
  // received and reported as not sent.
  //
  // Requires: as send() (closing the channel under a blocked sender is still
  // misuse, whatever the stop token).
  //
  // Memory ordering: as send() when it returns true; none when it returns
  // false.
  bool send(T value, std::stop_token stop) CONCHECK_EXCLUDES(mu_) {
    switch (send_impl(value, /*block=*/true, &stop)) {
    case outcome::done:
      return true;
    case outcome::closed:
      report_misuse(misuse::send_on_closed_channel, "channel");
    default:
      return false;
    }
  }

  // channel::try_send()
  //
  // Sends `value` only if that needs no waiting: a receiver is blocked in
  // receive() (the only way on an unbuffered channel) or the buffer has room.
  // Returns whether it sent.
  //
  // The value is moved from only on success. On false, `value` is untouched,
  // even when passed as std::move(x) (the guarantee std::map::try_emplace
  // gives), so a caller can retry or put it elsewhere:
  //
  //   if (!ch.try_send(std::move(item))) overflow.push_back(std::move(item));
  //
  // Requires: the channel is not closed (misuse::send_on_closed_channel).
  //
  // Memory ordering: as send() when it returns true; none when it returns
  // false.
  bool try_send(T &&value) CONCHECK_EXCLUDES(mu_) {
    return try_send_impl(std::move(value));
  }

  // channel::try_send(const T&)
  //
  // As try_send(T&&), copying `value` on success.
  CONCHECK_EXCLUDES(mu_) bool try_send(const T &value)
    requires std::copy_constructible<T>
  {
    return try_send_impl(value);
  }

  // channel::receive()
  //
  // Receives the next value, blocking until there is one or the channel is
  // closed and drained. Values come out in the order the channel accepted
  // them (for one sender: the order of its sends), and blocked receivers are
  // served in the order they blocked. Returns std::nullopt only when the
  // channel is closed and no value is left; from then on every receive()
  // returns std::nullopt at once.
  //
  // Memory ordering: the send() of the value happens-before receive()
  // returns it (see send() for the other direction on unbuffered channels).
  // A receive() that returns std::nullopt because the channel is closed
  // happens-after the close().
  std::optional<T> receive() CONCHECK_EXCLUDES(mu_) {
    std::optional<T> result;
    receive_impl(result, /*block=*/true, nullptr);
    return result;
  }

  // channel::receive(stop_token)
  //
  // As receive(), but gives up when stop is requested on `stop` and returns
  // std::nullopt; `stop.stop_requested()` tells that case from a closed and
  // drained channel. If stop was already requested on entry, returns
  // std::nullopt without taking a value even if one is ready, so that a loop
  // `while (auto v = ch.receive(stop))` ends promptly under a steady flow. A
  // value handed over at the moment stop is requested is returned, never
  // dropped: whenever a sender was told its value was taken, this call
  // returns that value.
  //
  // Memory ordering: as receive() when it returns a value or finds the
  // channel closed; none when it gives up.
  std::optional<T> receive(std::stop_token stop) CONCHECK_EXCLUDES(mu_) {
    std::optional<T> result;
    receive_impl(result, /*block=*/true, &stop);
    return result;
  }

  // channel::try_receive()
  //
  // Receives a value only if that needs no waiting: one is buffered, or a
  // sender is blocked in send() (the only way on an unbuffered channel).
  // Returns std::nullopt otherwise, whether the channel is empty or closed
  // and drained (closed() tells which).
  //
  // Memory ordering: as receive() when it returns a value; when it returns
  // std::nullopt on a closed, drained channel, the close() happens-before it.
  std::optional<T> try_receive() CONCHECK_EXCLUDES(mu_) {
    std::optional<T> result;
    receive_impl(result, /*block=*/false, nullptr);
    return result;
  }

  // channel::close()
  //
  // Marks the channel closed: no value may be sent from now on. Receivers
  // blocked in receive() wake and get std::nullopt (a receiver only blocks
  // when nothing is buffered); later receives drain what is buffered, then
  // get std::nullopt. Senders blocked in send() wake and report
  // misuse::send_on_closed_channel. Does not block.
  //
  // Requires: the channel is not closed yet (misuse::close_of_closed_channel).
  //
  // Memory ordering: close() happens-before every receive() and
  // try_receive() that returns std::nullopt because the channel is closed,
  // and before every closed() that returns true.
  void close() CONCHECK_EXCLUDES(mu_) {
    bool was_closed = false;
    {
      detail::annotated_lock lock(mu_);
      was_closed = closed_;
      if (!was_closed) {
        closed_ = true;
        while (receive_waiter *r = receivers_.pop_front())
          r->finish(waiter_state::closed);
        while (send_waiter *s = senders_.pop_front())
          s->finish(waiter_state::closed);
      }
    }
    if (was_closed)
      report_misuse(misuse::close_of_closed_channel, "channel");
  }

  // channel::closed()
  //
  // Whether close() has been called. A snapshot: only `true` is stable.
  //
  // Memory ordering: when it returns true, the close() happens-before it.
  bool closed() const CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    return closed_;
  }

  // channel::begin() / channel::end()
  //
  // Range-for support: `for (auto v : ch)` receives until the channel is
  // closed and drained, like Go's `for v := range ch`. begin() performs the
  // first receive() (so it blocks), each ++ the next one. The iterator is a
  // single-pass input iterator whose `*it` is a T&& to the value it holds:
  // `auto v` moves the value out (which is what makes move-only T work) and
  // `auto&&` or `const auto&` binds to it in place. Several threads may each
  // loop over the same channel: each value goes to exactly one of them.
  iterator begin() CONCHECK_EXCLUDES(mu_) { return iterator(*this); }
  std::default_sentinel_t end() const noexcept { return {}; }

  // channel::iterator
  //
  // See begin(). Comparing with end() (std::default_sentinel) is true once a
  // receive() has returned std::nullopt.
  class iterator {
  public:
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = T &&;

    iterator() = default;

    reference operator*() const { return std::move(*current_); }
    T *operator->() const { return &*current_; }

    iterator &operator++() {
      current_.reset();
      channel_->receive_impl(current_, /*block=*/true, nullptr);
      return *this;
    }
    void operator++(int) { ++*this; }

    friend bool operator==(const iterator &it, std::default_sentinel_t) {
      return !it.current_.has_value();
    }

  private:
    friend class channel;
    explicit iterator(channel &ch) : channel_(&ch) { ++*this; }

    channel *channel_ = nullptr;
    // mutable: an input iterator's `*it` works on a const iterator, and here
    // it hands out the held value for moving.
    mutable std::optional<T> current_;
  };

private:
  enum class outcome { done, closed, stopped, would_block };
  enum class waiter_state { waiting, done, closed };

  // A thread blocked in send() or receive(), linked into senders_ or
  // receivers_. It lives on the blocked thread's stack. Every field is read
  // and written only with mu_ held (the analysis cannot name mu_ from here).
  struct waiter {
    waiter *prev = nullptr;
    waiter *next = nullptr;
    waiter_state state = waiter_state::waiting;
    std::condition_variable wake;

    // Called with mu_ held, after the waiter has been unlinked. Notifies
    // while still holding mu_: once mu_ is released the waiter may return
    // and destroy `wake`.
    void finish(waiter_state how) {
      state = how;
      wake.notify_one();
    }
  };

  struct send_waiter : waiter {
    explicit send_waiter(T &v) : value(&v) {}
    T *value; // the blocked sender's argument; a receiver moves from it
  };

  struct receive_waiter : waiter {
    explicit receive_waiter(std::optional<T> &out) : value(&out) {}
    std::optional<T> *value; // the blocked receiver's result; a sender fills it
  };

  // An intrusive FIFO of waiters: O(1) push, pop, and unlink of a waiter
  // that gives up on stop.
  template <class Waiter> class waiter_queue {
  public:
    bool empty() const { return head_ == nullptr; }
    Waiter *front() const { return static_cast<Waiter *>(head_); }

    void push_back(Waiter *w) {
      w->prev = tail_;
      w->next = nullptr;
      (tail_ ? tail_->next : head_) = w;
      tail_ = w;
    }

    Waiter *pop_front() {
      Waiter *w = front();
      if (w)
        unlink(w);
      return w;
    }

    void unlink(waiter *w) {
      (w->prev ? w->prev->next : head_) = w->next;
      (w->next ? w->next->prev : tail_) = w->prev;
      w->prev = w->next = nullptr;
    }

  private:
    waiter *head_ = nullptr;
    waiter *tail_ = nullptr;
  };

  // Wakes a blocked waiter when stop is requested. Runs on the thread that
  // requests stop; takes mu_ so that the waiter is either before its
  // stop_requested() check (and sees the request) or already blocked on
  // `wake` (and gets the notification): no lost wake-up.
  struct stop_waker {
    channel *ch;
    waiter *w;
    void operator()() const CONCHECK_EXCLUDES(ch->mu_) {
      detail::annotated_lock lock(ch->mu_);
      w->wake.notify_one();
    }
  };

  // Hands `value` to the first blocked receiver or appends it to the buffer.
  // Returns false, with `value` untouched, if neither can take it now.
  template <class V>
  bool offer_locked(V &&value) CONCHECK_REQUIRES(mu_) {
    if (receive_waiter *r = receivers_.front()) {
      // A receiver only blocks on an empty buffer, and a sender only
      // buffers when no receiver is blocked: FIFO order is kept.
      r->value->emplace(std::forward<V>(value));
      receivers_.pop_front();
      r->finish(waiter_state::done);
      return true;
    }
    if (buffer_.size() < capacity_) {
      buffer_.push_back(std::forward<V>(value));
      return true;
    }
    return false;
  }

  // Takes the next value into `out` (empty on entry): the oldest buffered
  // one, or else the first blocked sender's. Returns false if there is none.
  bool take_locked(std::optional<T> &out) CONCHECK_REQUIRES(mu_) {
    if (!buffer_.empty()) {
      out.emplace(std::move(buffer_.front()));
      buffer_.pop_front();
      // A sender only blocks on a full buffer: the slot just freed is its.
      if (send_waiter *s = senders_.front()) {
        buffer_.push_back(std::move(*s->value));
        senders_.pop_front();
        s->finish(waiter_state::done);
      }
      return true;
    }
    if (send_waiter *s = senders_.front()) {
      out.emplace(std::move(*s->value));
      senders_.pop_front();
      s->finish(waiter_state::done);
      return true;
    }
    return false;
  }

  // Waits until `self` is finished by another thread or stop is requested.
  // Returns done, closed, or stopped; on stopped, `self` has been unlinked
  // from `queue`. All decided under mu_, so a waiter that was finished with
  // `done` always reports done, even if stop was requested meanwhile: that is
  // why a rendezvous never loses a value.
  template <class Waiter>
  outcome wait_locked(detail::annotated_lock &lock, Waiter &self,
                      waiter_queue<Waiter> &queue, const std::stop_token *stop)
      CONCHECK_REQUIRES(mu_) {
    queue.push_back(&self);
    while (self.state == waiter_state::waiting &&
           !(stop && stop->stop_requested()))
      lock.wait(self.wake);
    switch (self.state) {
    case waiter_state::done:
      return outcome::done;
    case waiter_state::closed:
      return outcome::closed;
    case waiter_state::waiting:
      break;
    }
    queue.unlink(&self);
    return outcome::stopped;
  }

  outcome send_impl(T &value, bool block, const std::stop_token *stop)
      CONCHECK_EXCLUDES(mu_) {
    if (stop && stop->stop_requested())
      return outcome::stopped;
    send_waiter self(value);
    // Registered before mu_ is taken: registering runs the callback at once
    // if stop is already requested, and unregistering waits for a running
    // callback, which takes mu_. Destroyed after `lock` releases mu_.
    std::optional<std::stop_callback<stop_waker>> on_stop;
    if (stop && stop->stop_possible())
      on_stop.emplace(*stop, stop_waker{this, &self});
    detail::annotated_lock lock(mu_);
    if (closed_)
      return outcome::closed;
    if (offer_locked(std::move(value))) // moves only on success
      return outcome::done;
    if (!block)
      return outcome::would_block;
    return wait_locked(lock, self, senders_, stop);
  }

  template <class V> bool try_send_impl(V &&value) CONCHECK_EXCLUDES(mu_) {
    bool sent = false;
    bool was_closed = false;
    {
      detail::annotated_lock lock(mu_);
      was_closed = closed_;
      if (!was_closed)
        sent = offer_locked(std::forward<V>(value));
    }
    if (was_closed)
      report_misuse(misuse::send_on_closed_channel, "channel");
    return sent;
  }

  // Receives into `out` (empty on entry); see send_impl for the order of
  // `self`, `on_stop` and `lock`.
  outcome receive_impl(std::optional<T> &out, bool block,
                       const std::stop_token *stop) CONCHECK_EXCLUDES(mu_) {
    if (stop && stop->stop_requested())
      return outcome::stopped;
    receive_waiter self(out);
    std::optional<std::stop_callback<stop_waker>> on_stop;
    if (stop && stop->stop_possible())
      on_stop.emplace(*stop, stop_waker{this, &self});
    detail::annotated_lock lock(mu_);
    if (take_locked(out))
      return outcome::done;
    if (closed_)
      return outcome::closed;
    if (!block)
      return outcome::would_block;
    return wait_locked(lock, self, receivers_, stop);
  }

  const std::size_t capacity_;
  mutable detail::annotated_mutex mu_;
  bool closed_ CONCHECK_GUARDED_BY(mu_) = false;
  std::deque<T> buffer_ CONCHECK_GUARDED_BY(mu_);
  // Invariants: receivers_ non-empty => buffer_ and senders_ empty;
  // senders_ non-empty => buffer_ full and receivers_ empty.
  waiter_queue<send_waiter> senders_ CONCHECK_GUARDED_BY(mu_);
  waiter_queue<receive_waiter> receivers_ CONCHECK_GUARDED_BY(mu_);
};

} // namespace concheck

#endif // CONCHECK_CHANNEL_H_
