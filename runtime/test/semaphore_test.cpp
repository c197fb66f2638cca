// Tests for <concheck/semaphore.h>: the counting semaphore and its guard.
// No test asserts on timing: timed waits are checked only for returning false
// when no permit ever comes and true when one is released.
#include <concheck/semaphore.h>

#include <concheck/detail/tsan.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pause.h"
#include "watchdog.h"

namespace {

using namespace std::chrono_literals;

constexpr bool kTsan = concheck::detail::tsan_enabled;

// Takes every permit there is; returns how many.
std::ptrdiff_t drain(concheck::semaphore &sem) {
  std::ptrdiff_t n = 0;
  while (sem.try_acquire())
    ++n;
  return n;
}

struct misuse_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void throwing_handler(const concheck::misuse_report &r) {
  throw misuse_error(std::string(r.primitive) + ": " + r.message);
}

struct throwing_misuse_handler {
  concheck::misuse_handler previous =
      concheck::set_misuse_handler(&throwing_handler);
  ~throwing_misuse_handler() { concheck::set_misuse_handler(previous); }
};

// -----------------------------------------------------------------------------
// Counting

TEST(SemaphoreTest, StartsWithItsInitialPermits) {
  concheck::semaphore sem(3);
  EXPECT_EQ(drain(sem), 3);
  EXPECT_FALSE(sem.try_acquire());
}

TEST(SemaphoreTest, ReleaseAddsPermits) {
  concheck::semaphore sem(0);
  sem.release();
  sem.release(4);
  sem.release(0); // does nothing
  EXPECT_EQ(drain(sem), 5);
}

TEST(SemaphoreTest, MaxDefaultsToTheLimitAndIsClampedToIt) {
  EXPECT_EQ(concheck::semaphore(0).max(), concheck::semaphore::max_limit);
  EXPECT_EQ(concheck::semaphore(0, PTRDIFF_MAX).max(),
            concheck::semaphore::max_limit);
  EXPECT_EQ(concheck::semaphore(0, 7).max(), 7);
  EXPECT_EQ(concheck::semaphore::max_limit, (std::ptrdiff_t{1} << 40) - 1);
}

TEST(SemaphoreTest, CountsUpToTheMaximum) {
  concheck::semaphore sem(0, 3);
  sem.release(3);
  EXPECT_EQ(drain(sem), 3);
  concheck::semaphore big(concheck::semaphore::max_limit - 1);
  big.release(); // exactly at the limit: the count does not spill over
  EXPECT_TRUE(big.try_acquire());
}

// -----------------------------------------------------------------------------
// Misuse

TEST(SemaphoreTest, ReleaseBeyondTheMaximumIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::semaphore sem(1, 1);
        sem.release();
      },
      "concheck: misuse of semaphore: release beyond the maximum count");
}

TEST(SemaphoreTest, ReleaseBeyondTheLimitIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::semaphore sem(concheck::semaphore::max_limit);
        sem.release();
      },
      "concheck: misuse of semaphore: release beyond the maximum count");
}

TEST(SemaphoreTest, NegativeReleaseIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::semaphore sem(0);
        sem.release(-1);
      },
      "concheck: misuse of semaphore: negative counter");
}

TEST(SemaphoreTest, BadInitialCountsAreMisuse) {
  EXPECT_DEATH(concheck::semaphore(-1),
               "concheck: misuse of semaphore: negative counter");
  EXPECT_DEATH(concheck::semaphore(3, 2),
               "concheck: misuse of semaphore: release beyond the maximum "
               "count");
}

TEST(SemaphoreTest, OverflowLeavesTheCountUnchanged) {
  throwing_misuse_handler handler;
  concheck::semaphore sem(1, 2);
  EXPECT_THROW(sem.release(2), misuse_error);
  EXPECT_EQ(drain(sem), 1);
  sem.release(2); // still usable, and the maximum still 2
  EXPECT_EQ(drain(sem), 2);
}

// -----------------------------------------------------------------------------
// Blocking

TEST(SemaphoreTest, AcquireWaitsForARelease) {
  concheck_test::watchdog dog("SemaphoreTest.AcquireWaitsForARelease", 10s);
  concheck::semaphore sem(0);
  int payload = 0; // handed over by the semaphore: TSan checks the ordering
  std::thread consumer([&] {
    sem.acquire();
    EXPECT_EQ(payload, 42);
  });
  std::this_thread::sleep_for(5ms); // usually lets the consumer go to sleep
  payload = 42;
  sem.release();
  consumer.join();
  EXPECT_FALSE(sem.try_acquire());
}

TEST(SemaphoreTest, ReleaseOfManyWakesAsManyWaiters) {
  concheck_test::watchdog dog("SemaphoreTest.ReleaseOfManyWakesAsManyWaiters",
                              10s);
  concheck::semaphore sem(0);
  constexpr int waiters = 8;
  std::vector<std::thread> threads;
  for (int i = 0; i < waiters; ++i)
    threads.emplace_back([&] { sem.acquire(); });
  std::this_thread::sleep_for(5ms);
  sem.release(waiters);
  for (std::thread &t : threads)
    t.join();
  EXPECT_FALSE(sem.try_acquire());
}

TEST(SemaphoreTest, GuardHoldsAPermitForItsScope) {
  concheck::semaphore sem(1);
  {
    concheck::semaphore_guard slot(sem);
    EXPECT_FALSE(sem.try_acquire());
  }
  ASSERT_TRUE(sem.try_acquire_for(1ms));
  { concheck::semaphore_guard adopted(sem, std::adopt_lock); }
  EXPECT_EQ(drain(sem), 1);
}

TEST(SemaphoreTest, GuardBoundsConcurrency) {
  concheck_test::watchdog dog("SemaphoreTest.GuardBoundsConcurrency", 10s);
  constexpr int limit = 2;
  concheck::semaphore slots(limit);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < (kTsan ? 200 : 2000); ++i) {
        concheck::semaphore_guard slot(slots);
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --inside;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_LE(most.load(), limit);
  EXPECT_EQ(drain(slots), limit);
}

// -----------------------------------------------------------------------------
// Timed waits

TEST(SemaphoreTest, TryAcquireForFailsWhenNoPermitComes) {
  concheck::semaphore sem(0);
  EXPECT_FALSE(sem.try_acquire_for(10ms));
  EXPECT_FALSE(sem.try_acquire_for(0ms));
  EXPECT_FALSE(sem.try_acquire_for(-5ms));
  EXPECT_FALSE(sem.try_acquire_for(std::chrono::duration<double>(0.002)));
}

TEST(SemaphoreTest, TryAcquireForSucceedsWhenAPermitIsReleased) {
  concheck_test::watchdog dog(
      "SemaphoreTest.TryAcquireForSucceedsWhenAPermitIsReleased", 30s);
  concheck::semaphore sem(0);
  int payload = 0;
  std::thread releaser([&] {
    std::this_thread::sleep_for(5ms);
    payload = 7;
    sem.release();
  });
  EXPECT_TRUE(sem.try_acquire_for(20s)); // returns as soon as it is released
  EXPECT_EQ(payload, 7);
  releaser.join();
}

TEST(SemaphoreTest, TryAcquireForTakesAnAvailablePermitAtOnce) {
  concheck::semaphore sem(1);
  EXPECT_TRUE(sem.try_acquire_for(0ms));
  sem.release();
  EXPECT_TRUE(sem.try_acquire_until(std::chrono::steady_clock::now() - 1h));
}

TEST(SemaphoreTest, TryAcquireUntilAPastDeadlineOnlyTries) {
  concheck::semaphore sem(0);
  EXPECT_FALSE(sem.try_acquire_until(std::chrono::steady_clock::now() - 1s));
  EXPECT_FALSE(sem.try_acquire_until(std::chrono::system_clock::now()));
  EXPECT_FALSE(
      sem.try_acquire_until(std::chrono::steady_clock::time_point::min()));
}

TEST(SemaphoreTest, TryAcquireUntilOnTheSystemClockSucceeds) {
  concheck_test::watchdog dog(
      "SemaphoreTest.TryAcquireUntilOnTheSystemClockSucceeds", 30s);
  concheck::semaphore sem(0);
  std::thread releaser([&] {
    std::this_thread::sleep_for(5ms);
    sem.release();
  });
  EXPECT_TRUE(sem.try_acquire_until(std::chrono::system_clock::now() + 20s));
  releaser.join();
}

TEST(SemaphoreTest, EndlessTimeoutsWaitWithoutADeadline) {
  concheck_test::watchdog dog(
      "SemaphoreTest.EndlessTimeoutsWaitWithoutADeadline", 30s);
  concheck::semaphore sem(0);
  std::thread releaser([&] {
    std::this_thread::sleep_for(5ms);
    sem.release(2);
  });
  // Neither overflows converting to the steady clock's nanoseconds.
  EXPECT_TRUE(sem.try_acquire_for(std::chrono::hours::max()));
  EXPECT_TRUE(
      sem.try_acquire_until(std::chrono::system_clock::time_point::max()));
  releaser.join();
}

TEST(SemaphoreTest, TimedAndUntimedWaitersAreAllWoken) {
  concheck_test::watchdog dog(
      "SemaphoreTest.TimedAndUntimedWaitersAreAllWoken", 30s);
  concheck::semaphore sem(0);
  std::atomic<int> timed_ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { sem.acquire(); });
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      if (sem.try_acquire_for(20s))
        ++timed_ok;
    });
  std::this_thread::sleep_for(5ms);
  for (int i = 0; i < 8; ++i)
    sem.release(); // one at a time: notify_one for the sleepers
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(timed_ok.load(), 4);
  EXPECT_FALSE(sem.try_acquire());
}

// -----------------------------------------------------------------------------
// Stress: lost wake-ups show up as a hang (the watchdog fails the test) or as
// a wrong final count.

TEST(SemaphoreTest, PingPongNeverLosesAWakeUp) {
  // 200,000 round trips, each usually two sleeps and two wake-ups: 7-10 s
  // on an idle 2-core machine, under ASan too. The watchdog is for a lost
  // wake-up (a hang), so it is generous.
  concheck_test::watchdog dog("SemaphoreTest.PingPongNeverLosesAWakeUp", 60s);
  // Each side sleeps on its semaphore with no permit around: the pattern
  // where a lost wake-up hangs at once.
  concheck::semaphore ping(0), pong(0);
  const int rounds = kTsan ? 20000 : 200000;
  long hits = 0; // ordered by the semaphores alone
  std::thread other([&] {
    for (int i = 0; i < rounds; ++i) {
      ping.acquire();
      ++hits;
      pong.release();
    }
  });
  for (int i = 0; i < rounds; ++i) {
    ping.release();
    pong.acquire();
    ++hits;
  }
  other.join();
  EXPECT_EQ(hits, 2L * rounds);
  EXPECT_FALSE(ping.try_acquire());
  EXPECT_FALSE(pong.try_acquire());
}

TEST(SemaphoreTest, TimedPingPongNeverLosesAWakeUp) {
  concheck_test::watchdog dog("SemaphoreTest.TimedPingPongNeverLosesAWakeUp",
                              10s);
  // As above through the condition-variable path: each wait's timeout is far
  // beyond the watchdog's limit, so a lost wake-up fails the test.
  concheck::semaphore ping(0), pong(0);
  const int rounds = kTsan ? 5000 : 50000;
  long hits = 0;
  std::thread other([&] {
    for (int i = 0; i < rounds; ++i) {
      if (!ping.try_acquire_for(60s))
        return;
      ++hits;
      pong.release();
    }
  });
  for (int i = 0; i < rounds; ++i) {
    ping.release();
    ASSERT_TRUE(pong.try_acquire_until(std::chrono::steady_clock::now() + 60s));
    ++hits;
  }
  other.join();
  EXPECT_EQ(hits, 2L * rounds);
}

TEST(SemaphoreTest, ManyProducersAndConsumersBalance) {
  concheck_test::watchdog dog("SemaphoreTest.ManyProducersAndConsumersBalance",
                              10s);
  concheck::semaphore sem(0);
  constexpr int consumers = 6;
  constexpr int producers = 3;
  const int per_consumer = kTsan ? 5000 : 50000;
  const long total = long{consumers} * per_consumer;
  std::atomic<long> to_produce{total};
  std::atomic<long> consumed{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c)
    threads.emplace_back([&, c] {
      for (int i = 0; i < per_consumer; ++i) {
        // Mix the ways in: plain acquire, a spin on try_acquire, and a timed
        // wait that falls back to acquire.
        switch ((i + c) % 3) {
        case 0:
          sem.acquire();
          break;
        case 1:
          if (!sem.try_acquire())
            sem.acquire();
          break;
        default:
          if (!sem.try_acquire_for(1ms))
            sem.acquire();
          break;
        }
        ++consumed;
      }
    });
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&, p] {
      std::mt19937 rng(static_cast<unsigned>(p) + 1);
      for (;;) {
        // Release in batches of 1..4 (notify_one and notify_all paths).
        long batch = static_cast<long>(rng() % 4) + 1;
        long left = to_produce.load();
        do {
          if (left == 0)
            return;
          batch = std::min(batch, left);
        } while (!to_produce.compare_exchange_weak(left, left - batch));
        sem.release(batch);
        if (rng() % 8 == 0)
          concheck_test::pause_for(200);
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(consumed.load(), total);
  EXPECT_FALSE(sem.try_acquire()); // every permit released was taken
}

TEST(SemaphoreTest, DestroyingRightAfterAcquireIsSafe) {
  concheck_test::watchdog dog("SemaphoreTest.DestroyingRightAfterAcquireIsSafe",
                              10s);
  // The completion-signal pattern: the waiter frees the semaphore as soon as
  // acquire() returns, while release() may still be waking it. AddressSanitizer
  // reports a use after free if release() touches the object after that.
  const int rounds = kTsan ? 1000 : 5000;
  for (int i = 0; i < rounds; ++i) {
    auto *done = new concheck::semaphore(0);
    std::thread worker([done] { done->release(); });
    if (i % 2 == 0)
      done->acquire();
    else
      ASSERT_TRUE(done->try_acquire_for(10s));
    delete done;
    worker.join();
  }
}

} // namespace
