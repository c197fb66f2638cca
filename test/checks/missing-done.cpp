// RUN: %check_concheck %s concheck-missing-done %t -- -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std

// concheck-missing-done against the mock headers: every path of a counted
// task, from its entry to its exit, calls the group's done exactly once. A way
// out that skips it (an early return, a break out of the task's loop, a throw,
// the end of the body) is reported where it leaves; a second done on one path
// where it runs the second time. Guards whose destructor calls done count as
// a done at the end of their scope; paths that end in a [[noreturn]] call or
// never end are no way out.

#include <absl/synchronization/blocking_counter.h>
#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>
#include <cstdlib>
#include <functional>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

void work();
bool work_on(int item);
bool should_stop();
bool failed(int item);
void serve_one();
[[noreturn]] void fatal(const char *msg);
void report(const std::exception &e);
void report_code(int code);

// A WaitGroup ported from Go.
class WaitGroup {
public:
  void Add(int delta);
  void Done();
  void Wait();
};

//===----------------------------------------------------------------------===//
// Ways out that skip done.
//===----------------------------------------------------------------------===//

void early_return_skips_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}

void early_return_in_loop_of_task(int n) {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    for (int i = 0; i < n; ++i) {
      if (failed(i))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
      // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
      work_on(i);
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

// The break leaves the loop, not the task; but after the loop the task ends
// without done, which only the other way out of the loop calls. Reported at
// the end, with the break as the way there.
void break_out_of_task_loop_skips_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    for (;;) {
      if (should_stop())
        break;
      if (work_on(0)) {
        wg.done();
        return;
      }
    }
  });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task can reach its end without calling 'wg.done()' [concheck-missing-done]
  // CHECK-MESSAGES: :[[@LINE-8]]:9: note: when this 'break' is taken
  // CHECK-MESSAGES: :[[@LINE-12]]:15: note: task started here
  wg.wait();
  t.join();
}

// A continue or break targets a loop inside the task: it does not leave the
// task. The return after the loop does, and only it is reported.
void continue_and_break_stay_in_the_task(int n) {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    for (int i = 0; i < n; ++i) {
      if (failed(i))
        continue;
      if (should_stop())
        break;
      work_on(i);
    }
    if (!work_on(n))
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-11]]:15: note: task started here
    wg.done();
  });
  wg.wait();
  t.join();
}

// A switch's break stays in the task too.
void switch_break_in_task(int kind) {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    switch (kind) {
    case 0:
      work();
      break;
    default:
      serve_one();
      break;
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

// A throw that a handler inside the task catches does not leave it: here
// the handler's type is a base of the thrown one, and there is no catch-all.
void throw_caught_inside_the_task() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    try {
      if (failed(1))
        throw std::runtime_error("bad item");
      work();
    } catch (const std::exception &e) {
      report(e);
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

// A handler for another type does not catch it: the throw leaves.
void throw_not_caught_by_unrelated_handler() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    try {
      if (failed(1))
        throw std::runtime_error("bad item");
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'throw' leaves the task without calling 'wg.done()' [concheck-missing-done]
      // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
      work();
    } catch (int code) {
      report_code(code);
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

// Caught, then the handler returns: the return leaves, not the throw.
void return_in_handler_after_caught_throw() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    try {
      if (failed(1))
        throw std::runtime_error("bad item");
      work();
    } catch (const std::runtime_error &) {
      return;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
      // CHECK-MESSAGES: :[[@LINE-8]]:15: note: task started here
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

// A break followed by done after the loop is fine.
void break_then_done_after_loop() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    for (;;) {
      if (should_stop())
        break;
      work();
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

void throw_skips_done(int item) {
  concheck::wait_group wg;
  wg.add(1);
  auto result = std::async(std::launch::async, [&] {
    if (failed(item))
      throw std::runtime_error("bad item");
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'throw' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: task started here
    work_on(item);
    wg.done();
  });
  wg.wait();
}

void falls_off_end_on_some_path() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (work_on(1))
      wg.done();
  });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task can reach its end without calling 'wg.done()' [concheck-missing-done]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
  wg.wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// Done twice.
//===----------------------------------------------------------------------===//

void done_twice_in_sequence() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    wg.done();
    work();
    wg.done();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.done()' can run twice in this task [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: first call on this path
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: task started here
  });
  wg.wait();
  t.join();
}

void done_on_error_path_and_again_at_end() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (!work_on(1))
      wg.done();
    work();
    wg.done();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.done()' can run twice in this task [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: first call on this path
    // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  });
  wg.wait();
  t.join();
}

void done_in_loop_of_task() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    for (;;) {
      work();
      wg.done();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'wg.done()' can run twice in this task [concheck-missing-done]
      // CHECK-MESSAGES: :[[@LINE-2]]:7: note: it is in a loop
      // CHECK-MESSAGES: :[[@LINE-6]]:15: note: task started here
      if (should_stop())
        return;
    }
  });
  wg.wait();
  t.join();
}

// The guard's destructor is a done too: reported at the explicit call.
void done_guard_and_explicit_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    concheck::done_guard guard(wg);
    work();
    wg.done();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.done()' can run twice in this task [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:26: note: 'guard' also calls it when it goes out of scope
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: task started here
  });
  wg.wait();
  t.join();
}

// A way out before the guard exists: the message names the group's done.
void early_return_before_done_guard() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    concheck::done_guard guard(wg);
    work();
  });
  wg.wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// A task counted by the add before it that never calls done at all.
//===----------------------------------------------------------------------===//

void task_never_calls_done(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread([i] { work_on(i); }).detach();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task never calls 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'wg.add(1)' counts it
  }
  wg.wait();
}

void task_function_never_calls_done() {
  WaitGroup wg;
  wg.Add(1);
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the task never calls 'wg.Done()' [concheck-missing-done]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'wg.Add(1)' counts it
  wg.Wait();
  t.join();
}

// The group passed to the task function, which never calls done on it.
void worker_ignores_group(int id, concheck::wait_group &wg) { work_on(id); }
void task_function_takes_the_group_and_never_calls_done() {
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    workers.emplace_back(worker_ignores_group, i, std::ref(wg));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task never calls 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'wg.add(1)' counts it
  }
  wg.wait();
  for (std::thread &t : workers)
    t.join();
}

// The same function handing the group on: its done may happen there; silent.
void hand_on(concheck::wait_group &wg);
void worker_hands_group_on(int id, concheck::wait_group &wg) { hand_on(wg); }
void task_function_hands_the_group_on() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t(worker_hands_group_on, 0, std::ref(wg));
  wg.wait();
  t.join();
}

// A done two calls deep counts, as one in the task does (function
// summaries); an early return before the call still skips it.
void count_down_deep(concheck::wait_group *g) { g->done(); }
void finish_deep(concheck::wait_group &g) { count_down_deep(&g); }
void done_two_calls_deep() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work();
    finish_deep(wg);
  });
  wg.wait();
  t.join();
}
void early_return_before_a_deep_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    finish_deep(wg);
  });
  wg.wait();
  t.join();
}

// The group is handed on (here to a second task): its done may be called
// where this check cannot see; silent.
void group_passed_to_another_task() {
  concheck::wait_group wg;
  std::thread finisher([&wg] { wg.done(); });
  wg.add(1);
  std::thread t(work);
  wg.wait();
  t.join();
  finisher.join();
}

// A group the spawner counts down itself.
void spawner_calls_done_after_join() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t(work);
  t.join();
  wg.done();
  wg.wait();
}

// The add belongs to the tasks of the loop before; the monitor is not
// counted by it.
void add_belongs_to_loop_before_monitor(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread([&wg, i] {
      work_on(i);
      wg.done();
    }).detach();
  }
  std::thread monitor([&wg] { wg.wait(); });
  monitor.join();
}

//===----------------------------------------------------------------------===//
// go() counts the task and calls done itself.
//===----------------------------------------------------------------------===//

void done_in_go_task() {
  concheck::wait_group wg;
  wg.go([&] {
    work();
    wg.done();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.done()' in a task started by 'go()', which calls done itself when the task ends [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: task started here
  });
  wg.wait();
}

void go_task_without_done() {
  concheck::wait_group wg;
  wg.go([] {
    if (should_stop())
      return;
    work();
  });
  wg.wait();
}

//===----------------------------------------------------------------------===//
// Silent: done on every path, exactly once.
//===----------------------------------------------------------------------===//

void done_guard_covers_early_return() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    concheck::done_guard guard(wg);
    if (should_stop())
      return;
    if (failed(1))
      throw std::runtime_error("bad item");
    work();
  });
  wg.wait();
  t.join();
}

// A scope-exit helper: a local object that calls a lambda when destroyed.
template <class F> struct scope_exit {
  F on_exit;
  ~scope_exit() { on_exit(); }
};
template <class F> scope_exit(F) -> scope_exit<F>;

void scope_exit_helper_covers_early_return() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    scope_exit finish{[&] { wg.done(); }};
    if (should_stop())
      return;
    work();
  });
  wg.wait();
  t.join();
}

// A hand-written defer: its destructor calls done on the group it holds.
struct DoneOnExit {
  concheck::wait_group &group;
  ~DoneOnExit() { group.done(); }
};

void defer_struct_covers_early_return() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    DoneOnExit defer{wg};
    if (should_stop())
      return;
    work();
  });
  wg.wait();
  t.join();
}

void abort_path_is_no_way_out() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (failed(1))
      std::abort();
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}

void noreturn_path_is_no_way_out() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (failed(1))
      fatal("cannot continue");
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}

// A server loop that only ends after done.
void infinite_server_loop() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    for (;;) {
      if (should_stop()) {
        wg.done();
        return;
      }
      serve_one();
    }
  });
  wg.wait();
  t.join();
}

void done_on_both_branches() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (should_stop()) {
      wg.done();
      return;
    }
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}

// The task adds one more unit of work of its own and finishes both: two
// dones, balanced by its own add.
void task_adds_in_balance_for_itself() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    wg.add(1);
    work();
    wg.done();
    wg.done();
  });
  wg.wait();
  t.join();
}

// TODO: adds and dones are not counted along each path, so once a task adds
// on its own group no second done is reported, even on a path without the
// add:
void task_adds_on_one_path_only() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (work_on(1))
      wg.add(1);
    wg.done();
    wg.done();
  });
  wg.wait();
  t.join();
}

// TODO: the CFG has no edges from the calls in a try block to its handlers,
// so a return in a catch handler is not seen as a way out:
void return_in_catch_handler() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    try {
      work();
    } catch (...) {
      return;
    }
    wg.done();
  });
  wg.wait();
  t.join();
}

// TODO: only explicit throws are ways out; a call that throws between entry
// and done skips it too (use a done_guard):
void call_that_throws_skips_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work(); // may throw
    wg.done();
  });
  wg.wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// std::latch and absl::BlockingCounter.
//===----------------------------------------------------------------------===//

void latch_count_down_skipped_by_early_return() {
  std::latch finished(1);
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'finished.count_down()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    work();
    finished.count_down();
  });
  finished.wait();
  t.join();
}

void latch_count_down_on_every_path() {
  std::latch finished(1);
  std::thread t([&] {
    if (should_stop()) {
      finished.count_down();
      return;
    }
    work();
    finished.count_down();
  });
  finished.wait();
  t.join();
}

void blocking_counter_skipped_by_break(int n) {
  absl::BlockingCounter counter(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&counter, i] {
      while (true) {
        if (failed(i))
          break;
        if (work_on(i)) {
          counter.DecrementCount();
          return;
        }
      }
    });
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task can reach its end without calling 'counter.DecrementCount()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-8]]:11: note: when this 'break' is taken
    // CHECK-MESSAGES: :[[@LINE-12]]:5: note: task started here
  }
  counter.Wait();
  for (std::thread &t : threads)
    t.join();
}

void blocking_counter_on_every_path(int n) {
  absl::BlockingCounter counter(n);
  for (int i = 0; i < n; ++i)
    std::thread([&counter, i] {
      work_on(i);
      counter.DecrementCount();
    }).detach();
  counter.Wait();
}

//===----------------------------------------------------------------------===//
// Task functions and other spawns.
//===----------------------------------------------------------------------===//

void worker_skips_done_on_failure(int item, concheck::wait_group &wg) {
  if (!work_on(item))
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
  // CHECK-MESSAGES: :[[@LINE+14]]:5: note: task started here
  wg.done();
}

void worker_with_guard(int item, concheck::wait_group &wg) {
  concheck::done_guard guard(wg);
  if (!work_on(item))
    return;
}

void spawn_workers_with_std_ref(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread(worker_skips_done_on_failure, i, std::ref(wg)).detach();
  }
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread(worker_with_guard, i, std::ref(wg)).detach();
  }
  wg.wait();
}

// A member function started on 'this'.
class Indexer {
public:
  void start() {
    wg_.add(1);
    std::thread(&Indexer::index, this).detach();
  }
  void stop() { wg_.wait(); }

private:
  void index() {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg_.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-9]]:5: note: task started here
    work();
    wg_.done();
  }

  concheck::wait_group wg_;
};

void pool_task_skips_done(concheck::worker_pool &pool) {
  concheck::wait_group wg;
  wg.add(1);
  pool.submit([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: task started here
    wg.done();
  });
  wg.wait();
}

void jthread_task_skips_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::jthread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:16: note: task started here
    wg.done();
  });
  wg.wait();
}

// A wrapper defined in this file that hands its argument to std::thread.
template <class F> void spawn(F &&f) { std::thread(std::forward<F>(f)).detach(); }

void wrapper_task_skips_done() {
  concheck::wait_group wg;
  wg.add(1);
  spawn([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: task started here
    wg.done();
  });
  wg.wait();
}

// Deferred: runs in get() on this thread; not a task.
void deferred_async_is_no_task() {
  concheck::wait_group wg;
  wg.add(1);
  auto result = std::async(std::launch::deferred, [&] {
    if (should_stop())
      return;
    wg.done();
  });
  result.get();
}

//===----------------------------------------------------------------------===//
// A WaitGroup ported from Go.
//===----------------------------------------------------------------------===//

void go_port_skips_done() {
  WaitGroup wg;
  wg.Add(1);
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.Done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    wg.Done();
  });
  wg.Wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// A group the task declares itself counts its children, not the task.
//===----------------------------------------------------------------------===//

// The children's jthreads run their lambdas on other threads; they are not
// scope-exit helpers whose end of scope calls 'inner.done()' (which would
// make it run once per iteration here, and be missing on the way out).
void nested_fan_out_with_jthreads(int n) {
  concheck::wait_group outer;
  outer.add(1);
  std::thread t([&] {
    concheck::wait_group inner;
    for (int i = 0; i < n; ++i) {
      inner.add(1);
      std::jthread child([&inner, i] {
        work_on(i);
        inner.done();
      });
      child.detach();
    }
    inner.wait();
    outer.done();
  });
  outer.wait();
  t.join();
}

// A flag set where done ran decides the second done: once on every path.
void done_behind_a_flag() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    bool counted = false;
    if (work_on(1)) {
      wg.done();
      counted = true;
    }
    work();
    if (!counted)
      wg.done();
  });
  wg.wait();
  t.join();
}
