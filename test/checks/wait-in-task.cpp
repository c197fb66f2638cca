// RUN: %check_concheck %s concheck-wait-in-task %t -- -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std

// concheck-wait-in-task against the mock headers: a task that a group counts
// and that waits on the same group before its own done waits for itself, a
// certain deadlock. The wait may be in the task or in a function of this
// translation unit that the task calls with the group.

#include <absl/synchronization/blocking_counter.h>
#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>
#include <functional>
#include <future>
#include <latch>
#include <thread>
#include <utility>
#include <vector>

void work();
void work_on(int item);
void prepare();
void report();

//===----------------------------------------------------------------------===//
// The task waits for itself.
//===----------------------------------------------------------------------===//

void wait_directly_in_counted_task() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work();
    wg.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    wg.done();
  });
  wg.wait();
  t.join();
}

void wait_for(concheck::wait_group &g) {
  g.wait();
}

void wait_through_helper_taking_group_by_reference() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work();
    wait_for(wg);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'wait_for' waits on a group that counts this task: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-10]]:3: note: 'g.wait()' waits here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
    wg.done();
  });
  wg.wait();
  t.join();
}

void finish_round(concheck::wait_group *g) {
  report();
  wait_for(*g);
}

void wait_through_two_levels() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    finish_round(&wg);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'finish_round' waits on a group that counts this task: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: which calls this
    // CHECK-MESSAGES: :[[@LINE-30]]:3: note: 'g.wait()' waits here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
    wg.done();
  });
  wg.wait();
  t.join();
}

void wait_in_go_task() {
  concheck::wait_group wg;
  wg.go([&] {
    work();
    wg.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: task started here
  });
  wg.wait();
}

// The guard calls done only at the end of its scope: the wait comes first.
void wait_before_guard_ends() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    concheck::done_guard guard(wg);
    wg.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
  });
  wg.wait();
  t.join();
}

// A task function spawned with the group by std::ref.
void worker_waits_on_own_group(int item, concheck::wait_group &g) {
  work_on(item);
  g.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'g.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
  // CHECK-MESSAGES: :[[@LINE+8]]:5: note: task started here
  g.done();
}

void spawn_worker_that_waits(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread(worker_waits_on_own_group, i, std::ref(wg)).detach();
  }
  wg.wait();
}

// The wait behind a member function of the object the task runs on.
class Batch {
public:
  void run_async() {
    wg_.add(1);
    std::thread([this] {
      work();
      finish();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: call to 'finish' waits on a group that counts this task: the task waits for itself (deadlock) [concheck-wait-in-task]
      // CHECK-MESSAGES: :[[@LINE+7]]:19: note: 'wg_.wait()' waits here
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: task started here
      wg_.done();
    }).detach();
  }

private:
  void finish() { wg_.wait(); }

  concheck::wait_group wg_;
};

void wait_in_pool_task(concheck::worker_pool &pool) {
  concheck::wait_group wg;
  wg.add(1);
  pool.submit([&] {
    wg.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    wg.done();
  });
  wg.wait();
}

void wait_in_async_task() {
  concheck::wait_group wg;
  wg.add(1);
  auto result = std::async(std::launch::async, [&] {
    wg.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:17: note: task started here
    wg.done();
  });
  wg.wait();
}

void latch_wait_before_count_down() {
  std::latch finished(1);
  std::jthread t([&] {
    finished.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'finished.wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:16: note: task started here
    finished.count_down();
  });
}

void blocking_counter_wait_in_task() {
  absl::BlockingCounter counter(1);
  std::thread t([&] {
    counter.Wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'counter.Wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    counter.DecrementCount();
  });
  t.join();
}

//===----------------------------------------------------------------------===//
// Silent.
//===----------------------------------------------------------------------===//

// The task waits for the children it started, on a group of their own.
void wait_on_child_group(int n) {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    concheck::wait_group children;
    for (int i = 0; i < n; ++i) {
      children.add(1);
      std::thread([&children, i] {
        work_on(i);
        children.done();
      }).detach();
    }
    children.wait();
    wg.done();
  });
  wg.wait();
  t.join();
}

// The same through the helper: it waits on the child group.
void wait_on_child_group_through_helper(int n) {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    concheck::wait_group children;
    children.go([] { work(); });
    wait_for(children);
    wg.done();
  });
  wg.wait();
  t.join();
}

// After its own done the task is no longer counted.
void wait_after_own_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work();
    wg.done();
    wg.wait();
  });
  wg.wait();
  t.join();
}

// A monitor that no group counts waits for the workers.
void monitor_not_counted_by_group(int n) {
  concheck::wait_group wg;
  std::thread monitor([&] {
    wg.wait();
    report();
  });
  for (int i = 0; i < n; ++i)
    wg.go([i] { work_on(i); });
  monitor.join();
}

// The add before the monitor is for the workers started after it; the
// monitor never calls done, so the group does not count it.
void monitor_spawned_after_add(int n) {
  concheck::wait_group wg;
  wg.add(n);
  std::thread monitor([&wg] {
    wg.wait();
    report();
  });
  for (int i = 0; i < n; ++i)
    std::thread([&wg, i] {
      work_on(i);
      wg.done();
    }).detach();
  monitor.join();
}

// arrive_and_wait counts down first, then waits: a barrier, not a self-wait.
void latch_arrive_and_wait_in_task(int n) {
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&start, i] {
      prepare();
      start.arrive_and_wait();
      work_on(i);
    });
  for (std::thread &t : threads)
    t.join();
}

void latch_wait_after_count_down(int n) {
  std::latch finished(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&finished, i] {
      work_on(i);
      finished.count_down();
      finished.wait();
      report();
    });
  for (std::thread &t : threads)
    t.join();
}

// The helper counts the task down before it waits.
void finish_then_wait(concheck::wait_group &g) {
  g.done();
  g.wait();
}

void helper_calls_done_before_wait() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work();
    finish_then_wait(wg);
  });
  wg.wait();
  t.join();
}

// The wait is behind a helper that waits on another group.
void helper_waits_on_other_group() {
  concheck::wait_group wg, other;
  wg.add(1);
  std::thread t([&] {
    wait_for(other);
    wg.done();
  });
  wg.wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// Groups made anew in every run: the task's own, and a recursion's.
//===----------------------------------------------------------------------===//

// A nested fan-out: the task waits on a group it declares itself, which
// counts its children and not the task. Its children's threads are tasks
// started from the task, not scope-exit helpers.
void nested_fan_out_on_inner_group(int n) {
  concheck::wait_group outer;
  for (int i = 0; i < n; ++i) {
    outer.add(1);
    std::thread([&] {
      concheck::wait_group inner;
      for (int j = 0; j < n; ++j) {
        inner.add(1);
        std::thread child([&] {
          work_on(j);
          inner.done();
        });
        child.detach();
      }
      inner.wait();
      outer.done();
    }).detach();
  }
  outer.wait();
}

// Each call of the recursion has its own group: the task calls fan_out,
// whose wg is a new object, not the group that started the task.
void fan_out(int depth) {
  if (depth == 0)
    return;
  concheck::wait_group wg;
  for (int i = 0; i < 2; ++i)
    wg.go([depth] { fan_out(depth - 1); });
  wg.wait();
}

struct Node {
  std::vector<Node *> children;
};

// The same with threads and the parent's group passed down: each level
// waits on its own children and then counts itself down on the parent's.
void visit(Node *n, concheck::wait_group &parent) {
  concheck::wait_group children;
  for (Node *c : n->children) {
    children.add(1);
    std::thread([&children, c] { visit(c, children); }).detach();
  }
  children.wait();
  parent.done();
}

// The recursion waits on the group it was given, which counts the caller's
// task: a real self-wait, found through the parameter.
void recurse_on_given_group(concheck::wait_group &wg, int depth) {
  if (depth == 0)
    return;
  wg.go([&wg, depth] { recurse_on_given_group(wg, depth - 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'recurse_on_given_group' waits on a group that counts this task: the task waits for itself (deadlock) [concheck-wait-in-task]
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: 'wg.wait()' waits here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  wg.wait();
}
