// RUN: %check_concheck %s concheck-add-in-task %t -- -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std

// concheck-add-in-task against the mock headers: a task that calls its
// group's done() while the add() that balances it runs inside the task, so
// that wait() can see a zero counter and return before the task has started.
// Any statement of the task counts, not only the first (go vet's limit). A
// task already counted when it starts (by go() or by an add() just before its
// spawn) may add for the children it starts.

#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>
#include <functional>
#include <future>
#include <pthread.h>
#include <thread>
#include <utility>
#include <vector>

void work();
void work_on(int item);
bool should_stop();

//===----------------------------------------------------------------------===//
// Where the add is in the task.
//===----------------------------------------------------------------------===//

void add_is_first_statement_of_task() {
  concheck::wait_group wg;
  std::thread t([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}
// The fix moves the add before the statement that starts the task.
// CHECK-FIXES: void add_is_first_statement_of_task() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  wg.add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t([&] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}    //{{$}}

// go vet looks only at the first statement; any statement counts here. No
// fix: what runs before the add would then run after it.
void add_is_later_statement_of_task() {
  concheck::wait_group wg;
  std::thread t([&] {
    work();
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}
// CHECK-FIXES: void add_is_later_statement_of_task() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t([&] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}    work();{{$}}
// CHECK-FIXES-NEXT: {{^}}    wg.add(1);{{$}}

// The add after a branch of the task: still inside it.
void add_after_branch_in_task() {
  concheck::wait_group wg;
  std::thread t([&] {
    if (should_stop())
      work();
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    wg.done();
  });
  wg.wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// The group through a pointer or a reference.
//===----------------------------------------------------------------------===//

// A pointer local captured by value: the same group. The fix keeps the
// spelling, which names the group in the spawner too.
void add_through_captured_pointer() {
  concheck::wait_group wg;
  auto *p = &wg;
  std::thread t([p] {
    p->add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p->add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    p->done();
  });
  wg.wait();
  t.join();
}
// CHECK-FIXES: void add_through_captured_pointer() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  auto *p = &wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  p->add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t([p] {{[{]}}{{$}}

// An init-capture: 'p' does not exist in the spawner, so no fix.
void add_through_init_captured_pointer() {
  concheck::wait_group wg;
  std::thread t([p = &wg] {
    p->add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p->add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    p->done();
  });
  wg.wait();
  t.join();
}
// CHECK-FIXES: void add_through_init_captured_pointer() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t([p = &wg] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}    p->add(1);{{$}}

// A task function taking the group by pointer: reported in the function, with
// the note at the spawn naming the group as the spawner does. No fix: the add
// is in another function.
void worker_adds_through_pointer(concheck::wait_group *g) {
  g->add(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'g->add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
  // CHECK-MESSAGES: :[[@LINE+10]]:15: note: task started here
  // CHECK-MESSAGES: :[[@LINE+9]]:15: note: 'wg.go(...)' counts the task and starts it in one call
  work();
  g->done();
}
// CHECK-FIXES: void worker_adds_through_pointer(concheck::wait_group *g) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  g->add(1);{{$}}

void spawn_worker_with_group_pointer() {
  concheck::wait_group wg;
  std::thread t(worker_adds_through_pointer, &wg);
  wg.wait();
  t.join();
}

void worker_adds_through_reference(int item, concheck::wait_group &g) {
  g.add(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'g.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
  // CHECK-MESSAGES: :[[@LINE+9]]:5: note: task started here
  // CHECK-MESSAGES: :[[@LINE+8]]:5: note: 'wg.go(...)' counts the task and starts it in one call
  work_on(item);
  g.done();
}

void spawn_worker_with_std_ref(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    std::thread(worker_adds_through_reference, i, std::ref(wg)).detach();
  }
  wg.wait();
}

// A lambda parameter is not the spawner's name for the group: no fix.
void add_through_lambda_pointer_parameter() {
  concheck::wait_group wg;
  std::thread t(
      [](concheck::wait_group *g) {
        g->add(1);
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'g->add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
        // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
        // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'wg.go(...)' counts the task and starts it in one call
        work();
        g->done();
      },
      &wg);
  wg.wait();
  t.join();
}
// CHECK-FIXES: void add_through_lambda_pointer_parameter() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t({{$}}
// CHECK-FIXES-NEXT: {{^}}      [](concheck::wait_group *g) {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}        g->add(1);{{$}}

// The spawner's own parameter, captured by value: the add moves.
void add_through_spawner_pointer_parameter(concheck::wait_group *group) {
  std::thread([group] {
    group->add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'group->add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'group->go(...)' counts the task and starts it in one call
    work();
    group->done();
  }).detach();
}
// CHECK-FIXES: void add_through_spawner_pointer_parameter(concheck::wait_group *group) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  group->add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread([group] {{[{]}}{{$}}

//===----------------------------------------------------------------------===//
// Counted before it starts: silent.
//===----------------------------------------------------------------------===//

void add_before_spawn() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread t([&] {
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}

void add_before_loop_that_spawns(int n) {
  concheck::wait_group wg;
  wg.add(n);
  for (int i = 0; i < n; ++i)
    std::thread([&wg, i] {
      work_on(i);
      wg.done();
    }).detach();
  wg.wait();
}

void add_in_loop_before_spawn(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    std::thread([&wg, i] {
      work_on(i);
      wg.done();
    }).detach();
  }
  wg.wait();
}

void go_counts_the_task() {
  concheck::wait_group wg;
  wg.go([] { work(); });
  wg.wait();
}

// Nested fan-out: the parent is counted by the add before its spawn and adds
// for the children it starts, as Go allows.
void parent_counted_by_paired_add_adds_for_children(int n) {
  concheck::wait_group wg;
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

// The same with the parent started by go().
void parent_counted_by_go_adds_for_children(int n) {
  concheck::wait_group wg;
  wg.go([&] {
    for (int i = 0; i < n; ++i) {
      wg.add(1);
      std::thread([&wg, i] {
        work_on(i);
        wg.done();
      }).detach();
    }
  });
  wg.wait();
}

// A task counted by its paired add that adds and finishes one more unit of
// work of its own: the adds and dones balance.
void counted_task_adds_in_balance() {
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

// The task adds on one group and finishes on another.
void done_on_a_different_group() {
  concheck::wait_group started, finished;
  std::thread t([&] {
    started.add(1);
    work();
    finished.done();
  });
  finished.wait();
  t.join();
}

// A child group of the task's own: its adds are for its children.
void task_adds_on_its_own_child_group(int n) {
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

//===----------------------------------------------------------------------===//
// An add that belongs to another spawn does not count this one.
//===----------------------------------------------------------------------===//

void earlier_add_belongs_to_earlier_spawn() {
  concheck::wait_group wg;
  wg.add(1);
  std::thread first([&] {
    work();
    wg.done();
  });
  std::thread second([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
  first.join();
  second.join();
}

//===----------------------------------------------------------------------===//
// Every way to start a task.
//===----------------------------------------------------------------------===//

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

void add_in_async_task_default_policy() {
  concheck::wait_group wg;
  auto result = std::async([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:17: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
}

// A deferred task runs on the caller's thread, in get(): no concurrency.
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

void *routine_adds_itself(void *arg) {
  auto *g = static_cast<concheck::wait_group *>(arg);
  g->add(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'g->add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
  // CHECK-MESSAGES: :[[@LINE+10]]:3: note: task started here
  // CHECK-MESSAGES: :[[@LINE+9]]:3: note: 'wg.go(...)' counts the task and starts it in one call
  work();
  g->done();
  return nullptr;
}

void add_in_pthread_routine() {
  concheck::wait_group wg;
  pthread_t tid;
  pthread_create(&tid, nullptr, routine_adds_itself, &wg);
  wg.wait();
  pthread_join(tid, nullptr);
}

void add_in_emplaced_thread(int n) {
  concheck::wait_group wg;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&wg, i] {
      wg.add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'wg.go(...)' counts the task and starts it in one call
      work_on(i);
      wg.done();
    });
  }
  wg.wait();
  for (std::thread &t : threads)
    t.join();
}
// Inside a braced loop body the add moves into the loop, before the spawn.
// CHECK-FIXES: void add_in_emplaced_thread(int n) {{[{]}}
// CHECK-FIXES: {{^}}  for (int i = 0; i < n; ++i) {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}    wg.add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}    threads.emplace_back([&wg, i] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}      //{{$}}

// An unbraced loop body: a statement inserted before the spawn would leave the
// loop, so no fix.
void add_in_task_of_unbraced_loop(int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i)
    std::thread([&wg, i] {
      wg.add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'wg.go(...)' counts the task and starts it in one call
      work_on(i);
      wg.done();
    }).detach();
  wg.wait();
}
// CHECK-FIXES: void add_in_task_of_unbraced_loop(int n) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < n; ++i){{$}}
// CHECK-FIXES-NEXT: {{^}}    std::thread([&wg, i] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}      wg.add(1);{{$}}

// A wrapper defined in this file that hands its argument to std::thread.
template <class F> void spawn(F &&f) { std::thread(std::forward<F>(f)).detach(); }

void add_in_task_of_local_wrapper() {
  concheck::wait_group wg;
  spawn([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
}

void add_before_local_wrapper() {
  concheck::wait_group wg;
  wg.add(1);
  spawn([&] {
    work();
    wg.done();
  });
  wg.wait();
}

// A lambda stored first and started later.
void add_in_stored_lambda_task() {
  concheck::wait_group wg;
  auto task = [&] {
    work();
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE+4]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE+3]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    wg.done();
  };
  std::thread t(task);
  wg.wait();
  t.join();
}

// Stored first, the lambda may run elsewhere too: no fix.
void add_first_in_stored_lambda_task() {
  concheck::wait_group wg;
  auto task = [&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE+5]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE+4]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  };
  std::thread t(task);
  wg.wait();
  t.join();
}
// CHECK-FIXES: void add_first_in_stored_lambda_task() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  auto task = [&] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}    wg.add(1);{{$}}

//===----------------------------------------------------------------------===//
// A WaitGroup ported from Go (Add/Done/Wait): no go() to suggest.
//===----------------------------------------------------------------------===//

class WaitGroup {
public:
  void Add(int delta);
  void Done();
  void Wait();
};

void go_port_adds_in_task() {
  WaitGroup wg;
  std::thread t([&] {
    wg.Add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.Add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    work();
    wg.Done();
  });
  wg.Wait();
  t.join();
}
// CHECK-FIXES: void go_port_adds_in_task() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  WaitGroup wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  wg.Add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t([&] {{[{]}}{{$}}

void go_port_adds_before_spawn() {
  WaitGroup wg;
  wg.Add(1);
  std::thread t([&] {
    work();
    wg.Done();
  });
  wg.Wait();
  t.join();
}

//===----------------------------------------------------------------------===//
// Members, aliases, templates and macros.
//===----------------------------------------------------------------------===//

class Server {
public:
  void handle_async() {
    std::thread([this] {
      wg_.add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'wg_.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'wg_.go(...)' counts the task and starts it in one call
      work();
      wg_.done();
    }).detach();
  }
  void shutdown() { wg_.wait(); }

private:
  concheck::wait_group wg_;
};

// A member function started on 'this': counted by the add before its spawn,
// it adds for each child it starts. Silent.
class Crawler {
public:
  void start() {
    wg_.add(1);
    loop_ = std::thread(&Crawler::loop, this);
  }
  void stop() {
    wg_.wait();
    loop_.join();
  }

private:
  void loop() {
    while (!should_stop()) {
      wg_.add(1);
      std::thread([this] {
        work();
        wg_.done();
      }).detach();
    }
    wg_.done();
  }

  concheck::wait_group wg_;
  std::thread loop_;
};

using Group = concheck::wait_group;

void add_on_aliased_group() {
  Group wg;
  std::thread t([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
  t.join();
}

// Reported once, not once per instantiation.
template <class Item> void process_all(const Item *items, int n) {
  concheck::wait_group wg;
  for (int i = 0; i < n; ++i) {
    std::thread([&wg, item = items[i]] {
      wg.add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'wg.go(...)' counts the task and starts it in one call
      work_on(static_cast<int>(item));
      wg.done();
    }).detach();
  }
  wg.wait();
}

void process_ints_and_longs(const int *ints, const long *longs, int n) {
  process_all(ints, n);
  process_all(longs, n);
}

// A spawn written through a macro: reported, but the fix would edit the
// macro's expansion, so there is none.
#define START_DETACHED(task) std::thread(task).detach()

void add_in_task_started_by_macro() {
  concheck::wait_group wg;
  START_DETACHED([&] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'wg.go(...)' counts the task and starts it in one call
    work();
    wg.done();
  });
  wg.wait();
}
// CHECK-FIXES: void add_in_task_started_by_macro() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  concheck::wait_group wg;{{$}}
// CHECK-FIXES-NEXT: {{^}}  START_DETACHED([&] {{[{]}}{{$}}
// CHECK-FIXES-NEXT: {{^}}    wg.add(1);{{$}}

//===----------------------------------------------------------------------===//
// A group the task declares itself counts its children, not the task.
//===----------------------------------------------------------------------===//

void task_adds_on_its_own_inner_group(int n) {
  concheck::wait_group outer;
  outer.add(1);
  std::thread t([&] {
    concheck::wait_group inner;
    for (int i = 0; i < n; ++i) {
      inner.add(1);
      std::thread child([&inner] {
        work();
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
