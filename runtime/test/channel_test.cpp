// Tests for <concheck/channel.h>: Go's channels.
//
// No test asserts on timing. Where a test wants a thread to be blocked
// before it acts, it pauses (let_others_run) and then checks only what must
// hold whether or not the other thread got that far; the pause just makes a
// bug likely to show. The happens-before tests hand plain (non-atomic) data
// across threads: under ThreadSanitizer a missing edge is a reported race.
#include <concheck/channel.h>

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
        std::this_thread::yield(); // let the sender arrive first sometimes
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
      for (int i = 0; i < round % 13; ++i)
        std::this_thread::yield();
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
TEST(ChannelTest, MpmcStress) {
  concheck_test::watchdog dog("ChannelTest.MpmcStress", 10s);
  constexpr int producers = 3;
  constexpr int consumers = 3;
  constexpr int per_producer = 20000;
  for (std::size_t capacity : {0u, 1u, 16u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    channel<std::int64_t> ch(capacity);
    std::atomic<std::int64_t> sum{0};
    std::atomic<std::int64_t> count{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < consumers; ++c)
      threads.emplace_back([&] {
        std::int64_t local_sum = 0;
        std::int64_t local_count = 0;
        for (std::int64_t v : ch) {
          local_sum += v;
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
            while (!ch.try_send(std::int64_t{v}))
              std::this_thread::yield();
          } else {
            ch.send(v);
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
}

} // namespace
