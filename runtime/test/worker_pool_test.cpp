// Tests for <concheck/worker_pool.h>: bounded workers over a bounded queue.
//
// As in channel_test.cpp, no test asserts on timing: a pause before a check
// only gives a bug the chance to show, and every check holds whatever the
// scheduler did.
#include <concheck/worker_pool.h>

#include "watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using concheck::worker_pool;

void let_others_run() { std::this_thread::sleep_for(20ms); }

// Holds tasks until opened.
class gate {
public:
  void open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

void wait_for(const std::atomic<bool> &flag) {
  while (!flag.load())
    std::this_thread::yield();
}

// --- Results -----------------------------------------------------------------

TEST(WorkerPoolTest, FuturesReturnValues) {
  worker_pool pool(3, 4);
  std::vector<std::future<int>> results;
  for (int i = 0; i < 20; ++i)
    results.push_back(pool.submit([i] { return i * i; }));
  int sum = 0;
  for (auto &r : results)
    sum += r.get();
  EXPECT_EQ(sum, 2470);
}

TEST(WorkerPoolTest, VoidTasksRun) {
  worker_pool pool(2, 2);
  std::atomic<int> ran{0};
  std::vector<std::future<void>> done;
  for (int i = 0; i < 10; ++i)
    done.push_back(pool.submit([&ran] { ran.fetch_add(1); }));
  for (auto &d : done)
    d.get();
  EXPECT_EQ(ran.load(), 10);
}

TEST(WorkerPoolTest, ExceptionsPropagateThroughFutures) {
  worker_pool pool(1, 1);
  std::future<int> failed =
      pool.submit([]() -> int { throw std::runtime_error("boom"); });
  // Let the worker drop its promise before we catch: otherwise it may free
  // the exception after our catch reads it, ordered only by the reference
  // count libstdc++ keeps inside the uninstrumented libstdc++.so, which
  // ThreadSanitizer cannot see (a false positive, not a race).
  pool.wait_idle();
  try {
    failed.get();
    FAIL() << "get() did not rethrow";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  // The worker survived the exception.
  EXPECT_EQ(pool.submit([] { return 5; }).get(), 5);
}

TEST(WorkerPoolTest, MoveOnlyTasksAndResults) {
  worker_pool pool(2, 2);
  auto input = std::make_unique<int>(20);
  std::future<std::unique_ptr<int>> result =
      pool.submit([p = std::move(input)]() mutable {
        *p += 1;
        return std::move(p);
      });
  EXPECT_EQ(*result.get(), 21);
}

TEST(WorkerPoolTest, ReferenceResults) {
  worker_pool pool(1, 1);
  int target = 0;
  std::future<int &> ref = pool.submit([&target]() -> int & { return target; });
  EXPECT_EQ(&ref.get(), &target);
}

TEST(WorkerPoolTest, CapturesAreDestroyedBeforeTheFutureIsReady) {
  worker_pool pool(1, 1);
  auto shared = std::make_shared<int>(1);
  std::future<int> result = pool.submit([copy = shared] { return *copy; });
  EXPECT_EQ(result.get(), 1);
  EXPECT_EQ(shared.use_count(), 1); // the task's copy is gone
}

// --- Backpressure ------------------------------------------------------------

TEST(WorkerPoolTest, SubmitBlocksWhenTheQueueIsFull) {
  worker_pool pool(1, 1);
  gate release;
  std::atomic<bool> first_started{false};
  std::future<void> first = pool.submit([&] {
    first_started = true;
    release.wait();
  });
  wait_for(first_started); // the only worker is busy now
  std::future<void> second = pool.submit([] {}); // fills the queue
  std::atomic<bool> third_submitted{false};
  std::future<void> third;
  std::thread submitter([&] {
    third = pool.submit([] {});
    third_submitted = true;
  });
  let_others_run();
  EXPECT_FALSE(third_submitted.load()) << "submit() ignored a full queue";
  release.open(); // the worker finishes, takes `second`: room for `third`
  submitter.join();
  EXPECT_TRUE(third_submitted.load());
  first.get();
  second.get();
  third.get();
}

TEST(WorkerPoolTest, ZeroCapacityHandsOffToAnIdleWorker) {
  worker_pool pool(1, 0);
  gate release;
  std::atomic<bool> first_started{false};
  std::future<void> first = pool.submit([&] { // waits for the idle worker
    first_started = true;
    release.wait();
  });
  wait_for(first_started);
  std::atomic<bool> second_submitted{false};
  std::future<void> second;
  std::thread submitter([&] {
    second = pool.submit([] {});
    second_submitted = true;
  });
  let_others_run();
  EXPECT_FALSE(second_submitted.load()) << "no worker was idle";
  release.open();
  submitter.join();
  EXPECT_TRUE(second_submitted.load());
  first.get();
  second.get();
}

// --- Waiting and shutdown ----------------------------------------------------

TEST(WorkerPoolTest, WaitIdleWaitsForEveryTask) {
  worker_pool pool(3, 2);
  std::vector<int> results(50, 0); // plain ints: TSan checks the edges
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 25; ++i) {
      const int slot = round * 25 + i;
      pool.submit([&results, slot] { results[slot] = slot + 1; });
    }
    pool.wait_idle(); // the pool stays usable afterwards
    for (int i = 0; i < 25; ++i)
      EXPECT_EQ(results[round * 25 + i], round * 25 + i + 1);
  }
}

TEST(WorkerPoolTest, WaitIdleOnAnIdlePoolReturns) {
  worker_pool pool(2, 1);
  pool.wait_idle();
  pool.wait_idle();
}

TEST(WorkerPoolTest, DestructorRunsEverySubmittedTask) {
  std::atomic<int> ran{0};
  {
    worker_pool pool(2, 64);
    for (int i = 0; i < 64; ++i)
      pool.submit([&ran] { // future discarded: the task still runs
        std::this_thread::yield();
        ran.fetch_add(1);
      });
  }
  EXPECT_EQ(ran.load(), 64);
}

TEST(WorkerPoolTest, CloseThenJoinRunsTheQueuedTasks) {
  worker_pool pool(1, 8);
  gate release;
  std::atomic<bool> first_started{false};
  std::atomic<int> ran{0};
  pool.submit([&] {
    first_started = true;
    release.wait();
    ran.fetch_add(1);
  });
  wait_for(first_started);
  for (int i = 0; i < 5; ++i)
    pool.submit([&ran] { ran.fetch_add(1); });
  pool.close();
  pool.close(); // idempotent
  release.open();
  pool.join();
  EXPECT_EQ(ran.load(), 6);
  pool.join(); // idempotent; the destructor joins again
}

TEST(WorkerPoolTest, ZeroWorkersIsRejected) {
  EXPECT_THROW(worker_pool(0, 1), std::invalid_argument);
}

// --- Tasks using pools -------------------------------------------------------

TEST(WorkerPoolTest, SubmitFromOwnTaskWithRoomWorks) {
  worker_pool pool(2, 4);
  std::future<std::future<int>> outer =
      pool.submit([&pool] { return pool.submit([] { return 3; }); });
  EXPECT_EQ(outer.get().get(), 3);
}

// A task blocked in submit() on its own full queue is not reported while
// another worker can still make room.
TEST(WorkerPoolTest, TaskBlockedInSubmitIsReleasedByAnotherWorker) {
  worker_pool pool(2, 1);
  gate release;
  std::atomic<bool> first_started{false};
  std::atomic<bool> queue_filled{false};
  std::atomic<bool> last_submitted{false};
  std::future<void> first = pool.submit([&] {
    first_started = true;
    release.wait();
  });
  wait_for(first_started);
  std::future<void> second = pool.submit([&] { // runs on the other worker
    pool.submit([] {}); // fills the queue
    queue_filled = true;
    pool.submit([] {}); // blocks until `first` ends and its worker takes one
    last_submitted = true;
  });
  wait_for(queue_filled);
  let_others_run();
  EXPECT_FALSE(last_submitted.load());
  release.open();
  second.get();
  EXPECT_TRUE(last_submitted.load());
  first.get();
  pool.wait_idle();
}

TEST(WorkerPoolTest, WaitingOnAnotherPoolFromATaskIsFine) {
  worker_pool outer(1, 1);
  worker_pool inner(2, 2);
  std::atomic<int> ran{0};
  outer
      .submit([&] {
        for (int i = 0; i < 4; ++i)
          inner.submit([&ran] { ran.fetch_add(1); });
        inner.wait_idle();
      })
      .get();
  EXPECT_EQ(ran.load(), 4);
}

// --- Misuse ------------------------------------------------------------------

TEST(WorkerPoolTest, SubmitAfterCloseIsMisuse) {
  EXPECT_DEATH(
      {
        worker_pool pool(1, 1);
        pool.close();
        pool.submit([] {});
      },
      "concheck: misuse of worker_pool: submit after close");
}

TEST(WorkerPoolTest, ClosingUnderABlockedSubmitterIsMisuse) {
  EXPECT_DEATH(
      {
        worker_pool pool(1, 1);
        gate release;
        std::atomic<bool> first_started{false};
        pool.submit([&] {
          first_started = true;
          release.wait();
        });
        wait_for(first_started);
        pool.submit([] {}); // fills the queue
        std::thread submitter([&] { pool.submit([] {}); }); // blocks
        let_others_run();
        pool.close();
        submitter.join();
      },
      "concheck: misuse of worker_pool: submit after close");
}

TEST(WorkerPoolTest, WaitIdleFromOwnTaskIsMisuse) {
  EXPECT_DEATH(
      {
        worker_pool pool(2, 2);
        pool.submit([&pool] { pool.wait_idle(); }).get();
      },
      "concheck: misuse of worker_pool: waited on from one of its own tasks");
}

TEST(WorkerPoolTest, JoinFromOwnTaskIsMisuse) {
  EXPECT_DEATH(
      {
        worker_pool pool(2, 2);
        pool.submit([&pool] { pool.join(); }).get();
      },
      "concheck: misuse of worker_pool: waited on from one of its own tasks");
}

TEST(WorkerPoolTest, DestroyingFromOwnTaskIsMisuse) {
  EXPECT_DEATH(
      {
        auto pool = std::make_unique<worker_pool>(1, 1);
        worker_pool *raw = pool.get();
        raw->submit([&pool] { pool.reset(); }).get();
      },
      "concheck: misuse of worker_pool: waited on from one of its own tasks");
}

TEST(WorkerPoolTest, SubmitFromOwnTaskOnAFullQueueIsMisuse) {
  // One worker, and its task waits for room only that worker could make.
  EXPECT_DEATH(
      {
        worker_pool pool(1, 1);
        pool.submit([&pool] {
              pool.submit([] {}); // fills the queue
              pool.submit([] {}); // would wait forever
            })
            .get();
      },
      "concheck: misuse of worker_pool: waited on from one of its own tasks");
}

// --- Stress ------------------------------------------------------------------

TEST(WorkerPoolTest, Stress) {
  concheck_test::watchdog dog("WorkerPoolTest.Stress", 10s);
  constexpr int submitters = 4;
  constexpr int per_submitter = 10000;
  worker_pool pool(4, 8);
  std::atomic<long> sum{0};
  std::vector<std::thread> threads;
  std::vector<long> checked(submitters, 0);
  for (int s = 0; s < submitters; ++s)
    threads.emplace_back([&, s] {
      std::vector<std::future<long>> some;
      for (int i = 1; i <= per_submitter; ++i) {
        const long v = long{s} * per_submitter + i;
        if (i % 10 == 0) {
          some.push_back(pool.submit([&sum, v] {
            sum.fetch_add(v);
            return v;
          }));
        } else {
          pool.submit([&sum, v] { sum.fetch_add(v); });
        }
      }
      for (auto &f : some)
        checked[s] += f.get();
    });
  for (auto &t : threads)
    t.join();
  pool.wait_idle();
  constexpr long n = long{submitters} * per_submitter;
  EXPECT_EQ(sum.load(), n * (n + 1) / 2);
  for (int s = 0; s < submitters; ++s) {
    long expected = 0;
    for (int i = 10; i <= per_submitter; i += 10)
      expected += long{s} * per_submitter + i;
    EXPECT_EQ(checked[s], expected);
  }
}

} // namespace
