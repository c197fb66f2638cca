// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -I%runtime_include -isystem %S/../Inputs/executors

// Executors concheck knows by name, each on a small mock of its API (the
// headers have empty bodies): Boost.Asio, oneTBB, taskflow,
// BS::thread_pool, folly and Qt. Each starts tasks, and each has the call
// (or the destructor, or the future) that waits for them.

#include <BS_thread_pool.hpp>
#include <asio.hpp>
#include <folly.h>
#include <qt.h>
#include <taskflow.hpp>
#include <tbb.h>
#include <utility>

void use(int);

//===----------------------------------------------------------------------===//
// Boost.Asio: post, dispatch, defer; thread_pool::join/wait, its destructor.
//===----------------------------------------------------------------------===//

int asio_two_handlers(boost::asio::thread_pool &pool) {
  int n = 0;
  boost::asio::post(pool, [&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:51: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  boost::asio::post(pool.get_executor(), [&n] { ++n; });
  pool.join();
  return n;
}

int asio_read_before_wait(boost::asio::thread_pool &pool) {
  int n = 0;
  boost::asio::dispatch(pool, [&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  use(n);
  pool.wait();
  return n;
}

int asio_waited(boost::asio::thread_pool &pool) {
  int n = 0;
  boost::asio::dispatch(pool.get_executor(), [&n] { n = 1; });
  pool.wait();
  return n;
}

int asio_pool_destroyed() {
  int n = 0;
  {
    boost::asio::thread_pool pool(2);
    boost::asio::defer(pool, [&n] { n = 1; });
  }
  return n;
}

//===----------------------------------------------------------------------===//
// oneTBB: task_group::run/wait, task_arena::enqueue (execute runs here).
//===----------------------------------------------------------------------===//

int tbb_two_tasks() {
  tbb::task_group g;
  int n = 0;
  g.run([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:18: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  g.run([&n] { ++n; });
  g.wait();
  return n;
}

int tbb_waited() {
  tbb::task_group g;
  int n = 0;
  g.run([&n] { n = 1; });
  g.wait();
  return n;
}

int tbb_arena_enqueue(tbb::task_arena &arena) {
  int n = 0;
  arena.enqueue([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  return n;
}

int tbb_arena_execute(tbb::task_arena &arena) {
  int n = 0;
  arena.execute([&n] { n = 1; });
  return n;
}

//===----------------------------------------------------------------------===//
// taskflow: async (a future), silent_async, wait_for_all.
//===----------------------------------------------------------------------===//

int tf_async_waited(tf::Executor &ex) {
  int n = 0;
  auto f = ex.async([&n] { n = 1; });
  f.get();
  return n;
}

int tf_silent_two(tf::Executor &ex) {
  int n = 0;
  ex.silent_async([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:28: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  ex.silent_async([&n] { ++n; });
  ex.wait_for_all();
  return n;
}

int tf_silent_read_early(tf::Executor &ex) {
  int n = 0;
  ex.silent_async([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  use(n);
  ex.wait_for_all();
  return n;
}

//===----------------------------------------------------------------------===//
// BS::thread_pool: detach_task, submit_task (a future), the loops, wait().
//===----------------------------------------------------------------------===//

int bs_detach_loop_of_tasks(BS::thread_pool<> &pool) {
  int total = 0;
  for (int i = 0; i < 4; ++i)
    pool.detach_task([&total, i] { total += i; });
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'total': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  pool.wait();
  return total;
}

int bs_submit_waited(BS::thread_pool<> &pool) {
  int n = 0;
  auto f = pool.submit_task([&n] { n = 1; });
  f.wait();
  return n;
}

int bs_parallel_loop_sum(BS::thread_pool<> &pool) {
  int sum = 0;
  pool.detach_loop(0, 100, [&sum](int i) { sum += i; });
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: data race on 'sum': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: task started here
  pool.wait();
  return sum;
}

void bs_parallel_loop_slots(BS::thread_pool<> &pool, int *out) {
  pool.detach_loop(0, 100, [out](int i) { out[i] = i; });
  pool.wait();
}

int bs_destroyed() {
  int n = 0;
  {
    BS::thread_pool<> pool(2);
    pool.detach_task([&n] { n = 1; });
  }
  return n;
}

//===----------------------------------------------------------------------===//
// folly: Executor::add (virtual, overridden), via (a future), join().
//===----------------------------------------------------------------------===//

int folly_two_adds(folly::CPUThreadPoolExecutor &ex) {
  int n = 0;
  ex.add([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:19: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  ex.add([&n] { ++n; });
  ex.join();
  return n;
}

int folly_add_through_base(folly::Executor &ex) {
  int n = 0;
  ex.add([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  return n;
}

int folly_via_waited(folly::Executor *ex) {
  int n = 0;
  auto f = folly::via(ex, [&n] { n = 1; return 0; });
  std::move(f).get();
  return n;
}

//===----------------------------------------------------------------------===//
// Qt: QtConcurrent::run (a QFuture), QThreadPool::start/waitForDone.
//===----------------------------------------------------------------------===//

int qt_run_waited() {
  int n = 0;
  QFuture<void> f = QtConcurrent::run([&n] { n = 1; });
  f.waitForFinished();
  return n;
}

int qt_run_read_early() {
  int n = 0;
  QFuture<void> f = QtConcurrent::run([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:46: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:21: note: task started here
  use(n);
  f.waitForFinished();
  return n;
}

int qt_pool_two(QThreadPool *pool) {
  int n = 0;
  pool->start([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:24: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  pool->start([&n] { ++n; });
  pool->waitForDone();
  return n;
}

int qt_pool_waited(QThreadPool *pool) {
  int n = 0;
  QtConcurrent::run(pool, [&n] { n = 1; });
  pool->waitForDone();
  return n;
}

// QThread::create makes a thread that start() runs and wait() joins: what
// the spawner does before start() is not concurrent with it.
int qthread_waited() {
  int n = 0;
  QThread *t = QThread::create([&n] { n = 1; });
  n = 2;
  t->start();
  t->wait();
  return n;
}

int qthread_read_early() {
  int n = 0;
  QThread *t = QThread::create([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  t->start();
  use(n);
  t->wait();
  return n;
}
