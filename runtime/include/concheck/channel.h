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
// destruction of moved-from values, run inside the channel's calls (some
// with its internal lock held), so T's move constructor and destructor must
// not use the channel. They should not throw either: if a move throws, the
// exception propagates from the call that moved, and the value is left as
// T's move left it.
//
// A channel is neither copyable nor movable. It must outlive every call on
// it: destroying it while a thread is blocked in (or calling) one of its
// members is undefined behaviour.
//
// Performance. A call that has to wait first spins for a few microseconds
// (pausing, and yielding the processor every few rounds), because the other
// side usually comes that soon, and only then sleeps: a sleep and the
// wake-up that ends it cost two system calls and, on a loaded or virtualized
// machine, tens of microseconds. So a thread that waits on an idle channel
// uses up to about 20 microseconds of CPU per call before it sleeps.
// A buffered channel whose T has a noexcept move constructor (most types do)
// keeps its values in a lock-free ring of `capacity` slots allocated at
// construction, as long as the ring fits in 1 MiB (about capacity *
// (sizeof(T) + 8) bytes): while no thread waits, sends and receives take no
// lock and make no system call, and senders and receivers share no lock.
// Other channels (unbuffered ones, those of other types, and larger buffers)
// use a queue under a mutex that allocates as it fills. Both behave exactly
// as documented here.

#ifndef CONCHECK_CHANNEL_H_
#define CONCHECK_CHANNEL_H_

#include <concheck/detail/annotated_mutex.h>
#include <concheck/detail/parking.h>
#include <concheck/misuse.h>
#include <concheck/thread_annotations.h>

#include <atomic>
#include <bit>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <stop_token>
#include <thread>
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
  explicit channel(std::size_t capacity = 0)
      : capacity_(capacity), ring_(capacity), slots_(ring_.slots),
        mark_bit_(slots_ ? std::bit_ceil(std::uint64_t{capacity} + 1) : 0),
        one_lap_(2 * mark_bit_) {}

  ~channel() {
    if (slots_ == nullptr)
      return;
    // Every call has returned: no position is claimed and not finished.
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail =
        tail_.load(std::memory_order_relaxed) & ~mark_bit_;
    for (; head != tail; head = ring_next(head))
      slots_[head & (mark_bit_ - 1)].get()->~T();
  }

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
  // completes happens-before the (k+C)-th send() completes (receives and
  // sends counted in the order they take values from, and put values into,
  // the channel), which is what makes a buffered channel usable as a
  // semaphore.
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
  // when nothing is buffered, and a value sent before the close still goes
  // to one of them); later receives drain what is buffered, then get
  // std::nullopt. Senders blocked in send() wake and report
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
        if (use_ring())
          tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
        while (receive_waiter *r = receivers_.pop_front())
          r->finish(waiter_state::closed);
        while (send_waiter *s = senders_.pop_front())
          s->finish(waiter_state::closed);
        sync_flags_locked();
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
  // How it works.
  //
  // Two implementations share the waiter machinery below:
  //  * the mutex path (unbuffered channels, and buffered ones that cannot
  //    use the ring): every decision is made under mu_, values wait in
  //    buffer_, and a sender or receiver that cannot proceed links a waiter
  //    record into senders_ or receivers_, where the other side finds it and
  //    hands the value over directly (offer_locked(), take_locked());
  //  * the ring path (buffered channels of nothrow-movable T, see
  //    ring_capable and max_ring_bytes): values wait in a lock-free ring and
  //    move without mu_ while nobody has to wait; mu_ and the waiter queues
  //    serve only threads that do (see "The ring path" below).
  //
  // A waiter does not sleep at once: park() spins on its record's state for
  // up to park_spin, and on the ring path a call spins on the ring for up to
  // ring_spin before it even links a record. A hand-over to a waiter that is
  // still spinning is one atomic exchange, no system call. A waiter that
  // does sleep first announces it in its state (waiting -> sleeping); the
  // hand-over sees that in the value its exchange replaces and only then
  // calls notify. Records live on the blocked threads' stacks; see finish()
  // and park() for why a record is never touched after it is gone.

  enum class outcome { done, closed, stopped, would_block };

  // --- Waiters -----------------------------------------------------------

  // The life of a blocked call's waiter record. Only the blocked thread
  // itself moves it from waiting to sleeping, and only without mu_. Every
  // other change is made with mu_ held: by another thread to done or closed
  // (finish(), once the record is unlinked) or to poked (stop_waker), or by
  // the blocked thread itself back to waiting (a poke without a stop request,
  // which does not happen).
  enum class waiter_state : std::uint32_t {
    waiting,  // linked, its thread spinning or about to sleep
    sleeping, // its thread is (about to be) parked while state is sleeping
    poked,    // stop was requested; its thread decides under mu_
    done,     // finished: the value was handed over
    closed,   // finished: the channel was closed
  };

  // A thread blocked in send() or receive(), linked into senders_ or
  // receivers_. It lives on the blocked thread's stack. prev and next are
  // read and written only with mu_ held (the analysis cannot name mu_ from
  // here); `state` is atomic, see waiter_state.
  struct waiter {
    waiter *prev = nullptr;
    waiter *next = nullptr;
    std::atomic<waiter_state> state{waiter_state::waiting};

    // Called with mu_ held, after the waiter has been unlinked. The release
    // publishes the hand-over (or the close) to the waiter's acquire load.
    // Wakes the thread only if it went to sleep. The wake-up needs the
    // record no more (detail/parking.h), so the woken thread may return at
    // once; where it does need it, a thread that has slept passes through
    // mu_ before it returns (see park()).
    void finish(waiter_state how) {
      if (state.exchange(how, std::memory_order_acq_rel) ==
          waiter_state::sleeping)
        detail::unpark_one(state);
    }

    // Called with mu_ held when stop is requested: makes the thread look at
    // its stop token, waking it if it sleeps. A finished waiter is left as
    // it is (the hand-over wins).
    void poke() {
      waiter_state s = state.load(std::memory_order_relaxed);
      while ((s == waiter_state::waiting || s == waiter_state::sleeping) &&
             !state.compare_exchange_weak(s, waiter_state::poked,
                                          std::memory_order_relaxed))
        ;
      if (s == waiter_state::sleeping)
        detail::unpark_one(state);
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

  // Makes a blocked waiter look at its stop token when stop is requested.
  // Runs on the thread that requests stop, with mu_ held: the waiter
  // decides to give up under mu_ too, so a hand-over and a stop are never
  // both acted on.
  struct stop_waker {
    channel *ch;
    waiter *w;
    void operator()() const CONCHECK_EXCLUDES(ch->mu_) {
      detail::annotated_lock lock(ch->mu_);
      w->poke();
    }
  };

  // Bounded busy-waiting before a thread sleeps: a sleep and the wake-up
  // that ends it cost two system calls and often tens of microseconds, far
  // more than the other side needs to produce the next value when it is
  // running. spin() pauses a little, and returns false once about `budget`
  // has passed.
  class spinner {
  public:
    explicit spinner(std::chrono::nanoseconds budget) : budget_(budget) {}

    static void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    }

    // One step of a wait for another thread to finish a few instructions.
    static void backoff(unsigned tries) noexcept {
      if (tries % 64 == 63)
        std::this_thread::yield();
      else
        relax();
    }

    bool spin() {
      if (rounds_ == 0)
        deadline_ = std::chrono::steady_clock::now() + budget_;
      else if (rounds_ == expired)
        return false;
      // No yield: on a machine whose cores are kept busy, a yield can give
      // the core away for a whole time slice, milliseconds for a wait of
      // microseconds (issue 17); a peer that is not running is waited for
      // asleep instead, once the budget is spent.
      for (int i = 0; i < 4; ++i)
        relax();
      if (++rounds_ % 8 != 0)
        return true;
      if (std::chrono::steady_clock::now() < deadline_)
        return true;
      rounds_ = expired;
      return false;
    }

  private:
    std::chrono::nanoseconds budget_;
    static constexpr unsigned expired = ~0u;
    std::chrono::steady_clock::time_point deadline_;
    unsigned rounds_ = 0;
  };

  // How long a blocking call spins on the ring before it registers as a
  // waiter, and how long a registered waiter spins before it sleeps. Longer
  // than a busy peer needs to move the next value (well under a
  // microsecond) or to run through a whole buffer of values, shorter than a
  // sleep and wake-up on a virtualized machine. Measured with
  // runtime/bench/runtime_bench.cpp (channel_buffered, channel_unbuffered)
  // on 2 cores: at 2 microseconds most of the gain is lost, and at 5 an
  // unbuffered hand-off still sleeps often; 10 is as fast as 20 or 50.
  static constexpr std::chrono::nanoseconds ring_spin{10'000};
  static constexpr std::chrono::nanoseconds park_spin{10'000};

  // Waits, without mu_, until `self` (linked into senders_ or receivers_
  // under mu_ by the caller) is finished or stop is requested. Returns done,
  // closed or stopped; on stopped, `self` has been unlinked. Whether a stop
  // counts is decided under mu_, where finish() also runs, so a waiter that
  // was finished with `done` always reports done, even if stop was requested
  // meanwhile: that is why a rendezvous never loses a value.
  //
  // Memory ordering: finish() stores done/closed with release after writing
  // the hand-over (the receiver's result, or having moved the sender's
  // argument); every load here that can see it is an acquire, so the
  // hand-over happens-before park() returns, and what the finishing thread
  // did before its call happens-before it too.
  template <class Waiter>
  outcome park(Waiter &self, const std::stop_token *stop)
      CONCHECK_EXCLUDES(mu_) {
    spinner spin(park_spin);
    while (self.state.load(std::memory_order_relaxed) ==
               waiter_state::waiting &&
           spin.spin())
      ;
    bool slept = false;
    waiter_state s = self.state.load(std::memory_order_acquire);
    for (;;) {
      switch (s) {
      case waiter_state::waiting:
        // Announce the sleep; a finish() or poke() that comes after this
        // CAS sees `sleeping` and notifies. One that came first makes it
        // fail (and `s` is reloaded).
        // (Acquire on success too: GCC 12 rejects a failure order stronger
        // than the success order, which C++17 allows.)
        if (self.state.compare_exchange_weak(s, waiter_state::sleeping,
                                             std::memory_order_acquire,
                                             std::memory_order_acquire)) {
          slept = true;
          detail::park_while(self.state, waiter_state::sleeping);
          s = self.state.load(std::memory_order_acquire);
        }
        continue;
      case waiter_state::sleeping: // cannot be seen after wait() returned
        s = self.state.load(std::memory_order_acquire);
        continue;
      case waiter_state::done:
      case waiter_state::closed:
        if (slept && detail::unpark_touches_memory) {
          // The finisher wakes with mu_ held: where the wake-up touches the
          // record, passing through mu_ waits for that call to end before
          // `self` goes out of scope. (On Linux it only names the address.)
          detail::annotated_lock lock(mu_);
        }
        return s == waiter_state::done ? outcome::done : outcome::closed;
      case waiter_state::poked:
        break;
      }
      detail::annotated_lock lock(mu_);
      s = self.state.load(std::memory_order_acquire);
      if (s == waiter_state::done || s == waiter_state::closed)
        return s == waiter_state::done ? outcome::done : outcome::closed;
      if (stop && stop->stop_requested()) {
        if constexpr (std::is_same_v<Waiter, send_waiter>)
          senders_.unlink(&self);
        else
          receivers_.unlink(&self);
        sync_flags_locked();
        return outcome::stopped;
      }
      // Not reached (only a stop request pokes); wait again.
      self.state.store(waiter_state::waiting, std::memory_order_relaxed);
      s = waiter_state::waiting;
    }
  }

  // --- The mutex path: unbuffered channels, and buffered channels that
  // --- cannot use the ring (see use_ring()) ------------------------------

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

  // Sends without blocking: done, would_block (value untouched) or closed.
  template <class V> outcome locked_try_send(V &&value) CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    if (closed_)
      return outcome::closed;
    return offer_locked(std::forward<V>(value)) ? outcome::done // moves only
                                                : outcome::would_block;
  }

  outcome locked_send(T &value, const std::stop_token *stop)
      CONCHECK_EXCLUDES(mu_) {
    send_waiter self(value);
    // Registered before mu_ is taken: registering runs the callback at once
    // if stop is already requested, and unregistering waits for a running
    // callback, which takes mu_. Destroyed before `self`.
    std::optional<std::stop_callback<stop_waker>> on_stop;
    if (stop && stop->stop_possible())
      on_stop.emplace(*stop, stop_waker{this, &self});
    {
      detail::annotated_lock lock(mu_);
      if (closed_)
        return outcome::closed;
      if (offer_locked(std::move(value))) // moves only on success
        return outcome::done;
      if (stop && stop->stop_requested())
        return outcome::stopped;
      senders_.push_back(&self);
    }
    return park(self, stop);
  }

  outcome locked_receive(std::optional<T> &out, bool block,
                         const std::stop_token *stop) CONCHECK_EXCLUDES(mu_) {
    receive_waiter self(out);
    std::optional<std::stop_callback<stop_waker>> on_stop;
    if (block && stop && stop->stop_possible())
      on_stop.emplace(*stop, stop_waker{this, &self});
    {
      detail::annotated_lock lock(mu_);
      if (take_locked(out))
        return outcome::done;
      if (closed_)
        return outcome::closed;
      if (!block)
        return outcome::would_block;
      if (stop && stop->stop_requested())
        return outcome::stopped;
      receivers_.push_back(&self);
    }
    return park(self, stop);
  }

  // --- The ring path: buffered channels of nothrow-movable T -------------
  //
  // A bounded multi-producer multi-consumer ring in the style of D. Vyukov's
  // queue (with the position encoding of crossbeam's ArrayQueue): positions
  // are "stamps", lap * one_lap_ + index; tail_ is the next position to
  // write and head_ the next to read, each on its own cache line. A slot
  // whose stamp equals position p is free for the value written at p; once
  // that value is in, its stamp is p + 1; once it has been moved out, it is
  // p + one_lap_, the position that writes the slot next. A sender claims a
  // position with a CAS on tail_, constructs its value in the slot and
  // publishes it with a release store of the stamp; a receiver claims with a
  // CAS on head_, moves the value out and frees the slot the same way. No
  // lock is taken while values flow and nobody waits.
  //
  // Blocking goes through mu_ and the waiter queues, as on the mutex path.
  // waiting_ tells the fast paths whether anyone is blocked (or the channel
  // closed); it changes only under mu_. A thread about to block sets its
  // bit in waiting_ (seq_cst), then looks at the ring once more (ring_pop
  // reads tail_, ring_push reads head_, seq_cst) before it sleeps. A fast
  // path that moved a value CASes head_ or tail_ (seq_cst) first and reads
  // waiting_ (seq_cst) afterwards. In the single total order of these
  // seq_cst operations either the blocking thread's last look sees the
  // fast path's CAS (and does not sleep), or the fast path's read of
  // waiting_ sees the bit (and it hands over under mu_, ring_help_locked()).
  // No wake-up is lost.
  //
  // Blocked threads keep their FIFO rights: while receivers (senders) are
  // blocked, newly arriving receivers (senders) take the slow path and
  // queue behind them, and values move to blocked receivers (from blocked
  // senders) in queue order.
  //
  // Empty and full are decided by the positions, not by a slot: a ring is
  // empty only when head_ == tail_ and full only when tail_ is a lap ahead
  // of head_. A position that is claimed but not yet published (or not yet
  // freed) is waited for, as a few instructions of another thread; so a
  // receive never reports empty while a completed send's value is in the
  // ring. Such a wait, like any wait for a thread that may have been
  // preempted, yields the processor now and then (spinner::backoff()).
  //
  // close() sets the mark bit in tail_ under mu_: a send that claimed its
  // position before was accepted and will be received; every later claim
  // sees the mark and reports misuse. Receivers woken by the close look at
  // the ring once more before they return std::nullopt, since a value
  // accepted just before the close may not have been handed to them yet.
  //
  // Memory ordering: a slot's stamp is stored with release after the value
  // is constructed (or moved out) and loaded with acquire before a claim,
  // so a send happens-before the receive that moves its value out, and the
  // receive that frees a slot happens-before the send that fills it a lap
  // later. A send checks its slot's stamp before its CAS on tail_, and each
  // CAS reads from the one before, so every receive up to the k-th (in
  // position order) happens-before the (k+C)-th send completes. A value
  // handed to or from a blocked thread also goes through finish()/park().
  // A receive that sees the mark has read it with seq_cst from close()'s
  // fetch_or.

  // T's moves run on the ring without a lock and must not fail halfway:
  // a claimed slot must be filled.
  static constexpr bool ring_capable =
      std::is_nothrow_move_constructible_v<T> &&
      std::is_nothrow_destructible_v<T>;

  struct slot {
    std::atomic<std::uint64_t> stamp{0};
    alignas(T) unsigned char storage[sizeof(T)];
    T *get() noexcept { return std::launder(reinterpret_cast<T *>(storage)); }
  };

  // Channels whose ring would be larger keep the mutex path, which
  // allocates as its buffer fills instead of up front.
  static constexpr std::size_t max_ring_bytes = std::size_t{1} << 20;

  // Owns the slots (not the values in them: ~channel() destroys those).
  struct ring_memory {
    explicit ring_memory(std::size_t capacity) {
      if constexpr (ring_capable) {
        if (capacity == 0 || capacity > max_ring_bytes / sizeof(slot))
          return;
        slots = std::allocator<slot>().allocate(capacity);
        size = capacity;
        for (std::size_t i = 0; i < capacity; ++i)
          ::new (static_cast<void *>(slots + i)) slot{};
        for (std::size_t i = 0; i < capacity; ++i)
          slots[i].stamp.store(i, std::memory_order_relaxed);
      }
    }
    ring_memory(const ring_memory &) = delete;
    ring_memory &operator=(const ring_memory &) = delete;
    ~ring_memory() {
      if (slots == nullptr)
        return;
      for (std::size_t i = 0; i < size; ++i)
        slots[i].~slot();
      std::allocator<slot>().deallocate(slots, size);
    }

    slot *slots = nullptr;
    std::size_t size = 0;
  };

  static constexpr std::uint32_t receivers_waiting = 1;
  static constexpr std::uint32_t senders_waiting = 2;
  static constexpr std::uint32_t closed_flag = 4;

  enum class ring_result { ok, empty, full, closed };

  bool use_ring() const noexcept { return slots_ != nullptr; }

  std::uint64_t ring_next(std::uint64_t pos) const noexcept {
    const std::uint64_t index = pos & (mark_bit_ - 1);
    return index + 1 < capacity_ ? pos + 1 : (pos & ~(one_lap_ - 1)) + one_lap_;
  }

  // Moves `value` into the ring: ok, full (value untouched) or closed
  // (value untouched; tail_ carries the closed mark).
  ring_result ring_push(T &value) noexcept {
    std::uint64_t tail = tail_.load(std::memory_order_relaxed);
    for (unsigned tries = 0;; ++tries) {
      if (tail & mark_bit_)
        return ring_result::closed;
      slot &s = slots_[tail & (mark_bit_ - 1)];
      const std::uint64_t stamp = s.stamp.load(std::memory_order_acquire);
      if (stamp == tail) {
        if (tail_.compare_exchange_weak(tail, ring_next(tail),
                                        std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          ::new (static_cast<void *>(s.storage)) T(std::move(value));
          s.stamp.store(tail + 1, std::memory_order_release);
          return ring_result::ok;
        }
        continue; // the CAS reloaded `tail`
      }
      if (stamp + one_lap_ == tail + 1 &&
          head_.load(std::memory_order_seq_cst) + one_lap_ == tail)
        return ring_result::full; // holds last lap's value, not yet taken
      // Another sender claimed this position, or a receiver is still moving
      // last lap's value out: both finish without waiting for anyone (but
      // may have been preempted: yield now and then).
      spinner::backoff(tries);
      tail = tail_.load(std::memory_order_relaxed);
    }
  }

  // Moves the next value into `out` (empty on entry): ok, empty, or closed
  // (closed and drained).
  ring_result ring_pop(std::optional<T> &out) noexcept {
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    for (unsigned tries = 0;; ++tries) {
      slot &s = slots_[head & (mark_bit_ - 1)];
      const std::uint64_t stamp = s.stamp.load(std::memory_order_acquire);
      if (stamp == head + 1) {
        if (head_.compare_exchange_weak(head, ring_next(head),
                                        std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          T *v = s.get();
          out.emplace(std::move(*v));
          v->~T();
          s.stamp.store(head + one_lap_, std::memory_order_release);
          return ring_result::ok;
        }
        continue;
      }
      if (stamp == head) {
        const std::uint64_t tail = tail_.load(std::memory_order_seq_cst);
        if ((tail & ~mark_bit_) == head)
          return (tail & mark_bit_) ? ring_result::closed : ring_result::empty;
      }
      // A sender claimed this position and is still writing, or another
      // receiver took it: both finish without waiting for anyone (but may
      // have been preempted: yield now and then).
      spinner::backoff(tries);
      head = head_.load(std::memory_order_relaxed);
    }
  }

  // Cheap readiness checks for spinning: no CAS, no read of the other
  // side's position.
  bool ring_can_pop() const noexcept {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    return slots_[head & (mark_bit_ - 1)].stamp.load(
               std::memory_order_relaxed) == head + 1;
  }
  bool ring_can_push() const noexcept {
    const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
    return slots_[tail & (mark_bit_ - 1)].stamp.load(
               std::memory_order_relaxed) == tail;
  }

  // Spins until ready() or the flags change (someone blocked, or the
  // channel closed); false once `spin` has used up its budget.
  template <class Ready>
  bool spin_until(Ready ready, spinner &spin) const noexcept {
    do {
      if (!spin.spin())
        return false;
    } while (!ready() && waiting_.load(std::memory_order_relaxed) == 0);
    return true;
  }

  // Makes waiting_ say who is blocked now. Every change of senders_,
  // receivers_ or closed_ on the ring path is followed by this (or by
  // announce_locked()) before mu_ is released.
  void sync_flags_locked() CONCHECK_REQUIRES(mu_) {
    if (!use_ring())
      return;
    const std::uint32_t flags = (receivers_.empty() ? 0 : receivers_waiting) |
                                (senders_.empty() ? 0 : senders_waiting) |
                                (closed_ ? closed_flag : 0);
    if (waiting_.load(std::memory_order_relaxed) != flags)
      waiting_.store(flags, std::memory_order_seq_cst);
  }

  // Sets `bit` in waiting_ before this thread's last look at the ring.
  void announce_locked(std::uint32_t bit) CONCHECK_REQUIRES(mu_) {
    waiting_.fetch_or(bit, std::memory_order_seq_cst);
  }

  // Moves values from the ring to blocked receivers, and blocked senders'
  // values into the ring, each in queue order, until neither can move.
  void ring_help_locked() CONCHECK_REQUIRES(mu_) {
    for (bool moved = true; moved;) {
      moved = false;
      while (receive_waiter *r = receivers_.front()) {
        if (ring_pop(*r->value) != ring_result::ok)
          break;
        receivers_.pop_front();
        r->finish(waiter_state::done);
        moved = true;
      }
      while (send_waiter *s = senders_.front()) {
        if (ring_push(*s->value) != ring_result::ok)
          break;
        senders_.pop_front();
        s->finish(waiter_state::done);
        moved = true;
      }
    }
    sync_flags_locked();
  }

  void ring_help() CONCHECK_EXCLUDES(mu_) {
    detail::annotated_lock lock(mu_);
    ring_help_locked();
  }

  outcome ring_send(T &value, bool block, const std::stop_token *stop)
      CONCHECK_EXCLUDES(mu_) {
    // Fast path: no lock while nobody is blocked ahead of this sender. A
    // blocking call spins a while on a full ring before it queues.
    spinner spin(ring_spin);
    while (!(waiting_.load(std::memory_order_relaxed) & senders_waiting)) {
      switch (ring_push(value)) {
      case ring_result::ok:
        if (waiting_.load(std::memory_order_seq_cst) & receivers_waiting)
          ring_help();
        return outcome::done;
      case ring_result::closed:
        return outcome::closed;
      default:
        break;
      }
      if (!block)
        return outcome::would_block; // full, and nobody blocked
      if (!spin_until([this] { return ring_can_push(); }, spin))
        break;
    }
    // Slow path: under mu_, serve whoever is blocked, then send or queue.
    send_waiter self(value);
    std::optional<std::stop_callback<stop_waker>> on_stop;
    if (block && stop && stop->stop_possible())
      on_stop.emplace(*stop, stop_waker{this, &self});
    {
      detail::annotated_lock lock(mu_);
      if (closed_)
        return outcome::closed;
      ring_help_locked();
      if (senders_.empty()) {
        announce_locked(senders_waiting);
        if (ring_push(value) == ring_result::ok) {
          ring_help_locked(); // hands it on if a receiver is blocked
          return outcome::done;
        }
      }
      if (!block || (stop && stop->stop_requested())) {
        sync_flags_locked();
        return block ? outcome::stopped : outcome::would_block;
      }
      senders_.push_back(&self);
    }
    return park(self, stop);
  }

  outcome ring_receive(std::optional<T> &out, bool block,
                       const std::stop_token *stop) CONCHECK_EXCLUDES(mu_) {
    spinner spin(ring_spin);
    while (!(waiting_.load(std::memory_order_relaxed) & receivers_waiting)) {
      switch (ring_pop(out)) {
      case ring_result::ok:
        if (waiting_.load(std::memory_order_seq_cst) & senders_waiting)
          ring_help();
        return outcome::done;
      case ring_result::closed:
        return outcome::closed;
      default:
        break;
      }
      if (!block)
        return outcome::would_block; // empty, and nobody blocked
      if (!spin_until([this] { return ring_can_pop(); }, spin))
        break;
    }
    receive_waiter self(out);
    std::optional<std::stop_callback<stop_waker>> on_stop;
    if (block && stop && stop->stop_possible())
      on_stop.emplace(*stop, stop_waker{this, &self});
    {
      detail::annotated_lock lock(mu_);
      ring_help_locked();
      if (receivers_.empty()) {
        announce_locked(receivers_waiting);
        switch (ring_pop(out)) {
        case ring_result::ok:
          ring_help_locked(); // refills the slot from a blocked sender
          return outcome::done;
        case ring_result::closed:
          sync_flags_locked();
          return outcome::closed;
        default:
          break;
        }
      }
      if (!block || (stop && stop->stop_requested())) {
        sync_flags_locked();
        return block ? outcome::stopped : outcome::would_block;
      }
      receivers_.push_back(&self);
    }
    const outcome o = park(self, stop);
    if (o != outcome::closed)
      return o;
    // Closed while this receiver waited. A send that completed before the
    // close may still have left its value in the ring (its hand-over to
    // blocked receivers had not run yet): drain before reporting closed.
    return ring_pop(out) == ring_result::ok ? outcome::done : outcome::closed;
  }

  // --- Entry points ------------------------------------------------------

  outcome send_impl(T &value, bool block, const std::stop_token *stop)
      CONCHECK_EXCLUDES(mu_) {
    if (stop && stop->stop_requested())
      return outcome::stopped;
    if constexpr (ring_capable)
      if (use_ring())
        return ring_send(value, block, stop);
    if (!block)
      return locked_try_send(std::move(value));
    return locked_send(value, stop);
  }

  template <class V> bool try_send_impl(V &&value) CONCHECK_EXCLUDES(mu_) {
    outcome o;
    if constexpr (std::is_same_v<V, T>) {
      o = send_impl(value, /*block=*/false, nullptr); // moves only on success
    } else if (use_ring()) {
      T copy(value); // a copy may throw: make it before claiming a slot
      o = send_impl(copy, /*block=*/false, nullptr);
    } else {
      o = locked_try_send(value); // copies under mu_, only on success
    }
    if (o == outcome::closed)
      report_misuse(misuse::send_on_closed_channel, "channel");
    return o == outcome::done;
  }

  // Receives into `out` (empty on entry).
  outcome receive_impl(std::optional<T> &out, bool block,
                       const std::stop_token *stop) CONCHECK_EXCLUDES(mu_) {
    if (stop && stop->stop_requested())
      return outcome::stopped;
    if constexpr (ring_capable)
      if (use_ring())
        return ring_receive(out, block, stop);
    return locked_receive(out, block, stop);
  }

  const std::size_t capacity_;
  // The ring (null on the mutex path) and its geometry; set at construction.
  const ring_memory ring_;
  slot *const slots_;
  const std::uint64_t mark_bit_; // tail_'s closed mark; above every index
  const std::uint64_t one_lap_;
  // Who is blocked (and closed), for the fast paths: receivers_waiting,
  // senders_waiting, closed_flag. Written only with mu_ held.
  std::atomic<std::uint32_t> waiting_{0};

  alignas(64) std::atomic<std::uint64_t> tail_{0};
  alignas(64) std::atomic<std::uint64_t> head_{0};

  alignas(64) mutable detail::annotated_mutex mu_;
  bool closed_ CONCHECK_GUARDED_BY(mu_) = false;
  std::deque<T> buffer_ CONCHECK_GUARDED_BY(mu_); // mutex path only
  // Invariants on the mutex path: receivers_ non-empty => buffer_ and
  // senders_ empty; senders_ non-empty => buffer_ full and receivers_
  // empty. On the ring path the same hold once ring_help_locked() has run.
  waiter_queue<send_waiter> senders_ CONCHECK_GUARDED_BY(mu_);
  waiter_queue<receive_waiter> receivers_ CONCHECK_GUARDED_BY(mu_);
};

} // namespace concheck

#endif // CONCHECK_CHANNEL_H_
