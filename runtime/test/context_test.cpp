// Tests for <concheck/context.h>: Go's context on std::stop_token.
#include <concheck/context.h>
#include <concheck/detail/tsan.h>

#include "watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using concheck::cancel_reason;
using concheck::context;

// Generous bound for "eventually": no test asserts a tight upper bound on
// timing, only that a timer fires at all.
constexpr auto watchdog = 10s;

TEST(ContextTest, BackgroundIsNeverCancelled) {
  const context bg = context::background();
  EXPECT_FALSE(bg.cancelled());
  EXPECT_EQ(bg.reason(), cancel_reason::none);
  EXPECT_FALSE(bg.deadline().has_value());
  EXPECT_FALSE(bg.stop_token().stop_possible());
  EXPECT_FALSE(bg.wait_for(5ms));
  EXPECT_FALSE(bg.wait_until(std::chrono::system_clock::now() + 1ms));
}

TEST(ContextTest, DefaultConstructedIsBackground) {
  const context ctx;
  EXPECT_FALSE(ctx.cancelled());
  EXPECT_FALSE(ctx.deadline().has_value());
  EXPECT_FALSE(ctx.stop_token().stop_possible());
}

TEST(ContextTest, CancelCancelsTheContext) {
  auto [ctx, cancel] = concheck::with_cancel(context::background());
  EXPECT_FALSE(ctx.cancelled());
  EXPECT_EQ(ctx.reason(), cancel_reason::none);
  EXPECT_TRUE(ctx.stop_token().stop_possible());
  EXPECT_FALSE(ctx.stop_token().stop_requested());
  EXPECT_FALSE(ctx.deadline().has_value());

  cancel();
  EXPECT_TRUE(ctx.cancelled());
  EXPECT_EQ(ctx.reason(), cancel_reason::cancelled);
  EXPECT_TRUE(ctx.stop_token().stop_requested());
  EXPECT_TRUE(ctx.wait_for(0ms));
  ctx.wait(); // returns at once
}

TEST(ContextTest, CopiesShareTheState) {
  auto [ctx, cancel] = concheck::with_cancel(context::background());
  const context copy = ctx;
  const concheck::cancel_func cancel_copy = cancel;
  cancel_copy();
  EXPECT_TRUE(ctx.cancelled());
  EXPECT_TRUE(copy.cancelled());
}

TEST(ContextTest, DefaultCancelFuncDoesNothing) {
  const concheck::cancel_func cancel;
  cancel(); // no context: nothing to do, no crash
}

TEST(ContextTest, CancelPropagatesToChildren) {
  auto [root, cancel_root] = concheck::with_cancel(context::background());
  auto [a, cancel_a] = concheck::with_cancel(root);
  auto [b, cancel_b] = concheck::with_cancel(root);
  auto [a1, cancel_a1] = concheck::with_cancel(a);
  auto [a2, cancel_a2] = concheck::with_timeout(a, 1h);
  auto [b1, cancel_b1] = concheck::with_cancel(b);
  auto [b1x, cancel_b1x] = concheck::with_cancel(b1);

  cancel_root();
  for (const context *ctx : {&root, &a, &b, &a1, &a2, &b1, &b1x}) {
    EXPECT_TRUE(ctx->cancelled());
    EXPECT_EQ(ctx->reason(), cancel_reason::cancelled);
  }
}

TEST(ContextTest, CancelDoesNotPropagateUpward) {
  auto [root, cancel_root] = concheck::with_cancel(context::background());
  auto [a, cancel_a] = concheck::with_cancel(root);
  auto [b, cancel_b] = concheck::with_cancel(root);
  auto [a1, cancel_a1] = concheck::with_cancel(a);
  auto [a2, cancel_a2] = concheck::with_cancel(a);
  auto [a11, cancel_a11] = concheck::with_cancel(a1);

  cancel_a();
  EXPECT_TRUE(a.cancelled());
  EXPECT_TRUE(a1.cancelled());
  EXPECT_TRUE(a2.cancelled());
  EXPECT_TRUE(a11.cancelled());
  EXPECT_FALSE(root.cancelled());
  EXPECT_FALSE(b.cancelled());

  cancel_a11(); // a leaf: nothing above it moves
  EXPECT_FALSE(root.cancelled());
  EXPECT_FALSE(b.cancelled());
}

TEST(ContextTest, ChildOfCancelledParentIsBornCancelled) {
  auto [parent, cancel] = concheck::with_cancel(context::background());
  cancel();
  auto [child, cancel_child] = concheck::with_cancel(parent);
  EXPECT_TRUE(child.cancelled());
  EXPECT_EQ(child.reason(), cancel_reason::cancelled);
  auto [timed, cancel_timed] = concheck::with_timeout(parent, 1h);
  EXPECT_TRUE(timed.cancelled());
  EXPECT_EQ(timed.reason(), cancel_reason::cancelled);
}

TEST(ContextTest, CancellingTwiceIsHarmless) {
  auto [ctx, cancel] = concheck::with_cancel(context::background());
  auto [child, cancel_child] = concheck::with_cancel(ctx);
  cancel();
  cancel();
  cancel_child();
  EXPECT_EQ(ctx.reason(), cancel_reason::cancelled);
  EXPECT_EQ(child.reason(), cancel_reason::cancelled);
}

TEST(ContextTest, DroppedChildrenDoNotBreakTheParent) {
  auto [parent, cancel] = concheck::with_cancel(context::background());
  for (int i = 0; i < 1000; ++i) {
    auto [child, cancel_child] = concheck::with_cancel(parent);
    if (i % 2 == 0)
      cancel_child();
  } // every child unlinks itself here
  auto [survivor, cancel_survivor] = concheck::with_cancel(parent);
  cancel();
  EXPECT_TRUE(survivor.cancelled());
}

TEST(ContextTest, CancelFuncKeepsTheContextAlive) {
  concheck::cancel_func cancel;
  std::stop_token token;
  {
    auto made = concheck::with_cancel(context::background());
    cancel = made.cancel;
    token = made.ctx.stop_token();
  }
  cancel(); // the context is only reachable through `cancel` and `token`
  EXPECT_TRUE(token.stop_requested());
}

TEST(ContextTest, ReasonIsDeadlineExceededWhenTheDeadlineFires) {
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 20ms);
  ASSERT_TRUE(ctx.wait_for(watchdog));
  EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
  cancel(); // too late: the first reason stays
  EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, FirstReasonWins) {
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 20ms);
  cancel();
  EXPECT_EQ(ctx.reason(), cancel_reason::cancelled);
  // Well past the deadline: the timer must not overwrite the reason (it was
  // disarmed by the cancel).
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(ctx.reason(), cancel_reason::cancelled);
}

TEST(ContextTest, ChildInheritsTheParentsReason) {
  auto [parent, cancel_parent] =
      concheck::with_timeout(context::background(), 20ms);
  auto [child, cancel_child] = concheck::with_cancel(parent);
  auto [grandchild, cancel_gc] = concheck::with_cancel(child);
  ASSERT_TRUE(grandchild.wait_for(watchdog));
  EXPECT_EQ(parent.reason(), cancel_reason::deadline_exceeded);
  EXPECT_EQ(child.reason(), cancel_reason::deadline_exceeded);
  EXPECT_EQ(grandchild.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, ChildCancelledFirstKeepsItsOwnReason) {
  auto [parent, cancel_parent] =
      concheck::with_timeout(context::background(), 20ms);
  auto [child, cancel_child] = concheck::with_cancel(parent);
  cancel_child();
  ASSERT_TRUE(parent.wait_for(watchdog));
  EXPECT_EQ(parent.reason(), cancel_reason::deadline_exceeded);
  EXPECT_EQ(child.reason(), cancel_reason::cancelled);
}

TEST(ContextTest, DeadlineInThePastCancelsAtOnce) {
  const auto past = context::clock::now() - 1s;
  auto [ctx, cancel] = concheck::with_deadline(context::background(), past);
  EXPECT_TRUE(ctx.cancelled());
  EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
  ASSERT_TRUE(ctx.deadline().has_value());
  EXPECT_EQ(*ctx.deadline(), past);

  auto [zero, cancel_zero] = concheck::with_timeout(context::background(), 0s);
  EXPECT_TRUE(zero.cancelled());
  EXPECT_EQ(zero.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, CancelledParentWinsOverPastDeadline) {
  auto [parent, cancel] = concheck::with_cancel(context::background());
  cancel();
  auto [child, cancel_child] =
      concheck::with_deadline(parent, context::clock::now() - 1s);
  EXPECT_EQ(child.reason(), cancel_reason::cancelled);
}

TEST(ContextTest, WithTimeoutFires) {
  const auto start = context::clock::now();
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 20ms);
  ASSERT_TRUE(ctx.deadline().has_value());
  EXPECT_GE(*ctx.deadline(), start + 20ms);
  ctx.wait_until(context::clock::now() + watchdog);
  ASSERT_TRUE(ctx.cancelled());
  // Never early: the timer fires only once the clock has reached it.
  EXPECT_GE(context::clock::now(), *ctx.deadline());
  EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, HugeTimeoutSaturates) {
  auto [ctx, cancel] =
      concheck::with_timeout(context::background(), std::chrono::hours::max());
  ASSERT_TRUE(ctx.deadline().has_value());
  EXPECT_EQ(*ctx.deadline(), context::time_point::max());
  EXPECT_FALSE(ctx.cancelled());
  EXPECT_FALSE(ctx.wait_for(std::chrono::milliseconds(1)));
  cancel();
  EXPECT_TRUE(ctx.wait_for(std::chrono::hours::max()));
}

TEST(ContextTest, ChildDeadlineIsCappedByTheParents) {
  auto [parent, cancel_parent] =
      concheck::with_timeout(context::background(), 20ms);
  auto [child, cancel_child] = concheck::with_timeout(parent, 1h);
  ASSERT_TRUE(child.deadline().has_value());
  EXPECT_EQ(child.deadline(), parent.deadline());
  auto [plain, cancel_plain] = concheck::with_cancel(parent);
  EXPECT_EQ(plain.deadline(), parent.deadline());

  ASSERT_TRUE(child.wait_for(watchdog));
  EXPECT_EQ(child.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, ChildDeadlineEarlierThanTheParentsIsKept) {
  auto [parent, cancel_parent] =
      concheck::with_timeout(context::background(), 1h);
  auto [child, cancel_child] = concheck::with_timeout(parent, 20ms);
  ASSERT_TRUE(child.deadline().has_value());
  EXPECT_LT(*child.deadline(), *parent.deadline());
  ASSERT_TRUE(child.wait_for(watchdog));
  EXPECT_EQ(child.reason(), cancel_reason::deadline_exceeded);
  EXPECT_FALSE(parent.cancelled());
}

TEST(ContextTest, ParentOutlivesItsHandlesForItsChildren) {
  // The intermediate timeout context has no handle left, but its deadline
  // must still reach the child.
  const context child =
      concheck::with_cancel(
          concheck::with_timeout(context::background(), 20ms).ctx)
          .ctx;
  ASSERT_TRUE(child.wait_for(watchdog));
  EXPECT_EQ(child.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, StopTokenStopsAJthread) {
  auto [ctx, cancel] = concheck::with_cancel(context::background());
  std::atomic<bool> saw_stop{false};
  std::jthread worker([&saw_stop, token = ctx.stop_token()] {
    while (!token.stop_requested())
      std::this_thread::sleep_for(1ms);
    saw_stop.store(true);
  });
  cancel();
  worker.join();
  EXPECT_TRUE(saw_stop.load());
}

TEST(ContextTest, StopTokenRunsStopCallbacks) {
  auto [parent, cancel] = concheck::with_cancel(context::background());
  auto [child, cancel_child] = concheck::with_cancel(parent);
  int calls = 0; // written by the callback in this thread (cancel runs it)
  std::stop_callback callback(child.stop_token(), [&calls] { ++calls; });
  EXPECT_EQ(calls, 0);
  cancel();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(child.reason(), cancel_reason::cancelled);
}

TEST(ContextTest, StopTokenInterruptsConditionVariableAnyWait) {
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 1h);
  std::mutex mu;
  std::condition_variable_any cv;
  bool ready = false; // never set: only the stop ends the wait
  std::atomic<bool> wait_result{true};
  std::thread waiter([&] {
    std::unique_lock lock(mu);
    wait_result.store(cv.wait(lock, ctx.stop_token(), [&] { return ready; }));
  });
  std::this_thread::sleep_for(5ms); // usually let it block first
  cancel();
  waiter.join();
  EXPECT_FALSE(wait_result.load()); // false: stopped, predicate still false
}

TEST(ContextTest, DeadlineInterruptsConditionVariableAnyWait) {
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 20ms);
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  const bool woke_by_predicate =
      cv.wait_for(lock, ctx.stop_token(), watchdog, [] { return false; });
  EXPECT_FALSE(woke_by_predicate);
  EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, WaitReturnsAfterCancelFromAnotherThread) {
  auto [ctx, cancel] = concheck::with_cancel(context::background());
  int payload = 0; // plain data: TSan checks the happens-before
  std::thread canceller([&payload, cancel = cancel] {
    payload = 42;
    cancel();
  });
  ctx.wait();
  EXPECT_EQ(payload, 42);
  canceller.join();
}

TEST(ContextTest, CancelledTrueHappensAfterCancel) {
  auto [parent, cancel] = concheck::with_cancel(context::background());
  auto [child, cancel_child] = concheck::with_cancel(parent);
  int payload = 0;
  std::thread canceller([&payload, cancel = cancel] {
    payload = 7;
    cancel();
  });
  while (!child.cancelled())
    std::this_thread::yield();
  EXPECT_EQ(payload, 7); // read after observing the child cancelled
  canceller.join();
}

TEST(ContextTest, WaitForTimesOutWhenNotCancelled) {
  auto [ctx, cancel] = concheck::with_cancel(context::background());
  EXPECT_FALSE(ctx.wait_for(2ms));
  EXPECT_FALSE(ctx.wait_until(context::clock::now() + 2ms));
  EXPECT_FALSE(ctx.wait_until(context::clock::now() - 1s));
}

TEST(ContextTest, ReasonHasFixedText) {
  EXPECT_STREQ(concheck::to_string(cancel_reason::none), "not cancelled");
  EXPECT_STREQ(concheck::to_string(cancel_reason::cancelled),
               "context cancelled");
  EXPECT_STREQ(concheck::to_string(cancel_reason::deadline_exceeded),
               "context deadline exceeded");
}

TEST(ContextTest, ContextsDestroyedBeforeTheirDeadlineLeaveNoTimerEntry) {
  auto &timer = concheck::detail::deadline_timer::instance();
  // Settle earlier tests' short deadlines first, so the count is stable.
  auto [flush, cancel_flush] =
      concheck::with_timeout(context::background(), 1ms);
  ASSERT_TRUE(flush.wait_for(watchdog));
  const std::size_t before = timer.pending();
  for (int i = 0; i < 5000; ++i) {
    auto [ctx, cancel] = concheck::with_timeout(context::background(), 1h);
    auto [child, cancel_child] = concheck::with_timeout(ctx, 30min);
  }
  EXPECT_EQ(timer.pending(), before);

  {
    auto [kept, cancel_kept] =
        concheck::with_timeout(context::background(), 1h);
    EXPECT_EQ(timer.pending(), before + 1);
    cancel_kept(); // cancelling disarms too
    EXPECT_EQ(timer.pending(), before);
  }

  // The timer is not stuck behind anything: a short deadline still fires.
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 20ms);
  ASSERT_TRUE(ctx.wait_for(watchdog));
  EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
}

TEST(ContextTest, ManyShortDeadlinesAllFire) {
  std::vector<context> contexts;
  for (int i = 0; i < 300; ++i)
    contexts.push_back(concheck::with_timeout(context::background(),
                                              std::chrono::microseconds(i * 50))
                           .ctx);
  for (const context &ctx : contexts) {
    ASSERT_TRUE(ctx.wait_for(watchdog));
    EXPECT_EQ(ctx.reason(), cancel_reason::deadline_exceeded);
  }
}

TEST(ContextTest, ContextsWithDeadlinesCreatedAndDestroyedConcurrently) {
  concheck_test::watchdog dog(
      "ContextTest.ContextsWithDeadlinesCreatedAndDestroyedConcurrently", 60s);
  // Destruction races the timer firing: every node here is destroyed around
  // its deadline, by this thread or by the timer thread dropping the last
  // reference.
  constexpr int threads = 4;
  constexpr int iterations = concheck::detail::tsan_enabled ? 1500 : 5000;
  std::vector<std::thread> workers;
  std::atomic<int> fired{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([t, &fired] {
      for (int i = 0; i < iterations; ++i) {
        const auto timeout = std::chrono::microseconds((i * 7 + t) % 200);
        auto [ctx, cancel] =
            concheck::with_timeout(context::background(), timeout);
        auto [child, cancel_child] = concheck::with_timeout(ctx, 100us);
        if (i % 3 == 0)
          cancel();
        if (i % 5 == 0 && child.wait_for(watchdog))
          fired.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (std::thread &w : workers)
    w.join();
  EXPECT_GT(fired.load(), 0);

  auto [ctx, cancel] = concheck::with_timeout(context::background(), 1ms);
  ASSERT_TRUE(ctx.wait_for(watchdog));
}

TEST(ContextTest, ChildrenCreatedAndDroppedWhileTheParentIsCancelled) {
  concheck_test::watchdog dog(
      "ContextTest.ChildrenCreatedAndDroppedWhileTheParentIsCancelled", 60s);
  // Children come and go (each unlinking from the parent as it dies) while
  // the parent's cancellation walks its list of children.
  for (int round = 0; round < 20; ++round) {
    auto [parent, cancel] = concheck::with_cancel(context::background());
    std::atomic<bool> go{false};
    std::atomic<int> wrong{0};
    std::vector<std::vector<context>> kept(3);
    std::vector<std::thread> workers;
    for (int t = 0; t < 3; ++t) {
      workers.emplace_back([&, t, parent = parent] {
        while (!go.load())
          std::this_thread::yield();
        for (int i = 0; i < 200; ++i) {
          // A child made after the parent is seen cancelled is born
          // cancelled, and so are its own children. (One made while the
          // cancellation is still under way is cancelled by the time the
          // canceller's cancel() returns: checked below.)
          const bool parent_was_cancelled = parent.cancelled();
          auto [child, cancel_child] = concheck::with_cancel(parent);
          auto [grandchild, cancel_gc] = concheck::with_cancel(child);
          if (parent_was_cancelled && !grandchild.cancelled())
            wrong.fetch_add(1);
          if (i % 4 == 0)
            kept[t].push_back(grandchild); // the rest die here
        }
      });
    }
    go.store(true);
    cancel();
    for (std::thread &w : workers)
      w.join();
    EXPECT_EQ(wrong.load(), 0);
    for (const std::vector<context> &contexts : kept)
      for (const context &ctx : contexts)
        EXPECT_EQ(ctx.reason(), cancel_reason::cancelled);
  }
}

TEST(ContextTest, CallbacksOnTheTimerThreadMayUseDeadlines) {
  concheck_test::watchdog dog(
      "ContextTest.CallbacksOnTheTimerThreadMayUseDeadlines", 60s);
  // A stop callback runs on the timer thread when a deadline fires; making
  // and dropping contexts with deadlines there must not deadlock the timer.
  auto [ctx, cancel] = concheck::with_timeout(context::background(), 5ms);
  std::atomic<bool> ran{false};
  std::stop_callback callback(ctx.stop_token(), [&ran] {
    auto [inner, cancel_inner] =
        concheck::with_timeout(context::background(), 1h);
    auto [late, cancel_late] = concheck::with_timeout(inner, 1ms);
    ran.store(true);
  });
  ASSERT_TRUE(ctx.wait_for(watchdog));
  auto [after, cancel_after] =
      concheck::with_timeout(context::background(), 5ms);
  ASSERT_TRUE(after.wait_for(watchdog));
  EXPECT_TRUE(ran.load());
}

TEST(ContextTest, ConcurrentCancelsAgreeOnOneReason) {
  concheck_test::watchdog dog("ContextTest.ConcurrentCancelsAgreeOnOneReason",
                              60s);
  for (int round = 0; round < 200; ++round) {
    auto [ctx, cancel] = concheck::with_timeout(
        context::background(), std::chrono::microseconds(round % 20));
    auto [child, cancel_child] = concheck::with_cancel(ctx);
    std::thread a([cancel = cancel] { cancel(); });
    std::thread b([cancel = cancel] { cancel(); });
    // Whoever returns from cancel() sees the context cancelled.
    cancel();
    EXPECT_TRUE(ctx.cancelled());
    a.join();
    b.join();
    const cancel_reason first = ctx.reason();
    EXPECT_NE(first, cancel_reason::none);
    // The timer thread may have won and still be cancelling the child.
    ASSERT_TRUE(child.wait_for(watchdog));
    EXPECT_EQ(child.reason(), first);
  }
}

} // namespace
