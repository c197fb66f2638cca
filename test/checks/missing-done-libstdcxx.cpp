// RUN: %check_concheck %s concheck-missing-done %t -- -- -std=c++20 -I%runtime_include

// concheck-missing-done against the real libstdc++ headers and concheck's own
// runtime headers: the runtime's done_guard, go() (whose thread calls done
// itself) and std::latch as the library defines them.

#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>
#include <cstdlib>
#include <functional>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

void work();
bool work_on(int item);
bool should_stop();

void early_return_skips_done() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    wg.done();
  });
  wg.wait();
  t.join();
}

void throw_skips_done(concheck::worker_pool &pool) {
  concheck::wait_group wg;
  wg.add(1);
  pool.submit([&] {
    if (!work_on(1))
      throw std::runtime_error("failed");
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'throw' leaves the task without calling 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: task started here
    wg.done();
  });
  wg.wait();
}

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

void latch_count_down_skipped(std::latch &finished) {
  std::jthread t([&] {
    if (should_stop())
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' leaves the task without calling 'finished.count_down()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-4]]:16: note: task started here
    finished.count_down();
  });
}

void task_never_calls_done(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread(work_on, i).detach();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task never calls 'wg.done()' [concheck-missing-done]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'wg.add(1)' counts it
  }
  wg.wait();
}

// Silent: the runtime's guard, abort, go without done.
void worker(int item, concheck::wait_group &wg) {
  concheck::done_guard guard(wg);
  if (!work_on(item))
    throw std::runtime_error("failed");
  if (should_stop())
    return;
  work();
}

void silent_tasks(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread(worker, i, std::ref(wg)).detach();
  }
  wg.add(1);
  std::thread t([&] {
    if (!work_on(0))
      std::abort();
    wg.done();
  });
  wg.go([] {
    if (should_stop())
      return;
    work();
  });
  wg.wait();
  t.join();
}
