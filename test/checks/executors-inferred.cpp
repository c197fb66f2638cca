// RUN: %check_concheck %s concheck-unguarded-write,concheck-add-in-task %t -- -- -std=c++20 -I%runtime_include -isystem %S/../Inputs/pools

// Spawns and joins inferred from the bodies of the functions a project
// calls, with no option set: thread pools whose workers take queued
// callables (pools/queue_pool.h, pools/task_pool.h), helpers that hand a
// callable to a thread (pools/direct.h), the pool's wait() and destructor,
// and the futures the pools return. The headers are outside the main file,
// as a project's own pool would be. The negatives (pools/not_pools.h) store
// a callable and call it on the caller's own thread.

#include <atomic>
#include <concheck/wait_group.h>
#include <direct.h>
#include <not_pools.h>
#include <queue_pool.h>
#include <task_pool.h>
#include <trampoline_pool.h>

void use(int);

//===----------------------------------------------------------------------===//
// A queue pool: enqueue() hands the callable to the workers through a queue.
//===----------------------------------------------------------------------===//

int queue_pool_two_tasks() {
  pools::QueuePool pool(2);
  int hits = 0;
  auto a = pool.enqueue([&hits] { ++hits; });
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: data race on 'hits': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:37: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:12: note: task started here
  auto b = pool.enqueue([&hits] { ++hits; });
  a.get();
  b.get();
  return hits;
}

int queue_pool_read_before_get() {
  pools::QueuePool pool(2);
  int value = 0;
  auto f = pool.enqueue([&value] { value = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'value': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:12: note: task started here
  use(value);
  f.get();
  return value;
}

int queue_pool_read_after_get() {
  pools::QueuePool pool(2);
  int value = 0;
  auto f = pool.enqueue([&value](int v) { value = v; }, 42);
  f.get();
  return value;
}

int queue_pool_destroyed_before_read() {
  int value = 0;
  {
    pools::QueuePool pool(1);
    pool.enqueue([&value] { value = 7; });
  }
  return value;
}

//===----------------------------------------------------------------------===//
// A task pool: detach_task() queues, wait() waits for the queue to drain.
//===----------------------------------------------------------------------===//

int task_pool_loop(pools::TaskPool &pool) {
  int total = 0;
  for (int i = 0; i < 4; ++i)
    pool.detach_task([&total, i] { total += i; });
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'total': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  pool.wait();
  return total;
}

int task_pool_read_before_wait(pools::TaskPool &pool) {
  int value = 0;
  pool.detach_task([&value] { value = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'value': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  use(value);
  pool.wait();
  return value;
}

int task_pool_read_after_wait(pools::TaskPool &pool) {
  int value = 0;
  pool.detach_task([&value] { value = 1; });
  pool.wait();
  return value;
}

int task_pool_waits_for_something_else(pools::TaskPool &pool) {
  int value = 0;
  pool.detach_task([&value] { value = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'value': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  pool.wait_resumed();
  use(value);
  pool.wait();
  return value;
}

int task_pool_waits_on_another_pool(pools::TaskPool &pool,
                                    pools::TaskPool &other) {
  int value = 0;
  pool.detach_task([&value] { value = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'value': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  other.wait();
  use(value);
  pool.wait();
  return value;
}

int task_pool_submit_then_wait_future(pools::TaskPool &pool) {
  int value = 0;
  std::future<void> done = pool.submit_task([&value] { value = 1; });
  done.wait();
  return value;
}

int task_pool_submit_read_early(pools::TaskPool &pool) {
  int value = 0;
  std::future<void> done = pool.submit_task([&value] { value = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:56: warning: data race on 'value': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: task started here
  use(value);
  done.wait();
  return value;
}

void task_pool_add_inside(pools::TaskPool &pool) {
  concheck::wait_group wg;
  pool.detach_task([&wg] {
    wg.add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wg.add(1)' runs inside the task it counts, so 'wait()' can return before the task starts [concheck-add-in-task]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'wg.go(...)' counts the task and starts it in one call
    use(1);
    wg.done();
  });
  wg.wait();
}

//===----------------------------------------------------------------------===//
// Helpers that start the thread themselves.
//===----------------------------------------------------------------------===//

int detached_helper_loop() {
  int hits = 0;
  for (int i = 0; i < 3; ++i)
    pools::run_detached([&hits] { ++hits; });
    // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: data race on 'hits': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  return hits;
}

int async_helper_joined() {
  int value = 0;
  auto f = pools::run_async([&value] { value = 3; });
  f.get();
  return value;
}

int async_helper_two() {
  int value = 0;
  auto f = pools::run_async([&value] { value = 3; });
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: data race on 'value': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:40: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:12: note: task started here
  auto g = pools::run_async([&value] { value = 4; });
  f.get();
  g.get();
  return value;
}

//===----------------------------------------------------------------------===//
// Must stay silent: callables stored and called on the same thread.
//===----------------------------------------------------------------------===//

int callback_list_runs_here() {
  pools::CallbackList list;
  int hits = 0;
  list.add([&hits] { ++hits; });
  list.add([&hits] { ++hits; });
  list.run_all();
  return hits;
}

int logger_hooks_run_here(pools::Logger &log) {
  int flushed = 0;
  log.on_flush([&flushed] { ++flushed; });
  log.on_flush([&flushed] { ++flushed; });
  log.log("line");
  log.flush();
  return flushed;
}

int retried_here() {
  int tries = 0;
  pools::with_retry([&tries] { ++tries; }, 3);
  return tries;
}

//===----------------------------------------------------------------------===//
// One-shot claims: a write guarded by a successful claim of an atomic flag
// runs in one task at most (until the flag is reset), like a lock that is
// never released. A write beside it without the claim still races.
//===----------------------------------------------------------------------===//

class FirstError {
public:
  void set(int code) {
    bool expected = false;
    if (failed_.compare_exchange_strong(expected, true))
      code_ = code;
  }
  void set_unclaimed(int code) { code_ = code; }
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: data race on 'code_': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+21]]:3: note: called from the spawning function here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+18]]:29: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE+17]]:3: note: task started here
  int code() const { return code_; }

private:
  std::atomic<bool> failed_{false};
  int code_ = 0;
};

int first_error_wins(pools::TaskPool &pool, FirstError &err) {
  for (int i = 0; i < 4; ++i)
    pool.detach_task([&err, i] { err.set(i); });
  err.set(-1);
  pool.wait();
  return err.code();
}

int first_error_and_an_unclaimed_write(pools::TaskPool &pool, FirstError &err) {
  pool.detach_task([&err] { err.set(1); });
  err.set_unclaimed(2);
  pool.wait();
  return err.code();
}

int exchange_and_test_and_set_claims(pools::TaskPool &pool) {
  std::atomic<bool> once{false};
  std::atomic_flag taken = ATOMIC_FLAG_INIT;
  int first = 0, second = 0;
  for (int i = 0; i < 4; ++i)
    pool.detach_task([&, i] {
      if (!once.exchange(true))
        first = i;
      if (taken.test_and_set())
        return;
      second = i;
    });
  pool.wait();
  return first + second;
}

//===----------------------------------------------------------------------===//
// A thread started in a static entry point that runs the pool's loop on the
// pool it is handed (leveldb's PosixEnv::Schedule).
//===----------------------------------------------------------------------===//

struct Tally {
  int n = 0;
};

void bump_tally(void *p) { ++static_cast<Tally *>(p)->n; }
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: data race on 'static_cast<Tally *>(p)->n': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+5]]:5: note: concurrent write here
// CHECK-MESSAGES: :[[@LINE+3]]:3: note: task started here

void trampoline_pool(pools::TrampolinePool &pool, Tally &t) {
  pool.Schedule(&bump_tally, &t);
  ++t.n;
}
