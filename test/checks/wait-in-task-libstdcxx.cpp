// RUN: %check_concheck %s concheck-wait-in-task %t -- -- -std=c++20 -I%runtime_include

// concheck-wait-in-task against the real libstdc++ headers and concheck's own
// runtime headers. The runtime reports this misuse when it happens; the check
// reports it before the program runs.

#include <concheck/wait_group.h>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

void work();
void work_on(int item);

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

void wait_for(concheck::wait_group &g) { g.wait(); }

void wait_through_helper() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    wait_for(wg);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'wait_for' waits on a group that counts this task: the task waits for itself (deadlock) [concheck-wait-in-task]
    // CHECK-MESSAGES: :[[@LINE-8]]:42: note: 'g.wait()' waits here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    wg.done();
  });
  wg.wait();
  t.join();
}

// Silent: a child group, a wait after done, a latch used as a barrier.
void silent_tasks(int n) {
  concheck::wait_group wg;
  std::latch start(n);
  std::vector<std::jthread> threads;
  wg.add(n);
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&wg, &start, i] {
      concheck::done_guard guard(wg);
      start.arrive_and_wait();
      concheck::wait_group children;
      children.go([i] { work_on(i); });
      wait_for(children);
    });
  wg.add(1);
  std::thread t([&] {
    wg.done();
    wg.wait();
  });
  t.join();
  threads.clear();
}
