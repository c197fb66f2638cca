// Tests for <concheck/wait_group.h>: wait_group and done_guard.
//
// Results that tasks write before done() are plain ints on purpose: under
// ThreadSanitizer, reading them after wait() checks the done() -> wait()
// happens-before edge. Tests that could hang on a lost wake-up run under a
// watchdog that aborts with a message instead.
#include <concheck/wait_group.h>

#include <gtest/gtest.h>

#include "watchdog.h"

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdint>
#include <functional>
#include <latch>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using concheck::done_guard;
using concheck::wait_group;
using concheck::detail::wait_group_test_point;
using concheck_test::watchdog;
using namespace std::chrono_literals;

template <class Pred> void spin_until(Pred pred) {
  while (!pred())
    std::this_thread::yield();
}

void wait_for_waiters(const wait_group &wg, std::uint32_t n) {
  spin_until([&] { return wg.waiters_for_testing() == n; });
}

// Holding a thread at a wait_group_test_point, through the test hook.
std::atomic<wait_group_test_point> hold_point{
    wait_group_test_point::round_closing};
std::atomic<bool> held{false};
std::atomic<bool> resume_held{false};

void hold_thread_hook(wait_group_test_point point) {
  if (point != hold_point.load())
    return;
  held.store(true, std::memory_order_release);
  spin_until([] { return resume_held.load(std::memory_order_acquire); });
}

// Holds every thread that reaches `point` until release_held_thread().
void hold_thread_at(wait_group_test_point point) {
  hold_point = point;
  held = false;
  resume_held = false;
  concheck::detail::set_wait_group_test_hook(&hold_thread_hook);
}

void await_held_thread() {
  spin_until([] { return held.load(std::memory_order_acquire); });
}

void release_held_thread() {
  resume_held.store(true, std::memory_order_release);
}

// Uninstalls the hook at the end of a test that ran in this process.
struct test_hook_remover {
  ~test_hook_remover() { concheck::detail::set_wait_group_test_hook(nullptr); }
};

// --- Basics ------------------------------------------------------------------

TEST(WaitGroupTest, AddBeforeGo) {
  // The seed's worker example: add(1) before each worker starts, and the
  // worker's `defer wg.Done()` as a done_guard.
  watchdog dog("AddBeforeGo");
  wait_group wg;
  std::vector<int> finished(3, 0);
  auto worker = [&](int id) {
    done_guard done(wg);
    finished[id] = id + 1;
  };
  std::vector<std::thread> workers;
  for (int id = 0; id < 3; ++id) {
    wg.add(1);
    workers.emplace_back(worker, id);
  }
  wg.wait();
  EXPECT_EQ(finished, (std::vector<int>{1, 2, 3}));
  for (std::thread &t : workers)
    t.join();
}

TEST(WaitGroupTest, AddDoneWait) {
  watchdog dog("AddDoneWait");
  wait_group wg;
  int results[3] = {};
  wg.add(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      results[i] = 10 * (i + 1);
      wg.done();
    });
  wg.wait();
  EXPECT_EQ(results[0], 10);
  EXPECT_EQ(results[1], 20);
  EXPECT_EQ(results[2], 30);
  for (std::thread &t : threads)
    t.join();
}

TEST(WaitGroupTest, NegativeAddCountsAsDones) {
  watchdog dog("NegativeAddCountsAsDones");
  wait_group wg;
  wg.add(5);
  wg.add(-2);
  wg.add(-3);
  wg.wait(); // the counter is zero: returns at once
  wg.add(0); // does nothing
  wg.wait();
}

TEST(WaitGroupTest, WaitWithZeroCounterReturnsAtOnce) {
  watchdog dog("WaitWithZeroCounterReturnsAtOnce");
  wait_group wg;
  wg.wait();
  wg.wait();
  wg.add(2);
  wg.done();
  wg.done();
  wg.wait();
  EXPECT_EQ(wg.waiters_for_testing(), 0u);
}

TEST(WaitGroupTest, WaitBlocksUntilTheLastDone) {
  watchdog dog("WaitBlocksUntilTheLastDone");
  wait_group wg;
  wg.add(2);
  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    wg.wait();
    returned = true;
  });
  wait_for_waiters(wg, 1);
  wg.done();
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(returned.load());
  EXPECT_EQ(wg.waiters_for_testing(), 1u);
  wg.done();
  waiter.join();
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(wg.waiters_for_testing(), 0u);
}

TEST(WaitGroupTest, GroupMayBeDestroyedAsSoonAsWaitReturns) {
  // The closing done() is held before it marks the round closed, its last
  // access to the group: the waiter must not return (and so must not destroy
  // the group) until it has; the wake-up that follows only names the group's
  // address. ASan and TSan check the delete.
  watchdog dog("GroupMayBeDestroyedAsSoonAsWaitReturns");
  test_hook_remover remove_hook;
  auto *wg = new wait_group;
  wg->add(1);
  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    wg->wait();
    returned = true;
    delete wg;
  });
  wait_for_waiters(*wg, 1);
  hold_thread_at(wait_group_test_point::round_closing);
  std::thread closer([&] { wg->done(); });
  await_held_thread();
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(returned.load());
  release_held_thread();
  closer.join();
  waiter.join();
  EXPECT_TRUE(returned.load());
}

TEST(WaitGroupTest, EveryWaiterWakesUp) {
  watchdog dog("EveryWaiterWakesUp");
  wait_group wg;
  wg.add(1);
  int result = 0;
  std::atomic<int> saw_result{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i)
    waiters.emplace_back([&] {
      wg.wait();
      if (result == 7)
        saw_result.fetch_add(1);
    });
  wait_for_waiters(wg, 4);
  std::thread task([&] {
    result = 7;
    wg.done();
  });
  for (std::thread &t : waiters)
    t.join();
  task.join();
  EXPECT_EQ(saw_result.load(), 4);
}

// --- go() --------------------------------------------------------------------

TEST(WaitGroupTest, GoRunsTheTaskAndCountsIt) {
  watchdog dog("GoRunsTheTaskAndCountsIt");
  wait_group wg;
  int value = 0;
  wg.go([&] {
    std::this_thread::sleep_for(20ms); // wait() must not return before this
    value = 42;
  });
  wg.wait();
  EXPECT_EQ(value, 42);
}

TEST(WaitGroupTest, GoCountsTheTaskBeforeReturning) {
  // A waiter registers only while the counter is positive: one that blocks
  // while the task is held at the gate shows that go() had counted it.
  watchdog dog("GoCountsTheTaskBeforeReturning");
  wait_group wg;
  std::latch gate(1);
  wg.go([&] { gate.wait(); });
  std::thread waiter([&] { wg.wait(); });
  wait_for_waiters(wg, 1);
  gate.count_down();
  waiter.join();
}

TEST(WaitGroupTest, TasksMayStartMoreTasks) {
  // Nested fan-out: a counted task calls go() for its children, so the
  // counter never drops to zero on the way.
  watchdog dog("TasksMayStartMoreTasks");
  wait_group wg;
  std::atomic<int> leaves{0};
  for (int i = 0; i < 3; ++i)
    wg.go([&] {
      for (int j = 0; j < 3; ++j)
        wg.go([&] { leaves.fetch_add(1, std::memory_order_relaxed); });
    });
  wg.wait();
  EXPECT_EQ(leaves.load(), 9);
}

TEST(WaitGroupTest, ATaskMayWaitOnAnotherGroup) {
  watchdog dog("ATaskMayWaitOnAnotherGroup");
  wait_group outer;
  int value = 0;
  outer.go([&] {
    wait_group inner;
    inner.go([&] { value = 5; });
    inner.wait();
    value *= 2;
  });
  outer.wait();
  EXPECT_EQ(value, 10);
}

TEST(WaitGroupTest, GoAcceptsMoveOnlyTasksAndDestroysThem) {
  watchdog dog("GoAcceptsMoveOnlyTasksAndDestroysThem");
  wait_group wg;
  int out = 0;
  auto token = std::make_shared<int>(0);
  wg.go([p = std::make_unique<int>(7), token, &out] { out = *p; });
  wg.wait();
  EXPECT_EQ(out, 7);
  EXPECT_EQ(token.use_count(), 1); // the task's copy is gone
}

// A thread_local's destructor runs as its thread ends: after go()'s done().
struct at_thread_exit {
  std::function<void()> action;
  ~at_thread_exit() {
    if (action)
      action();
  }
};

void run_at_thread_exit(std::function<void()> action) {
  thread_local at_thread_exit slot;
  slot.action = std::move(action);
}

TEST(WaitGroupTest, WaitJoinsTheTaskThreads) {
  watchdog dog("WaitJoinsTheTaskThreads");
  std::atomic<int> exited{0};
  wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { run_at_thread_exit([&] { exited.fetch_add(1); }); });
  wg.wait();
  EXPECT_EQ(exited.load(), 4);
}

TEST(WaitGroupTest, GoRethrowsTheFirstExceptionFromWait) {
  watchdog dog("GoRethrowsTheFirstExceptionFromWait");
  wait_group wg;
  std::latch first_task_gone(1);
  wg.go([&] {
    run_at_thread_exit([&] { first_task_gone.count_down(); });
    throw std::runtime_error("first");
  });
  // The first task has thrown, been recorded and called done() before its
  // thread ends, so the second exception comes strictly later.
  first_task_gone.wait();
  wg.go([] { throw std::runtime_error("second"); });
  try {
    wg.wait();
    ADD_FAILURE() << "wait() did not rethrow";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "first");
  }
  // The second exception was dropped, and the group is ready for reuse.
  EXPECT_NO_THROW(wg.wait());
  int value = 0;
  wg.go([&] { value = 1; });
  EXPECT_NO_THROW(wg.wait());
  EXPECT_EQ(value, 1);
}

TEST(WaitGroupTest, GoRethrowsOneOfManyExceptionsThenIsReusable) {
  watchdog dog("GoRethrowsOneOfManyExceptionsThenIsReusable");
  wait_group wg;
  for (int i = 0; i < 8; ++i)
    wg.go([i] { throw std::runtime_error("task " + std::to_string(i)); });
  EXPECT_THROW(wg.wait(), std::runtime_error);
  EXPECT_NO_THROW(wg.wait());
  for (int round = 0; round < 3; ++round) {
    int value = 0;
    wg.go([&] { value = round + 1; });
    EXPECT_NO_THROW(wg.wait());
    EXPECT_EQ(value, round + 1);
  }
}

TEST(WaitGroupTest, GoCallsDoneWhateverTheTaskThrows) {
  watchdog dog("GoCallsDoneWhateverTheTaskThrows");
  wait_group wg;
  wg.go([] { throw 42; });
  try {
    wg.wait();
    ADD_FAILURE() << "wait() did not rethrow";
  } catch (int value) {
    EXPECT_EQ(value, 42);
  }
}

// --- done_guard --------------------------------------------------------------

TEST(DoneGuardTest, IsNeitherCopyableNorMovable) {
  static_assert(!std::is_copy_constructible_v<done_guard>);
  static_assert(!std::is_move_constructible_v<done_guard>);
  static_assert(!std::is_copy_assignable_v<done_guard>);
  static_assert(!std::is_move_assignable_v<done_guard>);
  static_assert(!std::is_convertible_v<wait_group &, done_guard>);
  static_assert(!std::is_copy_constructible_v<wait_group>);
  static_assert(!std::is_move_constructible_v<wait_group>);
}

void guarded_work(wait_group &wg, bool return_early, int &steps) {
  done_guard done(wg);
  ++steps;
  if (return_early)
    return;
  ++steps;
}

TEST(DoneGuardTest, CallsDoneOnNormalExit) {
  watchdog dog("CallsDoneOnNormalExit");
  wait_group wg;
  int steps = 0;
  wg.add(1);
  std::thread worker(guarded_work, std::ref(wg), false, std::ref(steps));
  wg.wait();
  EXPECT_EQ(steps, 2);
  worker.join();
}

TEST(DoneGuardTest, CallsDoneOnEarlyReturn) {
  watchdog dog("CallsDoneOnEarlyReturn");
  wait_group wg;
  int steps = 0;
  wg.add(1);
  std::thread worker(guarded_work, std::ref(wg), true, std::ref(steps));
  wg.wait();
  EXPECT_EQ(steps, 1);
  worker.join();
}

TEST(DoneGuardTest, CallsDoneWhenTheScopeThrows) {
  watchdog dog("CallsDoneWhenTheScopeThrows");
  wait_group wg;
  bool caught = false;
  wg.add(1);
  std::thread worker([&] {
    try {
      done_guard done(wg);
      throw std::runtime_error("boom");
    } catch (const std::runtime_error &) {
      caught = true;
    }
  });
  wg.wait();
  worker.join();
  EXPECT_TRUE(caught);
}

TEST(DoneGuardTest, CallsDoneExactlyOnce) {
  watchdog dog("CallsDoneExactlyOnce");
  wait_group wg;
  wg.add(2);
  { done_guard done(wg); }
  // One done() so far: a waiter still blocks (with two, the counter would be
  // zero and the waiter would not register) ...
  std::thread waiter([&] { wg.wait(); });
  wait_for_waiters(wg, 1);
  wg.done(); // ... until this one
  waiter.join();
}

// --- Reuse and stress ------------------------------------------------------

TEST(WaitGroupTest, ReuseAcrossManyRounds) {
  watchdog dog("ReuseAcrossManyRounds");
  wait_group wg;
  std::vector<int> slots(4, 0);
  for (int round = 1; round <= 150; ++round) {
    for (int i = 0; i < 2; ++i)
      wg.go([&slots, i, round] { slots[i] = round; });
    wg.add(2);
    std::thread a([&, round] {
      slots[2] = round;
      wg.done();
    });
    std::thread b([&, round] {
      done_guard done(wg);
      slots[3] = round;
    });
    wg.wait();
    for (int value : slots)
      EXPECT_EQ(value, round);
    a.join();
    b.join();
  }
}

// How long a stress test runs: until `budget` has passed or `max_rounds`
// rounds have completed, whichever comes first.
constexpr auto stress_budget = 2s;
constexpr int stress_max_rounds = 200000;

TEST(WaitGroupStressTest, OneWaiterManyWorkersManyRounds) {
  // Each round: add(k) in the waiter, then k workers call done() the moment
  // the round opens while the waiter registers, so the last done() races with
  // the waiter going to sleep: where a wake-up would get lost.
  constexpr int workers = 4;
  watchdog dog("OneWaiterManyWorkersManyRounds");
  wait_group wg;
  std::barrier open_round(workers + 1);
  std::vector<int> slot(workers, 0);
  int round = 0; // written before open_round, read after it
  bool keep_going = true;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      for (;;) {
        open_round.arrive_and_wait();
        if (!keep_going)
          return;
        if ((round + w) % 3 == 0)
          std::this_thread::yield(); // vary which done() comes last
        slot[w] = round;
        wg.done();
      }
    });

  const auto deadline = std::chrono::steady_clock::now() + stress_budget;
  int completed = 0;
  int mismatches = 0;
  while (completed < stress_max_rounds &&
         std::chrono::steady_clock::now() < deadline) {
    round = completed + 1;
    wg.add(workers);
    open_round.arrive_and_wait();
    wg.wait();
    for (int value : slot)
      mismatches += value != round;
    ++completed;
  }
  keep_going = false;
  open_round.arrive_and_wait();
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(completed, 0);
  RecordProperty("rounds", completed);
}

TEST(WaitGroupStressTest, SeveralWaitersManyRounds) {
  // As above with three more waiters per round. end_round makes every wait()
  // of a round return before the next round's add(), as the contract requires.
  constexpr int workers = 3;
  constexpr int waiters = 3;
  watchdog dog("SeveralWaitersManyRounds");
  wait_group wg;
  std::barrier open_round(workers + waiters + 1);
  std::barrier end_round(workers + waiters + 1);
  std::vector<int> slot(workers, 0);
  int round = 0;
  bool keep_going = true;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      for (;;) {
        open_round.arrive_and_wait();
        if (!keep_going)
          return;
        slot[w] = round;
        wg.done();
        end_round.arrive_and_wait();
      }
    });
  for (int i = 0; i < waiters; ++i)
    threads.emplace_back([&] {
      for (;;) {
        open_round.arrive_and_wait();
        if (!keep_going)
          return;
        wg.wait();
        for (int value : slot)
          if (value != round)
            mismatches.fetch_add(1);
        end_round.arrive_and_wait();
      }
    });

  const auto deadline = std::chrono::steady_clock::now() + stress_budget;
  int completed = 0;
  while (completed < stress_max_rounds &&
         std::chrono::steady_clock::now() < deadline) {
    round = completed + 1;
    wg.add(workers);
    open_round.arrive_and_wait();
    wg.wait();
    for (int value : slot)
      if (value != round)
        mismatches.fetch_add(1);
    end_round.arrive_and_wait();
    ++completed;
  }
  keep_going = false;
  open_round.arrive_and_wait();
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GT(completed, 0);
  RecordProperty("rounds", completed);
}

// --- Misuse ------------------------------------------------------------------
//
// Each misuse dies with its fixed message, in every build mode. The two about
// concurrent reuse exist only for an instant inside the group; the test hook
// holds a thread at that instant so the interleaving happens every time. A
// watchdog in the statements that would deadlock if a check went missing turns
// that into a wrong message instead of a hang.

TEST(WaitGroupDeathTest, DoneWithoutAddIsANegativeCounter) {
  EXPECT_DEATH(
      {
        wait_group wg;
        wg.done();
      },
      "concheck: misuse of wait_group: negative counter");
}

TEST(WaitGroupDeathTest, AddBelowZeroIsANegativeCounter) {
  EXPECT_DEATH(
      {
        wait_group wg;
        wg.add(2);
        wg.add(-3);
      },
      "concheck: misuse of wait_group: negative counter");
}

TEST(WaitGroupDeathTest, DoneGuardWithoutAddIsANegativeCounter) {
  EXPECT_DEATH(
      {
        wait_group wg;
        done_guard done(wg);
      },
      "concheck: misuse of wait_group: negative counter");
}

TEST(WaitGroupDeathTest, CounterOverflowIsANegativeCounter) {
  EXPECT_DEATH(
      {
        wait_group wg;
        wg.add(std::numeric_limits<std::int32_t>::max());
        wg.add(1);
      },
      "concheck: misuse of wait_group: negative counter");
}

TEST(WaitGroupDeathTest, AddWhileWaitersAreStillInWaitIsAddDuringWait) {
  EXPECT_DEATH(
      {
        watchdog dog("AddWhileWaitersAreStillInWaitIsAddDuringWait");
        wait_group wg;
        hold_thread_at(wait_group_test_point::round_closing);
        wg.add(1);
        std::thread waiter([&] { wg.wait(); });
        wait_for_waiters(wg, 1);
        // Reaches zero, and is held before it closes the round.
        std::thread closer([&] { wg.done(); });
        await_held_thread();
        wg.add(1); // a new round while the waiter is still inside wait()
        release_held_thread();
        closer.join();
        waiter.join();
      },
      "concheck: misuse of wait_group: add called concurrently with wait");
}

TEST(WaitGroupDeathTest, AddBeforeTheLastWaitReturnedIsReuse) {
  EXPECT_DEATH(
      {
        watchdog dog("AddBeforeTheLastWaitReturnedIsReuse");
        wait_group wg;
        hold_thread_at(wait_group_test_point::waiter_released);
        wg.add(1);
        std::thread waiter([&] { wg.wait(); });
        wait_for_waiters(wg, 1);
        wg.done(); // closes the round; the waiter is held once it sees that
        await_held_thread();
        wg.add(1); // the next round, before the waiter's wait() returned
        release_held_thread();
        waiter.join(); // the waiter reports
        wg.done();
      },
      "concheck: misuse of wait_group: reused before previous wait has "
      "returned");
}

TEST(WaitGroupDeathTest, DestroyedWithTasksOutstanding) {
  EXPECT_DEATH(
      {
        wait_group wg;
        wg.add(1);
      },
      "concheck: misuse of wait_group: destroyed while tasks are outstanding");
}

TEST(WaitGroupDeathTest, DestroyedWhileAGoTaskRuns) {
  EXPECT_DEATH(
      {
        std::latch gate(1);
        wait_group wg;
        wg.go([&] { gate.wait(); });
      },
      "concheck: misuse of wait_group: destroyed while tasks are outstanding");
}

TEST(WaitGroupDeathTest, WaitFromOwnTaskIsADeadlock) {
  EXPECT_DEATH(
      {
        watchdog dog("WaitFromOwnTaskIsADeadlock");
        wait_group wg;
        wg.go([&] { wg.wait(); });
        wg.wait();
      },
      "concheck: misuse of wait_group: waited on from one of its own tasks "
      "\\(deadlock\\)");
}

} // namespace
