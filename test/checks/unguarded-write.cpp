// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std

// concheck-unguarded-write against the mock headers: a location written by a
// spawned task and accessed concurrently (by another run of the task, by the
// spawner before the join, or by another task) with no common lock and no
// atomic type. Every must-catch and must-stay-silent case of the issue, one
// construct per case, then the tricky ones: aliases through pointers and
// std::ref, lock modes, locks on some paths, message passing, joins that end
// a scope, and the loop that respawns before the last run is joined.

#include <atomic>
#include <concheck/channel.h>
#include <concheck/guarded.h>
#include <concheck/wait_group.h>
#include <functional>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <pthread.h>
#include <semaphore>
#include <shared_mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

int compute(int);
void use(int);
bool should_lock();
bool always_true(); // defined elsewhere: the analysis cannot see it

//===----------------------------------------------------------------------===//
// Must catch: the list.
//===----------------------------------------------------------------------===//

// The seed's race: counter++ from a thousand tasks.
int counter_from_many_tasks() {
  concheck::wait_group wg;
  int counter = 0;
  for (int i = 0; i < 1000; ++i)
    wg.go([&] { counter++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'counter': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
  return counter;
}

int task_writes_spawner_reads_before_join() {
  int result = 0;
  std::thread worker([&] { result = compute(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  use(result);
  worker.join();
  return result;
}

int stored_lambda_spawned_in_loop() {
  int total = 0;
  auto add = [&] { total += compute(2); };
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'total': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:5: note: task started here
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(add);
  for (std::thread &t : threads)
    t.join();
  return total;
}

template <class F> void submit_detached(F &&f) {
  std::thread(std::forward<F>(f)).detach();
}

int submitted_jobs;
void lambda_through_submit_wrapper() {
  for (int i = 0; i < 4; ++i)
    submit_detached([] { ++submitted_jobs; });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'submitted_jobs': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
}

class TwoRunsOfMember {
public:
  void bump() { hits_ += 1; }
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'hits_': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:17: note: task started here
  int run_twice() {
    std::thread first(&TwoRunsOfMember::bump, this);
    std::thread second(&TwoRunsOfMember::bump, this);
    first.join();
    second.join();
    return hits_;
  }

private:
  int hits_ = 0;
};

int write_under_lock_read_outside() {
  std::mutex mu;
  int value = 0;
  std::thread writer([&] {
    std::lock_guard<std::mutex> lock(mu);
    value = compute(3);
  });
  use(value);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'value': read here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  writer.join();
  return value;
}

int unique_lock_unlocked_before_write() {
  std::mutex mu;
  int value = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] {
      std::unique_lock<std::mutex> lock(mu);
      lock.unlock();
      value += 1;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'value': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: task started here
    });
  wg.wait();
  return value;
}

int two_different_mutexes() {
  std::mutex first_mu, second_mu;
  int value = 0;
  std::thread first([&] {
    std::lock_guard<std::mutex> lock(first_mu);
    value += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'value': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+5]]:5: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
  });
  std::thread second([&] {
    std::lock_guard<std::mutex> lock(second_mu);
    value += 2;
  });
  first.join();
  second.join();
  return value;
}

void push_back_from_many_tasks() {
  std::vector<int> out;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&out, i] { out.push_back(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: data race on 'out': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
}

int global_status;
int main() {
  std::thread worker([] { global_status = compute(4); });
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'global_status': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:14: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  int seen = global_status;
  worker.join();
  return seen;
}

//===----------------------------------------------------------------------===//
// Must catch: aliases, lock modes, paths, loops, scopes.
//===----------------------------------------------------------------------===//

int pointer_captured_by_value() {
  int total = 0;
  auto *p = &total;
  std::thread worker([p] { ++*p; });
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: data race on '*p': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:30: note: the task copied the pointer 'p', not what it points to: that is shared
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
  use(total);
  worker.join();
  return total;
}

void add_one(int &n) { ++n; }
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+5]]:7: note: concurrent read here
// CHECK-MESSAGES: :[[@LINE+3]]:15: note: task started here
int std_ref_argument_to_task_function() {
  int total = 0;
  std::thread worker(add_one, std::ref(total));
  use(total);
  worker.join();
  return total;
}

int lock_in_one_task_only() {
  std::mutex mu;
  int value = 0;
  std::thread guarded_writer([&] {
    std::lock_guard<std::mutex> lock(mu);
    value += 1;
  });
  std::thread bare_writer([&] { value += 2; });
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: data race on 'value': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  guarded_writer.join();
  bare_writer.join();
  return value;
}

int shared_lock_on_both_writing_sides() {
  std::shared_mutex mu;
  int value = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] {
      std::shared_lock<std::shared_mutex> lock(mu);
      value += 1;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'value': written in a task while another run of the same task writes it, with 'mu' held only in shared mode [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: task started here
    });
  wg.wait();
  return value;
}

int lock_held_on_some_paths_only() {
  std::mutex mu;
  int value = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] {
      std::unique_lock<std::mutex> lock(mu, std::defer_lock);
      if (should_lock())
        lock.lock();
      value += 1;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'value': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE-6]]:5: note: task started here
    });
  wg.wait();
  return value;
}

int write_before_spawn_in_loop_body() {
  int job = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    job = compute(i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'job': written here while a task reads it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:36: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE+1]]:5: note: task started here in the previous iteration, which may still be running
    threads.emplace_back([&] { use(job); });
  }
  for (std::thread &t : threads)
    t.join();
  return job;
}

int jthread_read_inside_its_scope() {
  int result = 0;
  {
    std::jthread worker([&] { result = compute(5); });
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:18: note: task started here
    use(result);
  }
  return result;
}

int detached_progress;
void detached_thread_then_read() {
  std::thread([] { detached_progress = compute(6); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'detached_progress': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  use(detached_progress);
}

void detached_thread_other_thread_joined() {
  std::thread([] { detached_progress = compute(7); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'detached_progress': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+4]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  std::thread other([] { use(compute(8)); });
  other.join();
  use(detached_progress);
}

void map_subscript_from_two_tasks() {
  std::map<int, int> counts;
  std::thread first([&] { counts[1] = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'counts': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:28: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  std::thread second([&] { counts[2] = 2; });
  first.join();
  second.join();
}

class MemberTaskPeeked {
public:
  void advance() { steps_ += 1; }
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'steps_': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+4]]:16: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+2]]:17: note: task started here
  int start_and_peek() {
    std::thread worker(&MemberTaskPeeked::advance, this);
    int seen = steps_;
    worker.join();
    return seen;
  }

private:
  int steps_ = 0;
};

class CapturedThisPeeked {
public:
  int start_and_peek() {
    std::thread worker([this] { steps_ += 1; });
    // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: data race on 'steps_': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:16: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:17: note: task started here
    int seen = steps_;
    worker.join();
    return seen;
  }

private:
  int steps_ = 0;
};

int latch_of_another_task() {
  int result = 0;
  std::latch ready(1), unrelated(1);
  std::thread worker([&] {
    result = compute(9);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+5]]:7: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    ready.count_down();
  });
  unrelated.wait();
  use(result);
  worker.join();
  return result;
}

int atomic_flag_of_another_task() {
  int result = 0;
  std::atomic<bool> ready{false}, unrelated{false};
  std::thread worker([&] {
    result = compute(9);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    ready.store(true);
  });
  while (!unrelated.load()) {
  }
  use(result);
  worker.join();
  return result;
}

int slot_read_by_spawner_before_wait() {
  std::vector<int> slots(4);
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&slots, i] { slots[i] = compute(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'slots': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  use(slots[0]);
  wg.wait();
  return slots[0];
}

void slot_read_by_spawner_after_spawn() {
  std::vector<int> slots(4);
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i) {
    wg.go([&slots, i] { slots[i] = compute(i); });
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'slots': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
    use(slots[i]);
  }
  wg.wait();
}

void slot_index_copied_from_loop_invariant() {
  std::vector<int> slots(4);
  concheck::wait_group wg;
  int slot = 0;
  for (int i = 0; i < 4; ++i)
    wg.go([&slots, slot] { slots[slot] = compute(slot); });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'slots': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
}

void fill_first_slot(std::vector<int> &slots, int i) { slots[i] = compute(i); }
// CHECK-MESSAGES: :[[@LINE-1]]:56: warning: data race on 'slots': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+5]]:5: note: task started here
void slot_index_is_a_constant_argument() {
  std::vector<int> slots(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(fill_first_slot, std::ref(slots), 0);
  for (std::thread &t : threads)
    t.join();
}

void fill_shared_slot(std::vector<int> &slots, const int &i) {
  slots[i] = compute(i);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'slots': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: task started here
}
void slot_index_passed_by_std_cref() {
  std::vector<int> slots(4);
  std::vector<std::thread> threads;
  int slot = 0;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(fill_shared_slot, std::ref(slots), std::cref(slot));
  for (std::thread &t : threads)
    t.join();
}

int array_slot_and_constant_element() {
  int cells[4] = {};
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&cells, i] { cells[i] = compute(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'cells[i]': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:20: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  wg.go([&cells] { cells[0] = compute(0); });
  wg.wait();
  return cells[0];
}

void *bump_routine(void *arg) {
  ++*static_cast<int *>(arg);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on '*static_cast<int *>(arg)': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+8]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: task started here
  return nullptr;
}
int pthread_argument_through_cast() {
  int total = 0;
  pthread_t thread;
  pthread_create(&thread, nullptr, bump_routine, &total);
  use(total);
  pthread_join(thread, nullptr);
  return total;
}

int group_task_then_unrelated_thread_joined() {
  int result = 0;
  concheck::wait_group wg;
  wg.go([&] { result = compute(10); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+4]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  std::thread other([] { use(compute(11)); });
  other.join();
  use(result);
  wg.wait();
  return result;
}

// The shape of gtest's EXPECT_NO_THROW(wg.wait()): the wait runs only when a
// function the analysis cannot see returns true. The path that skips it is
// a path, so the read after it races.
int join_behind_opaque_condition() {
  int result = 0;
  concheck::wait_group wg;
  wg.go([&] { result = compute(12); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+4]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  if (always_true())
    wg.wait();
  use(result);
  return result;
}

int pointer_to_one_element_for_every_run() {
  int cells[4] = {};
  concheck::wait_group wg;
  int first = 0;
  for (int i = 0; i < 4; ++i)
    wg.go([cell = &cells[first], i] { *cell = compute(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: data race on '*cell': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
  return cells[0];
}

#define INCREMENT(x) ++(x)
int write_in_macro_argument() {
  int counter = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { INCREMENT(counter); });
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'counter': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
  return counter;
}

// A spawner template: one report, however many instantiations.
template <class T> T template_spawner() {
  T total{};
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { total += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'total': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
  return total;
}
template int template_spawner<int>();
template long template_spawner<long>();

//===----------------------------------------------------------------------===//
// Must stay silent: the list.
//===----------------------------------------------------------------------===//

int fork_join() {
  int result = 0;
  std::thread worker([&] { result = compute(10); });
  worker.join();
  return result;
}

int write_before_spawn() {
  int config = compute(11);
  std::thread worker([&] { use(config); });
  worker.join();
  return config;
}

int per_task_slots_captured_by_copy() {
  std::vector<int> slots(4);
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&slots, i] { slots[i] = compute(i); });
  wg.wait();
  return slots[0];
}

void fill_slot(std::vector<int> &slots, int i) { slots[i] = compute(i); }
int per_task_slots_by_thread_argument() {
  std::vector<int> slots(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(fill_slot, std::ref(slots), i);
  for (std::thread &t : threads)
    t.join();
  return slots[0];
}

int only_the_task_touches_it() {
  int mine = 0;
  std::thread worker([&] { mine = compute(12); });
  worker.join();
  return mine;
}

int copy_capture() {
  int value = 0;
  std::thread worker([value]() mutable { value = compute(13); });
  value = 1;
  worker.join();
  return value;
}

class CopyOfThis {
public:
  int run() {
    std::thread worker([*this]() mutable { steps_ = compute(14); });
    steps_ = 1;
    worker.join();
    return steps_;
  }

private:
  int steps_ = 0;
};

int deferred_async_runs_in_get() {
  int value = 0;
  auto result = std::async(std::launch::deferred, [&] { value = 1; });
  value = 2;
  result.get();
  return value;
}

int same_mutex_different_guard_kinds() {
  std::shared_mutex mu;
  int value = 0;
  std::thread first([&] {
    std::unique_lock<std::shared_mutex> lock(mu);
    value += 1;
  });
  std::thread second([&] {
    std::scoped_lock lock(mu);
    value += 2;
  });
  std::thread third([&] {
    mu.lock();
    value += 3;
    mu.unlock();
  });
  first.join();
  second.join();
  third.join();
  return value;
}

thread_local int per_thread_scratch;
void thread_local_is_per_thread() {
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([] { per_thread_scratch = compute(15); });
  wg.wait();
}

void task_local_variables() {
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([] {
      int local = compute(16);
      local += 1;
      use(local);
    });
  wg.wait();
}

int reads_only() {
  int limit = compute(17);
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { use(limit); });
  use(limit);
  wg.wait();
  return limit;
}

int guarded_value() {
  concheck::guarded<std::map<int, int>> cache;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&cache, i] { cache.with_lock([i](auto &m) { m[i] = i; }); });
  wg.wait();
  return cache.with_lock([](auto &m) { return static_cast<int>(m.size()); });
}

//===----------------------------------------------------------------------===//
// Must stay silent: lock modes, hand-offs, scopes, slots.
//===----------------------------------------------------------------------===//

int scoped_lock_two_mutexes_on_both_sides() {
  std::mutex accounts_mu, log_mu;
  int balance = 0;
  std::thread deposit([&] {
    std::scoped_lock lock(accounts_mu, log_mu);
    balance += 1;
  });
  std::thread withdraw([&] {
    std::scoped_lock lock(log_mu, accounts_mu);
    balance -= 1;
  });
  deposit.join();
  withdraw.join();
  return balance;
}

int shared_lock_reader_unique_lock_writer() {
  std::shared_mutex mu;
  int config = 0;
  std::thread writer([&] {
    std::unique_lock<std::shared_mutex> lock(mu);
    config = compute(18);
  });
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    use(config);
  }
  writer.join();
  return config;
}

int try_lock_success_path_guards_write() {
  std::mutex mu;
  int value = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] {
      if (mu.try_lock()) {
        value += 1;
        mu.unlock();
      }
    });
  wg.wait();
  return value;
}

int write_before_spawn_joined_in_same_iteration() {
  int job = 0;
  for (int i = 0; i < 4; ++i) {
    job = compute(i);
    std::thread worker([&] { use(job); });
    worker.join();
  }
  return job;
}

int jthread_scope_end_joins() {
  int result = 0;
  {
    std::jthread worker([&] { result = compute(19); });
  }
  return result;
}

int latch_hand_off() {
  int result = 0;
  std::latch ready(1);
  std::thread worker([&] {
    result = compute(20);
    ready.count_down();
  });
  ready.wait();
  use(result);
  worker.join();
  return result;
}

int channel_hand_off() {
  int result = 0;
  concheck::channel<int> done;
  std::thread worker([&] {
    result = compute(21);
    done.send(1);
  });
  done.receive();
  use(result);
  worker.join();
  return result;
}

int semaphore_hand_off() {
  int result = 0;
  std::binary_semaphore ready(0);
  std::thread worker([&] {
    result = compute(22);
    ready.release();
  });
  ready.acquire();
  use(result);
  worker.join();
  return result;
}

int atomic_flag_hand_off() {
  int result = 0;
  std::atomic_flag ready;
  std::thread worker([&] {
    result = compute(23);
    ready.test_and_set();
    ready.notify_one();
  });
  ready.wait(false);
  use(result);
  worker.join();
  return result;
}

int atomic_bool_hand_off() {
  int result = 0;
  std::atomic<bool> ready{false};
  std::thread worker([&] {
    result = compute(24);
    ready.store(true);
  });
  while (!ready.load()) {
  }
  use(result);
  worker.join();
  return result;
}

int vector_elements_with_distinct_indices() {
  std::vector<int> slots(2);
  std::thread first([&] { slots[0] = compute(25); });
  std::thread second([&] { slots[1] = compute(26); });
  first.join();
  second.join();
  return slots[0] + slots[1];
}

int atomic_ref_increments() {
  int hits = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { std::atomic_ref<int>(hits).fetch_add(1); });
  wg.wait();
  return hits;
}

int atomic_counter() {
  std::atomic<int> hits{0};
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { hits++; });
  wg.wait();
  return hits;
}

using Guard = std::lock_guard<std::mutex>;
int guard_through_alias() {
  std::mutex mu;
  int value = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] {
      Guard lock(mu);
      value += 1;
    });
  wg.wait();
  return value;
}

int wait_group_orders_the_read() {
  int result = 0;
  concheck::wait_group wg;
  wg.go([&] { result = compute(27); });
  wg.wait();
  return result;
}

int future_get_orders_the_read() {
  int result = 0;
  auto done = std::async(std::launch::async, [&] { result = compute(28); });
  done.get();
  return result;
}

int slot_written_by_spawner_before_its_spawn() {
  std::vector<int> slots(4);
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i) {
    slots[i] = compute(i); // the runs before this one have other slots
    wg.go([&slots, i] { slots[i] += 1; });
  }
  wg.wait();
  return slots[0];
}

int slots_outside_the_counted_range() {
  std::vector<int> slots(3);
  concheck::wait_group wg;
  for (int i = 0; i < 2; ++i)
    wg.go([&slots, i] { slots[i] = compute(i); });
  std::thread last([&] { slots[2] = compute(2); });
  wg.wait();
  last.join();
  return slots[0];
}

void store_result(int *out, int i) { *out = compute(i); }
int pointer_to_slot_as_thread_argument() {
  int cells[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(store_result, &cells[i], i);
  for (std::thread &t : threads)
    t.join();
  return cells[0];
}

int pointer_local_to_slot_captured_by_copy() {
  int cells[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    int *cell = &cells[i];
    threads.emplace_back([cell] { *cell = compute(0); });
  }
  for (std::thread &t : threads)
    t.join();
  return cells[0];
}

int size_read_while_tasks_write_elements() {
  std::vector<int> slots(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < static_cast<int>(slots.size()); ++i)
    threads.emplace_back([&slots, i] { slots[i] = compute(i); });
  for (std::thread &t : threads)
    t.join();
  return slots[0];
}

// A loop body's local is a new object in every iteration: the runs do not
// share it.
void loop_body_local_is_new_each_iteration() {
  concheck::wait_group wg;
  for (int round = 0; round < 3; ++round) {
    int value = 0;
    wg.go([&] { value = compute(round); });
    wg.wait();
    use(value);
  }
}

int promise_future_hand_off() {
  int result = 0;
  std::promise<int> done;
  std::future<int> done_future = done.get_future();
  std::thread worker([&] {
    result = compute(29);
    done.set_value(1);
  });
  done_future.get();
  use(result);
  worker.join();
  return result;
}

// Copies of a stop_source share one stop state.
int stop_source_copy_hand_off() {
  int result = 0;
  std::stop_source source;
  std::stop_source observer = source;
  std::thread worker([&] {
    result = compute(30);
    source.request_stop();
  });
  while (!observer.stop_requested()) {
  }
  use(result);
  worker.join();
  return result;
}

int jthreads_in_a_vector_join_at_scope_end() {
  int result = 0;
  {
    std::vector<std::jthread> workers;
    workers.emplace_back([&] { result = compute(31); });
  }
  return result;
}

int futures_in_a_vector() {
  int result = 0;
  std::vector<std::future<void>> pending;
  pending.push_back(std::async(std::launch::async, [&] { result = 1; }));
  for (std::future<void> &f : pending)
    f.get();
  return result;
}

// The seed's fix with a detached thread: the group counts it, wait() joins.
int detached_thread_counted_by_group() {
  concheck::wait_group wg;
  std::mutex mu;
  int counter = 0;
  for (int i = 0; i < 4; ++i) {
    wg.add(1);
    std::thread([&] {
      concheck::done_guard done(wg);
      std::lock_guard<std::mutex> lock(mu);
      counter++;
    }).detach();
  }
  wg.wait();
  return counter;
}

// A slot claimed from an atomic counter (fetch_add, ++) is distinct in every
// run: the counter hands out each value once.
void slot_claimed_from_an_atomic_counter() {
  std::vector<int> slots(8);
  std::atomic<int> next{0};
  std::vector<std::jthread> workers;
  for (int w = 0; w < 2; ++w)
    workers.emplace_back([&] {
      const int i = next.fetch_add(1);
      slots[i] = compute(i);
    });
}

void slot_claimed_with_increment() {
  std::vector<int> slots(8);
  std::atomic<int> next{0};
  concheck::wait_group wg;
  for (int w = 0; w < 2; ++w)
    wg.go([&] {
      int i = next++;
      slots[i] = compute(i);
    });
  wg.wait();
}

// A worker's loop claiming one slot after another.
void slots_claimed_in_a_loop(int n) {
  std::vector<int> slots(n);
  std::atomic<int> next{0};
  concheck::wait_group wg;
  for (int w = 0; w < 2; ++w)
    wg.go([&] {
      for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1))
        slots[i] = compute(i);
    });
  wg.wait();
}

// The claimed value is changed before it is used: not a slot any more.
void claimed_slot_then_changed() {
  std::vector<int> slots(8);
  std::atomic<int> next{0};
  concheck::wait_group wg;
  for (int w = 0; w < 2; ++w)
    wg.go([&] {
      int i = next.fetch_add(1);
      i = 0;
      slots[i] = compute(i);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'slots': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    });
  wg.wait();
}

// A ticket handed to a function by non-const reference may come back changed.
void adjust(int &index);
void claimed_slot_passed_by_reference() {
  std::vector<int> slots(8);
  std::atomic<int> next{0};
  concheck::wait_group wg;
  for (int w = 0; w < 2; ++w)
    wg.go([&] {
      int i = next.fetch_add(1);
      adjust(i);
      slots[i] = compute(i);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'slots': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    });
  wg.wait();
}

// A plain load is no claim: two runs can read the same value.
void slot_index_loaded_not_claimed() {
  std::vector<int> slots(8);
  std::atomic<int> next{0};
  concheck::wait_group wg;
  for (int w = 0; w < 2; ++w)
    wg.go([&] {
      const int i = next.load();
      slots[i] = compute(i);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'slots': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    });
  wg.wait();
}

//===----------------------------------------------------------------------===//
// Through calls (more in unguarded-write-calls.cpp).
//===----------------------------------------------------------------------===//

void increment(int &n) { ++n; }
// CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'n': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
int write_inside_a_called_function() {
  int counter = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { increment(counter); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  wg.wait();
  return counter;
}

int write_in_a_nested_lambda() {
  int counter = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] {
      // A lambda called inside the task writes what the task captured.
      auto bump = [&] { ++counter; };
      // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'counter': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
      bump();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: note: called from the task here
    });
  // CHECK-MESSAGES: :[[@LINE-7]]:5: note: task started here
  wg.wait();
  return counter;
}

//===----------------------------------------------------------------------===//
// Per-run elements, atomics and joins as real code writes them.
//===----------------------------------------------------------------------===//

// `for (T &slot : v)` with [&slot]: each run writes the element of its own
// iteration, as results[i] with i by value does.
void range_for_reference_slots() {
  std::vector<int> results(8);
  std::vector<std::thread> threads;
  for (int &slot : results)
    threads.emplace_back([&slot] { slot = compute(1); });
  for (std::thread &t : threads)
    t.join();
}

// [slot] copies the element's value: the task writes its own copy.
void range_for_slot_captured_by_copy() {
  std::vector<int> results(8);
  concheck::wait_group wg;
  for (int &slot : results)
    wg.go([slot]() mutable { slot = compute(slot); });
  wg.wait();
}

// The spawner still writes the element the task writes: a race.
void range_for_slot_written_by_spawner_too() {
  int results[4] = {};
  std::vector<std::thread> threads;
  for (int &slot : results) {
    threads.emplace_back([&slot] { slot = compute(2); });
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'slot': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:5: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
    slot = 0;
  }
  for (std::thread &t : threads)
    t.join();
}

int pick();

// An element of a container of atomics is an atomic: `flags[i] = true` is
// a store, whatever i is.
void container_of_atomics_elements() {
  std::vector<std::atomic<bool>> flags(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&flags] { flags[pick()] = true; });
  for (std::thread &t : threads)
    t.join();
}

// The same with plain bools is a race.
void container_of_bools_elements() {
  std::vector<bool> flags(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&flags] { flags[pick()] = true; });
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: data race on 'flags': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  for (std::thread &t : threads)
    t.join();
}

int future_wait_orders_the_read() {
  int result = 0;
  std::future<void> done =
      std::async(std::launch::async, [&] { result = compute(40); });
  done.wait();
  return result;
}

// A shared_future made from the task's future is ready when the task is.
int shared_future_from_share_orders_the_read() {
  int result = 0;
  std::future<void> done =
      std::async(std::launch::async, [&] { result = compute(41); });
  std::shared_future<void> shared = done.share();
  shared.wait();
  return result;
}

// A loop until wait_for says ready leaves only when the task is done.
int wait_for_loop_until_ready_orders_the_read() {
  int result = 0;
  auto done = std::async(std::launch::async, [&] { result = compute(42); });
  while (done.wait_for(std::chrono::milliseconds(10)) !=
         std::future_status::ready)
    use(0);
  return result;
}

// A branch taken only when wait_until said ready.
void wait_until_ready_branch_orders_the_read() {
  int result = 0;
  auto done = std::async(std::launch::async, [&] { result = compute(43); });
  if (done.wait_until(std::chrono::steady_clock::now()) ==
      std::future_status::ready)
    use(result);
  done.get();
}

// Inside the loop the task may still run: the read races.
void read_while_waiting_for_ready() {
  int result = 0;
  auto done = std::async(std::launch::async, [&] { result = compute(44); });
  // CHECK-MESSAGES: :[[@LINE-1]]:52: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:9: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  while (done.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready)
    use(result);
}

// The spawner fills [3, 6) while the tasks fill their slots in [0, 3).
void spawner_fills_a_disjoint_range() {
  std::vector<int> slots(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&slots, i] { slots[i] = compute(i); });
  for (int j = 3; j < 6; ++j)
    slots[j] = compute(j);
  for (std::thread &t : threads)
    t.join();
}

// [2, 5) meets [0, 3) at 2: a race.
void spawner_fills_an_overlapping_range() {
  std::vector<int> slots(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&slots, i] { slots[i] = compute(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: data race on 'slots': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  for (int j = 2; j < 5; ++j)
    slots[j] = compute(j);
  for (std::thread &t : threads)
    t.join();
}

// Two spawn loops over [0, 3) and [3, 6): their per-run slots differ.
void two_spawn_loops_over_disjoint_ranges() {
  std::vector<int> slots(6);
  concheck::wait_group wg;
  for (int i = 0; i < 3; ++i)
    wg.go([&slots, i] { slots[i] = compute(i); });
  for (int i = 3; i < 6; ++i)
    wg.go([&slots, i] { slots[i] += 1; });
  wg.wait();
}

void fill_one(std::vector<int> &out) { out.push_back(compute(60)); }

// A counted loop of joins joins every thread: the reads after it are
// ordered, also on the path where the loop runs zero times.
int counted_join_loop_orders_the_reads() {
  std::vector<int> results[4];
  std::thread threads[4];
  for (int i = 0; i < 4; ++i)
    threads[i] = std::thread(fill_one, std::ref(results[i]));
  for (int i = 0; i < 4; ++i)
    threads[i].join();
  int total = 0;
  for (int i = 0; i < 4; ++i)
    total += results[i].back();
  return total;
}

// Read before the loop of joins: a race. The size of an element that is a
// container itself is that element's, which push_back changes.
int read_before_the_counted_join_loop() {
  std::vector<int> results[4];
  std::thread threads[4];
  for (int i = 0; i < 4; ++i)
    threads[i] = std::thread(fill_one, std::ref(results[i]));
  int total = static_cast<int>(results[0].size());
  // CHECK-MESSAGES: :[[@LINE-25]]:40: warning: data race on 'out': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:32: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: task started here
  for (int i = 0; i < 4; ++i)
    threads[i].join();
  return total;
}
