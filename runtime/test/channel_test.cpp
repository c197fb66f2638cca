// Tests for <concheck/channel.h>: Go's channels.
//
// No test asserts on timing. Where a test wants a thread to be blocked
// before it acts, it pauses (let_others_run) and then checks only what must
// hold whether or not the other thread got that far; the pause just makes a
// bug likely to show. The happens-before tests hand plain (non-atomic) data
// across threads: under ThreadSanitizer a missing edge is a reported race.
#include <concheck/channel.h>

#include "pause.h"
#include "watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using namespace std::chrono_literals;
using concheck::channel;

static_assert(std::input_iterator<channel<int>::iterator>);
static_assert(std::input_iterator<channel<std::unique_ptr<int>>::iterator>);
static_assert(std::ranges::input_range<channel<int> &>);
static_assert(!std::is_copy_constructible_v<channel<int>>);
static_assert(!std::is_move_constructible_v<channel<int>>);

// Gives other threads time to reach a blocking call.
void let_others_run() { std::this_thread::sleep_for(20ms); }

// A buffered channel of a type that is nothrow-move-constructible (and not
// too large a buffer) runs on a lock-free ring; any other buffered channel
// runs on the mutex-protected queue, as unbuffered channels do. Tests of
// buffered behaviour run on both: `int` and friends take the ring, and
// may_throw, whose move constructor is not noexcept (it never actually
// throws), takes the mutex path.
struct may_throw {
  std::int64_t v = 0;
  may_throw(std::int64_t x) : v(x) {} // NOLINT: implicit on purpose
  may_throw(const may_throw &) = default;
  may_throw(may_throw &&other) noexcept(false) : v(other.v) {}
  may_throw &operator=(const may_throw &) = default;
  may_throw &operator=(may_throw &&other) noexcept(false) {
    v = other.v;
    return *this;
  }
};
static_assert(!std::is_nothrow_move_constructible_v<may_throw>);

std::int64_t value_of(std::int64_t v) { return v; }
std::int64_t value_of(const may_throw &v) { return v.v; }

// --- Unbuffered: a rendezvous ------------------------------------------------

TEST(ChannelTest, UnbufferedSendWaitsForReceiver) {
  channel<int> ch;
  std::atomic<bool> receive_called{false};
  std::atomic<bool> send_returned{false};
  std::thread sender([&] {
    ch.send(7);
    EXPECT_TRUE(receive_called.load());
    send_returned = true;
  });
  let_others_run();
  EXPECT_FALSE(send_returned.load());
  receive_called = true;
  EXPECT_EQ(ch.receive(), 7);
  sender.join();
  EXPECT_TRUE(send_returned.load());
}

TEST(ChannelTest, UnbufferedReceiveWaitsForSender) {
  channel<int> ch;
  std::atomic<bool> send_called{false};
  std::atomic<bool> receive_returned{false};
  std::thread receiver([&] {
    EXPECT_EQ(ch.receive(), 8);
    EXPECT_TRUE(send_called.load());
    receive_returned = true;
  });
  let_others_run();
  EXPECT_FALSE(receive_returned.load());
  send_called = true;
  ch.send(8);
  receiver.join();
}

// Many rendezvous in a row, both ways of meeting (sender first, receiver
// first): every send() returns only after the receive() that takes its value
// has been called.
TEST(ChannelTest, EveryUnbufferedSendPairsWithAStartedReceive) {
  constexpr int rounds = 2000;
  channel<int> ch;
  std::atomic<int> receives_started{0};
  std::thread receiver([&] {
    for (int i = 0; i < rounds; ++i) {
      if (i % 2 == 0)
        concheck_test::pause_for(200); // let the sender arrive first sometimes
      receives_started.fetch_add(1);
      EXPECT_EQ(ch.receive(), i);
    }
  });
  for (int i = 0; i < rounds; ++i) {
    ch.send(i);
    EXPECT_GE(receives_started.load(), i + 1);
  }
  receiver.join();
}

TEST(ChannelTest, UnbufferedTrySendNeedsAWaitingReceiver) {
  channel<std::unique_ptr<int>> ch;
  auto value = std::make_unique<int>(5);
  EXPECT_FALSE(ch.try_send(std::move(value)));
  ASSERT_NE(value, nullptr) << "a failed try_send moved from its argument";
  EXPECT_EQ(*value, 5);

  std::thread receiver([&] {
    std::optional<std::unique_ptr<int>> got = ch.receive();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(**got, 5);
  });
  // Succeeds once the receiver is blocked in receive(); keeps the value on
  // every failure before that.
  while (!ch.try_send(std::move(value))) {
    ASSERT_NE(value, nullptr);
    std::this_thread::yield();
  }
  EXPECT_EQ(value, nullptr);
  receiver.join();
}

TEST(ChannelTest, UnbufferedTryReceiveNeedsAWaitingSender) {
  channel<int> ch;
  EXPECT_EQ(ch.try_receive(), std::nullopt);
  std::thread sender([&] { ch.send(9); });
  std::optional<int> got;
  while (!(got = ch.try_receive()))
    std::this_thread::yield();
  EXPECT_EQ(got, 9);
  sender.join();
  EXPECT_EQ(ch.try_receive(), std::nullopt);
}

// --- Buffered ----------------------------------------------------------------

TEST(ChannelTest, BufferedSendDoesNotWaitUntilFull) {
  channel<int> ch(3);
  EXPECT_EQ(ch.capacity(), 3u);
  ch.send(1);
  ch.send(2);
  ch.send(3); // no receiver anywhere: would hang if send() waited
  EXPECT_EQ(ch.receive(), 1);
  EXPECT_EQ(ch.receive(), 2);
  EXPECT_EQ(ch.receive(), 3);
}

TEST(ChannelTest, BufferedKeepsFifoOrder) {
  constexpr int count = 5000;
  channel<int> ch(4);
  std::thread producer([&] {
    for (int i = 0; i < count; ++i)
      ch.send(i);
  });
  for (int i = 0; i < count; ++i)
    ASSERT_EQ(ch.receive(), i);
  producer.join();
}

TEST(ChannelTest, BufferedSendBlocksWhenFull) {
  channel<int> ch(2);
  ch.send(0);
  ch.send(1);
  std::atomic<bool> third_returned{false};
  std::thread sender([&] {
    ch.send(2);
    third_returned = true;
  });
  let_others_run();
  EXPECT_FALSE(third_returned.load());
  EXPECT_EQ(ch.receive(), 0); // frees the slot the blocked sender gets
  sender.join();
  EXPECT_TRUE(third_returned.load());
  EXPECT_EQ(ch.receive(), 1);
  EXPECT_EQ(ch.receive(), 2);
}

TEST(ChannelTest, TrySendOnFullKeepsTheValue) {
  channel<std::unique_ptr<int>> ch(1);
  EXPECT_TRUE(ch.try_send(std::make_unique<int>(1)));
  auto second = std::make_unique<int>(2);
  EXPECT_FALSE(ch.try_send(std::move(second)));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(*second, 2);
  EXPECT_EQ(**ch.try_receive(), 1);
  EXPECT_TRUE(ch.try_send(std::move(second)));
  EXPECT_EQ(second, nullptr);
  EXPECT_EQ(**ch.try_receive(), 2);
}

TEST(ChannelTest, TrySendCopiesAnLvalue) {
  channel<std::string> ch(1);
  const std::string word = "copied";
  EXPECT_TRUE(ch.try_send(word));
  EXPECT_EQ(word, "copied");
  EXPECT_FALSE(ch.try_send(word));
  EXPECT_EQ(ch.receive(), "copied");
}

TEST(ChannelTest, TryReceiveOnEmptyReturnsNothing) {
  channel<int> ch(2);
  EXPECT_EQ(ch.try_receive(), std::nullopt);
  ch.send(4);
  EXPECT_EQ(ch.try_receive(), 4);
  EXPECT_EQ(ch.try_receive(), std::nullopt);
}

// --- Buffered: the ring and the mutex path -----------------------------------

// Fills and drains by varying amounts so that head and tail go round the
// buffer many times, at every offset.
template <class T> void check_fifo_across_laps(std::size_t capacity) {
  channel<T> ch(capacity);
  std::int64_t next_in = 0;
  std::int64_t next_out = 0;
  for (std::size_t round = 0; round < 10 * (capacity + 1); ++round) {
    const std::size_t n = round % (capacity + 1);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_TRUE(ch.try_send(T(next_in++)));
    if (n == capacity) {
      ASSERT_FALSE(ch.try_send(T(-1))) << "a full buffer took one more";
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::optional<T> v = ch.try_receive();
      ASSERT_TRUE(v.has_value());
      ASSERT_EQ(value_of(*v), next_out++);
    }
    ASSERT_EQ(ch.try_receive(), std::nullopt);
  }
}

TEST(ChannelTest, BufferedKeepsFifoAcrossLaps) {
  for (std::size_t capacity : {1u, 2u, 3u, 7u, 8u, 16u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    check_fifo_across_laps<std::int64_t>(capacity);
    check_fifo_across_laps<may_throw>(capacity);
  }
}

TEST(ChannelTest, BufferedFifoAcrossThreadsOnTheMutexPath) {
  constexpr int count = 5000;
  channel<may_throw> ch(4);
  std::thread producer([&] {
    for (int i = 0; i < count; ++i)
      ch.send(may_throw(i));
  });
  for (int i = 0; i < count; ++i) {
    std::optional<may_throw> v = ch.receive();
    ASSERT_TRUE(v.has_value());
    ASSERT_EQ(v->v, i);
  }
  producer.join();
}

// Values still buffered when the channel is destroyed are destroyed with it,
// wherever they sit in the buffer (here: across the end of the ring).
TEST(ChannelTest, DestroyingABufferedChannelDestroysTheValuesInIt) {
  auto token = std::make_shared<int>(0);
  {
    channel<std::shared_ptr<int>> ch(4);
    for (int i = 0; i < 3; ++i)
      ch.send(token);
    EXPECT_NE(ch.receive(), std::nullopt);
    EXPECT_NE(ch.receive(), std::nullopt);
    for (int i = 0; i < 3; ++i)
      ch.send(token); // wraps around
    EXPECT_EQ(token.use_count(), 1 + 4);
  }
  EXPECT_EQ(token.use_count(), 1);
  {
    channel<std::unique_ptr<std::string>> ch(2);
    ch.send(std::make_unique<std::string>("left behind"));
    ch.close(); // still holds a value; ASan reports a leak if it is lost
  }
}

// A buffer too large to allocate up front is allocated as it fills.
TEST(ChannelTest, HugeCapacityAllocatesAsItFills) {
  channel<std::int64_t> ch(std::size_t{1} << 40); // 16 TiB as a ring
  EXPECT_EQ(ch.capacity(), std::size_t{1} << 40);
  for (std::int64_t i = 0; i < 1000; ++i)
    ch.send(i); // no receiver: would hang if it blocked
  ch.close();
  for (std::int64_t i = 0; i < 1000; ++i)
    EXPECT_EQ(ch.receive(), i);
  EXPECT_EQ(ch.receive(), std::nullopt);
}

template <class T> void check_stop_leaves_a_buffered_receive() {
  channel<T> ch(2);
  std::stop_source stop;
  std::optional<T> got = T(0);
  std::thread receiver([&] { got = ch.receive(stop.get_token()); });
  let_others_run();
  stop.request_stop();
  receiver.join();
  EXPECT_EQ(got, std::nullopt);
  // Whether or not it had blocked, the receiver is gone: a value sent now
  // stays in the buffer for the next receive.
  EXPECT_TRUE(ch.try_send(T(5)));
  std::optional<T> v = ch.try_receive();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(value_of(*v), 5);
}

TEST(ChannelTest, StopCancelsABlockedBufferedReceive) {
  check_stop_leaves_a_buffered_receive<std::int64_t>();
  check_stop_leaves_a_buffered_receive<may_throw>();
}

// try_send() does not slip a value past a sender blocked on a full buffer:
// the buffer is full whether or not that sender has blocked yet.
TEST(ChannelTest, TrySendDoesNotOvertakeABlockedSender) {
  channel<std::unique_ptr<int>> ch(1);
  ch.send(std::make_unique<int>(1));
  std::thread sender([&] { ch.send(std::make_unique<int>(2)); });
  let_others_run();
  auto third = std::make_unique<int>(3);
  EXPECT_FALSE(ch.try_send(std::move(third)));
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(**ch.receive(), 1);
  EXPECT_EQ(**ch.receive(), 2);
  sender.join();
  EXPECT_EQ(ch.try_receive(), std::nullopt);
}

// --- close -------------------------------------------------------------------

TEST(ChannelTest, CloseThenDrain) {
  channel<int> ch(3);
  ch.send(1);
  ch.send(2);
  ch.send(3);
  EXPECT_FALSE(ch.closed());
  ch.close();
  EXPECT_TRUE(ch.closed());
  EXPECT_EQ(ch.receive(), 1);
  EXPECT_EQ(ch.try_receive(), 2);
  EXPECT_EQ(ch.receive(), 3);
  EXPECT_EQ(ch.receive(), std::nullopt);
  EXPECT_EQ(ch.receive(), std::nullopt); // and every time after
  EXPECT_EQ(ch.try_receive(), std::nullopt);
}

TEST(ChannelTest, CloseWakesEveryBlockedReceiver) {
  channel<int> ch;
  std::atomic<int> woken{0};
  std::vector<std::thread> receivers;
  for (int i = 0; i < 3; ++i)
    receivers.emplace_back([&] {
      EXPECT_EQ(ch.receive(), std::nullopt);
      woken.fetch_add(1);
    });
  let_others_run();
  ch.close();
  for (auto &t : receivers)
    t.join();
  EXPECT_EQ(woken.load(), 3);
}

TEST(ChannelTest, CloseHappensBeforeReceiveOfClosed) {
  channel<int> ch;
  int written_before_close = 0; // plain: TSan checks the edge
  std::thread closer([&] {
    written_before_close = 42;
    ch.close();
  });
  EXPECT_EQ(ch.receive(), std::nullopt);
  EXPECT_EQ(written_before_close, 42);
  closer.join();
}

// --- Iteration ---------------------------------------------------------------

TEST(ChannelTest, RangeForReceivesUntilClosed) {
  channel<int> ch(8);
  std::thread producer([&] {
    for (int i = 1; i <= 100; ++i)
      ch.send(i);
    ch.close();
  });
  int sum = 0;
  int count = 0;
  for (auto v : ch) {
    sum += v;
    ++count;
  }
  producer.join();
  EXPECT_EQ(count, 100);
  EXPECT_EQ(sum, 5050);
}

TEST(ChannelTest, RangeForOnClosedEmptyChannelRunsNoIteration) {
  channel<int> ch;
  ch.close();
  int iterations = 0;
  for (auto v : ch) {
    (void)v;
    ++iterations;
  }
  EXPECT_EQ(iterations, 0);
  EXPECT_TRUE(ch.begin() == ch.end());
}

TEST(ChannelTest, RangeForMovesMoveOnlyValues) {
  channel<std::unique_ptr<int>> ch; // unbuffered: each value is a rendezvous
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i)
      ch.send(std::make_unique<int>(i));
    ch.close();
  });
  int expected = 0;
  for (auto p : ch) { // `auto` moves the value out of the iterator
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, expected++);
  }
  producer.join();
  EXPECT_EQ(expected, 10);
}

TEST(ChannelTest, SeveralLoopsShareOneChannel) {
  channel<int> ch(4);
  std::atomic<long> sum{0};
  std::atomic<int> count{0};
  std::vector<std::thread> consumers;
  for (int i = 0; i < 3; ++i)
    consumers.emplace_back([&] {
      for (auto &&v : ch) {
        sum.fetch_add(v);
        count.fetch_add(1);
      }
    });
  for (int i = 1; i <= 1000; ++i)
    ch.send(i);
  ch.close();
  for (auto &t : consumers)
    t.join();
  EXPECT_EQ(count.load(), 1000);
  EXPECT_EQ(sum.load(), 500500);
}

// --- stop_token --------------------------------------------------------------

TEST(ChannelTest, StopCancelsABlockedReceive) {
  channel<int> ch;
  std::stop_source stop;
  std::optional<int> got = 0;
  std::thread receiver([&] { got = ch.receive(stop.get_token()); });
  let_others_run();
  stop.request_stop();
  receiver.join();
  EXPECT_EQ(got, std::nullopt);
  EXPECT_FALSE(ch.closed());
  // The receiver left the queue: no one is waiting for a value any more.
  EXPECT_FALSE(ch.try_send(1));
}

TEST(ChannelTest, StopCancelsABlockedUnbufferedSend) {
  channel<std::unique_ptr<int>> ch;
  std::stop_source stop;
  std::atomic<int> sent{-1};
  std::thread sender([&] {
    sent = ch.send(std::make_unique<int>(1), stop.get_token()) ? 1 : 0;
  });
  let_others_run();
  stop.request_stop();
  sender.join();
  EXPECT_EQ(sent.load(), 0);
  // The sender left the queue with its value: nothing to take.
  EXPECT_EQ(ch.try_receive(), std::nullopt);
}

TEST(ChannelTest, StopCancelsASendBlockedOnAFullBuffer) {
  channel<int> ch(1);
  ch.send(1);
  std::stop_source stop;
  std::atomic<int> sent{-1};
  std::thread sender([&] { sent = ch.send(2, stop.get_token()) ? 1 : 0; });
  let_others_run();
  stop.request_stop();
  sender.join();
  EXPECT_EQ(sent.load(), 0);
  EXPECT_EQ(ch.try_receive(), 1);
  EXPECT_EQ(ch.try_receive(), std::nullopt);
}

TEST(ChannelTest, StopRequestedBeforehandReturnsAtOnce) {
  channel<int> ch(2);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(ch.send(1, stop.get_token())); // room, but stopped first
  EXPECT_EQ(ch.try_receive(), std::nullopt);
  ch.send(2);
  EXPECT_EQ(ch.receive(stop.get_token()), std::nullopt); // value left alone
  EXPECT_EQ(ch.try_receive(), 2);
}

TEST(ChannelTest, TokenWithoutStopSourceBlocksLikePlainCalls) {
  channel<int> ch;
  std::thread sender([&] { EXPECT_TRUE(ch.send(3, std::stop_token{})); });
  EXPECT_EQ(ch.receive(std::stop_token{}), 3);
  sender.join();
}

// Stop requested while a sender and a receiver meet: either both succeed
// with the same value or neither does. A value is never taken by a receiver
// whose caller then sees nullopt, nor reported unsent after it was taken.
TEST(ChannelTest, StopRacingWithARendezvousNeverLosesAValue) {
  concheck_test::watchdog dog("ChannelTest.StopRacingWithARendezvous", 10s);
  constexpr int rounds = 1000;
  int both = 0;
  int neither = 0;
  for (int round = 0; round < rounds; ++round) {
    channel<int> ch;
    std::stop_source stop;
    bool sent = false;
    std::thread sender([&] { sent = ch.send(round, stop.get_token()); });
    std::thread stopper([&] {
      concheck_test::pause_for(round % 13 * 100);
      stop.request_stop();
    });
    std::optional<int> got = ch.receive(stop.get_token());
    sender.join();
    stopper.join();
    ASSERT_EQ(sent, got.has_value()) << "round " << round;
    if (got) {
      EXPECT_EQ(*got, round);
      ++both;
    } else {
      ++neither;
    }
  }
  EXPECT_EQ(both + neither, rounds);
}

// --- Payloads and memory ordering --------------------------------------------

TEST(ChannelTest, MoveOnlyPayloads) {
  channel<std::unique_ptr<std::string>> unbuffered;
  channel<std::unique_ptr<std::string>> buffered(2);
  std::thread relay([&] {
    while (auto p = unbuffered.receive())
      buffered.send(std::move(*p));
    buffered.close();
  });
  unbuffered.send(std::make_unique<std::string>("one"));
  unbuffered.send(std::make_unique<std::string>("two"));
  unbuffered.close();
  std::vector<std::string> out;
  for (auto p : buffered)
    out.push_back(*p);
  relay.join();
  EXPECT_EQ(out, (std::vector<std::string>{"one", "two"}));
}

TEST(ChannelTest, SendHappensBeforeReceiveCompletes) {
  struct payload {
    int values[4];
  };
  channel<payload *> ch(1);
  payload p{};
  std::thread sender([&] {
    for (int i = 0; i < 4; ++i)
      p.values[i] = i + 1; // plain writes before send
    ch.send(&p);
  });
  payload *got = *ch.receive();
  EXPECT_EQ(got->values[0] + got->values[1] + got->values[2] + got->values[3],
            10);
  sender.join();
}

// A buffered channel of capacity C is a counting semaphore: the k-th receive
// happens-before the (k+C)-th send completes. With C = 1, send/receive
// around a critical section make it mutually exclusive; TSan checks the
// plain counter.
template <class T> void check_channel_as_semaphore() {
  channel<T> slots(1);
  long counter = 0; // plain
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        slots.send(T(0)); // take the slot
        ++counter;
        EXPECT_NE(slots.receive(), std::nullopt); // give it back
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(counter, 6000);
}

TEST(ChannelTest, BufferedChannelIsASemaphore) {
  check_channel_as_semaphore<std::int64_t>();
  check_channel_as_semaphore<may_throw>();
}

TEST(ChannelTest, UnbufferedReceiveHappensBeforeSendReturns) {
  channel<int> ch;
  int written_before_receive = 0; // plain: TSan checks the edge
  std::thread sender([&] {
    ch.send(1);
    EXPECT_EQ(written_before_receive, 7);
  });
  written_before_receive = 7;
  EXPECT_EQ(ch.receive(), 1);
  sender.join();
}

// --- Misuse ------------------------------------------------------------------

TEST(ChannelTest, SendOnClosedChannelIsMisuse) {
  EXPECT_DEATH(
      {
        channel<int> ch(1);
        ch.close();
        ch.send(1);
      },
      "concheck: misuse of channel: send on closed channel");
}

TEST(ChannelTest, TrySendOnClosedChannelIsMisuse) {
  EXPECT_DEATH(
      {
        channel<int> ch(1);
        ch.close();
        (void)ch.try_send(1);
      },
      "concheck: misuse of channel: send on closed channel");
}

TEST(ChannelTest, CancellableSendOnClosedChannelIsMisuse) {
  EXPECT_DEATH(
      {
        channel<int> ch;
        std::stop_source stop;
        ch.close();
        (void)ch.send(1, stop.get_token());
      },
      "concheck: misuse of channel: send on closed channel");
}

TEST(ChannelTest, ClosingUnderABlockedSenderIsMisuse) {
  // Whether the sender blocks before close() or arrives after it, it sends
  // on a closed channel.
  EXPECT_DEATH(
      {
        channel<int> ch;
        std::thread sender([&] { ch.send(1); });
        let_others_run();
        ch.close();
        sender.join();
      },
      "concheck: misuse of channel: send on closed channel");
}

TEST(ChannelTest, CloseOfClosedChannelIsMisuse) {
  EXPECT_DEATH(
      {
        channel<int> ch;
        ch.close();
        ch.close();
      },
      "concheck: misuse of channel: close of closed channel");
}

struct misuse_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void throwing_handler(const concheck::misuse_report &r) {
  throw misuse_error(std::string(r.primitive) + ": " + r.message);
}

// With a handler that throws, the blocked sender's send() throws, leaves
// nothing of itself in the channel, and the channel goes on working.
TEST(ChannelTest, MisuseThrownFromABlockedSendLeavesTheChannelUsable) {
  concheck::misuse_handler previous =
      concheck::set_misuse_handler(&throwing_handler);
  channel<std::unique_ptr<int>> ch(1);
  ch.send(std::make_unique<int>(1));
  std::string error;
  std::thread sender([&] {
    try {
      ch.send(std::make_unique<int>(2)); // blocks: the buffer is full
    } catch (const misuse_error &e) {
      error = e.what();
    }
  });
  let_others_run();
  ch.close();
  sender.join();
  concheck::set_misuse_handler(previous);
  EXPECT_EQ(error, "channel: send on closed channel");
  EXPECT_EQ(**ch.receive(), 1); // the buffered value survives
  EXPECT_EQ(ch.receive(), std::nullopt);
}

// --- Stress ------------------------------------------------------------------

// Several producers and consumers on one channel, for each kind of channel:
// every value is received exactly once.
template <class T> void mpmc_stress(std::size_t capacity) {
  constexpr int producers = 3;
  constexpr int consumers = 3;
  constexpr int per_producer = 20000;
  channel<T> ch(capacity);
  std::atomic<std::int64_t> sum{0};
  std::atomic<std::int64_t> count{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c)
    threads.emplace_back([&] {
      std::int64_t local_sum = 0;
      std::int64_t local_count = 0;
      for (auto &&v : ch) {
        local_sum += value_of(v);
        ++local_count;
      }
      sum.fetch_add(local_sum);
      count.fetch_add(local_count);
    });
  std::atomic<int> producers_left{producers};
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&, p] {
      for (int i = 1; i <= per_producer; ++i) {
        const std::int64_t v = std::int64_t{p} * per_producer + i;
        if (i % 3 == 0) {
          // Mix in try_send: keeps the value on failure, so retry.
          T value(v);
          while (!ch.try_send(std::move(value)))
            std::this_thread::yield();
        } else {
          ch.send(T(v));
        }
      }
      if (producers_left.fetch_sub(1) == 1)
        ch.close(); // the last producer closes
    });
  for (auto &t : threads)
    t.join();
  constexpr std::int64_t n = std::int64_t{producers} * per_producer;
  EXPECT_EQ(count.load(), n);
  EXPECT_EQ(sum.load(), n * (n + 1) / 2);
}

TEST(ChannelTest, MpmcStress) {
  concheck_test::watchdog dog("ChannelTest.MpmcStress", 20s);
  for (std::size_t capacity : {0u, 1u, 16u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    mpmc_stress<std::int64_t>(capacity);
  }
  for (std::size_t capacity : {1u, 16u}) {
    SCOPED_TRACE(testing::Message() << "mutex path, capacity " << capacity);
    mpmc_stress<may_throw>(capacity);
  }
}

// Round after round on small buffers, senders and receivers race with a stop
// request (some of their calls take the token) and, once the senders are
// done, with close(): receivers are then spinning on an empty buffer,
// registering, or asleep. Every value whose send() returned true is received
// exactly once; no other value is.
template <class T> void stop_and_close_stress(std::size_t capacity) {
  constexpr int rounds = 200;
  constexpr int senders = 2;
  constexpr int receivers = 2;
  constexpr int per_sender = 300;
  for (int round = 0; round < rounds; ++round) {
    channel<T> ch(capacity);
    std::stop_source stop;
    std::atomic<std::int64_t> sent_sum{0}, sent_count{0};
    std::atomic<std::int64_t> received_sum{0}, received_count{0};
    std::vector<std::thread> receiving;
    for (int r = 0; r < receivers; ++r)
      receiving.emplace_back([&, r] {
        const std::stop_token token = stop.get_token();
        for (int i = 0;; ++i) {
          const bool cancellable = (i + r) % 2 == 0 && !token.stop_requested();
          std::optional<T> v = cancellable ? ch.receive(token) : ch.receive();
          if (v) {
            received_sum.fetch_add(value_of(*v));
            received_count.fetch_add(1);
          } else if (!cancellable || !token.stop_requested()) {
            return; // closed and drained
          }
          if (i % 7 == 0)
            concheck_test::pause_for(
                200); // let the buffer fill up now and then
        }
      });
    std::vector<std::thread> sending;
    for (int s = 0; s < senders; ++s)
      sending.emplace_back([&, s] {
        const std::stop_token token = stop.get_token();
        for (int i = 1; i <= per_sender; ++i) {
          const std::int64_t v = std::int64_t{s} * per_sender + i;
          const bool sent =
              i % 3 == 0 ? ch.send(T(v), token) : (ch.send(T(v)), true);
          if (sent) {
            sent_sum.fetch_add(v);
            sent_count.fetch_add(1);
          }
        }
      });
    std::thread stopper([&] {
      concheck_test::pause_for(round % 50 * 100);
      stop.request_stop();
    });
    for (auto &t : sending)
      t.join();
    ch.close();
    for (auto &t : receiving)
      t.join();
    stopper.join();
    ASSERT_EQ(received_count.load(), sent_count.load()) << "round " << round;
    ASSERT_EQ(received_sum.load(), sent_sum.load()) << "round " << round;
    ASSERT_EQ(ch.try_receive(), std::nullopt);
  }
}

TEST(ChannelTest, StopAndCloseRacingWithBufferedTransfers) {
  concheck_test::watchdog dog("ChannelTest.StopAndCloseRacing", 60s);
  for (std::size_t capacity : {1u, 4u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    stop_and_close_stress<std::int64_t>(capacity);
    stop_and_close_stress<may_throw>(capacity);
  }
}

// close() racing with senders that spin on a full buffer or sleep in
// send(): with a misuse handler that throws, each send either returns (its
// value was accepted before the close, and is received) or throws (its value
// is never received). Receivers drain what was accepted, then see the close.
template <class T>
void close_racing_with_blocked_senders(std::size_t capacity) {
  constexpr int rounds = 200;
  constexpr int senders = 3;
  for (int round = 0; round < rounds; ++round) {
    channel<T> ch(capacity);
    std::atomic<std::int64_t> sent_sum{0}, sent_count{0};
    std::atomic<std::int64_t> received_sum{0}, received_count{0};
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s)
      threads.emplace_back([&, s] {
        for (std::int64_t i = 1;; ++i) {
          const std::int64_t v = std::int64_t{s} * 1'000'000 + i;
          try {
            ch.send(T(v));
          } catch (const misuse_error &) {
            return; // closed: this value and all later ones are not sent
          }
          sent_sum.fetch_add(v);
          sent_count.fetch_add(1);
        }
      });
    std::thread receiver([&] {
      for (auto &&v : ch) {
        received_sum.fetch_add(value_of(v));
        received_count.fetch_add(1);
        if (received_count.load() % 16 == 0)
          concheck_test::pause_for(200); // senders find the buffer full
      }
    });
    concheck_test::pause_for((20 + round % 200) * 100);
    ch.close();
    for (auto &t : threads)
      t.join();
    receiver.join();
    ASSERT_EQ(received_count.load(), sent_count.load()) << "round " << round;
    ASSERT_EQ(received_sum.load(), sent_sum.load()) << "round " << round;
  }
}

// close() racing with a send() to receivers that sleep on an empty buffer:
// a value accepted just before the close is received, never dropped by
// receivers that the close wakes (on the ring, such a value can still be on
// its way to them when the close comes).
template <class T>
void close_racing_with_a_send_to_sleepers(std::size_t capacity) {
  constexpr int rounds = 300;
  constexpr int receivers = 3;
  for (int round = 0; round < rounds; ++round) {
    channel<T> ch(capacity);
    std::atomic<int> received{0};
    std::vector<std::thread> threads;
    for (int r = 0; r < receivers; ++r)
      threads.emplace_back([&] {
        while (ch.receive())
          received.fetch_add(1);
      });
    std::this_thread::sleep_for(1ms); // the receivers are likely asleep
    std::atomic<bool> sending{false};
    std::atomic<int> sent{0};
    std::thread sender([&] {
      sending = true;
      for (int i = 0; i < 2; ++i) {
        try {
          ch.send(T(i));
        } catch (const misuse_error &) {
          return;
        }
        sent.fetch_add(1);
      }
    });
    while (!sending)
      ;
    for (std::atomic<int> i{0}; i < (round % 32) * 8; ++i)
      ; // vary which of close() and send() comes first
    ch.close();
    sender.join();
    for (auto &t : threads)
      t.join();
    ASSERT_EQ(received.load(), sent.load()) << "round " << round;
  }
}

TEST(ChannelTest, CloseRacingWithASendToSleepingReceiversKeepsTheValue) {
  concheck_test::watchdog dog("ChannelTest.CloseRacingWithASend", 60s);
  concheck::misuse_handler previous =
      concheck::set_misuse_handler(&throwing_handler);
  close_racing_with_a_send_to_sleepers<std::int64_t>(4);
  close_racing_with_a_send_to_sleepers<may_throw>(4);
  concheck::set_misuse_handler(previous);
}

TEST(ChannelTest, CloseRacingWithBlockedSendersKeepsEveryAcceptedValue) {
  concheck_test::watchdog dog("ChannelTest.CloseRacingWithBlockedSenders", 60s);
  concheck::misuse_handler previous =
      concheck::set_misuse_handler(&throwing_handler);
  for (std::size_t capacity : {1u, 4u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    close_racing_with_blocked_senders<std::int64_t>(capacity);
    close_racing_with_blocked_senders<may_throw>(capacity);
  }
  concheck::set_misuse_handler(previous);
}

} // namespace
