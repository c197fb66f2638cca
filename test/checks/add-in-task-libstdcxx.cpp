// RUN: %check_concheck %s concheck-add-in-task %t -- -- -std=c++20 -I%runtime_include

// concheck-add-in-task against the real libstdc++ headers and concheck's own
// runtime headers, which is what users compile: std::thread, std::jthread and
// std::async store the task in library templates, wait_group::go and
// worker_pool::submit start threads of their own in inline code. None of
// that may be reported, and the spawns must still be recognised.

#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>
#include <functional>
#include <future>
#include <thread>
#include <utility>
#include <vector>

void work();
void work_on(int item);

void add_in_thread_task() {
  concheck::wait_group wg;
  std::thread t([&] {
    work();
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    wg.done();
  });
  wg.wait();
  t.join();
}

void add_in_jthread_task() {
  concheck::wait_group wg;
  std::jthread t([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:16: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:16: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
}
// CHECK-FIXES: void add_in_jthread_task() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  wg.add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::jthread t([&] {{[{]}}{{$}}

void add_in_async_task() {
  concheck::wait_group wg;
  auto result = std::async(std::launch::async, [&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:17: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
}

void add_in_deferred_async_task() {
  concheck::wait_group wg;
  auto result = std::async(std::launch::deferred, [&] {
    wg.add(1);
    work();
    wg.done();
  });
  result.get();
  wg.wait();
}

void add_in_pool_task(concheck::worker_pool &pool) {
  concheck::wait_group wg;
  pool.submit([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
}

void worker_adds_through_reference(int item, concheck::wait_group &g) {
  g.add(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'g.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
  // CHECK-MESSAGES: :[[@LINE+10]]:5: note: task started here
  // CHECK-MESSAGES: :[[@LINE+9]]:5: note: 'wg.go(...)' counts the task and starts it in one call
  work_on(item);
  g.done();
}

void spawn_workers_into_vector(int n) {
  concheck::wait_group wg;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(worker_adds_through_reference, i, std::ref(wg));
  wg.wait();
  for (std::thread &t : threads)
    t.join();
}

// Silent: go, a paired add, nested fan-out.
void counted_tasks(int n) {
  concheck::wait_group wg;
  wg.go([] { work(); });
  wg.add(1);
  std::thread parent([&] {
    for (int i = 0; i < n; ++i) {
      wg.add(1);
      std::thread([&wg, i] {
        work_on(i);
        wg.done();
      }).detach();
    }
    wg.done();
  });
  wg.wait();
  parent.join();
}
