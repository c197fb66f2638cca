// WaitGroupTypes and SpawnFunctions extend the model every wait-group check
// shares. They are read with getLocalOrGlobal: the first run gives them once
// for all three checks, the second per check. Without them the same code is
// silent (the third run): each case below fires only through an option.
// RUN: %check_concheck %s concheck-add-in-task,concheck-missing-done,concheck-wait-in-task %t -- -config="{CheckOptions: {WaitGroupTypes: '::app::Countdown(add=Increment,done=Decrement,wait=Await)', SpawnFunctions: '::app::run_later'}}" -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std
// RUN: %check_concheck %s concheck-add-in-task,concheck-missing-done,concheck-wait-in-task %t -- -config="{CheckOptions: {concheck-add-in-task.WaitGroupTypes: '::app::Countdown(add=Increment,done=Decrement,wait=Await)', concheck-add-in-task.SpawnFunctions: '::app::run_later', concheck-missing-done.WaitGroupTypes: 'app::Countdown(add=Increment,done=Decrement,wait=Await)', concheck-missing-done.SpawnFunctions: 'app::run_later', concheck-wait-in-task.WaitGroupTypes: '::app::Countdown(add=Increment, done=Decrement, wait=Await)', concheck-wait-in-task.SpawnFunctions: '::app::run_later:0'}}" -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std
// RUN: %clang_tidy --load=%plugin --checks='-*,concheck-add-in-task,concheck-missing-done,concheck-wait-in-task' %s -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std | FileCheck %s --check-prefix=NO-OPTIONS --allow-empty --implicit-check-not='warning:'
// NO-OPTIONS-NOT: warning:

#include <thread>

void work();
bool should_stop();

namespace app {

// A countdown of the application's own: a wait group by another name.
class Countdown {
public:
  explicit Countdown(int initial = 0);
  void Increment(int n = 1);
  void Decrement();
  void Await();
};

// Queues a callable to run later on the application's executor. Its body
// does not show a spawn, so only SpawnFunctions makes it one.
template <class F> void run_later(F &&f) { static_cast<void>(f); }

} // namespace app

// A WaitGroup ported from Go: a wait group built in.
class WaitGroup {
public:
  void Add(int delta);
  void Done();
  void Wait();
};

//===----------------------------------------------------------------------===//
// WaitGroupTypes: ::app::Countdown.
//===----------------------------------------------------------------------===//

void countdown_incremented_in_task() {
  app::Countdown pending;
  std::thread t([&] {
    pending.Increment();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pending.Increment()' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    work();
    pending.Decrement();
  });
  pending.Await();
  t.join();
}

void countdown_skipped_by_early_return() {
  app::Countdown pending;
  pending.Increment();
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'pending.Decrement()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    pending.Decrement();
  });
  pending.Await();
  t.join();
}

void countdown_awaited_in_task() {
  app::Countdown pending;
  pending.Increment();
  std::thread t([&] {
    pending.Await();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pending.Await()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    pending.Decrement();
  });
  pending.Await();
  t.join();
}

//===----------------------------------------------------------------------===//
// SpawnFunctions: ::app::run_later.
//===----------------------------------------------------------------------===//

void add_in_task_run_later() {
  WaitGroup wg;
  app::run_later([&] {
    wg.Add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.Add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    work();
    wg.Done();
  });
  wg.Wait();
}

void run_later_task_skips_done() {
  WaitGroup wg;
  wg.Add(1);
  app::run_later([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.Done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: task started here
    wg.Done();
  });
  wg.Wait();
}

void run_later_task_waits_on_own_group() {
  WaitGroup wg;
  wg.Add(1);
  app::run_later([&] {
    wg.Wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.Wait()' inside a task that the group counts: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    wg.Done();
  });
  wg.Wait();
}
