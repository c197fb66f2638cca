// RUN: %check_concheck %s concheck-unguarded-write %t -- -config="{CheckOptions: {SpawnFunctions: '::lib::Pool::schedule;lib::Pool::drain_async:0'}}" -- -std=c++20 -isystem %S/../Inputs/std

// SpawnFunctions names a class template's members without their template
// arguments: '::lib::Pool::schedule' matches lib::Pool<4>::schedule<F>. The
// pool's bodies show nothing (a library compiled elsewhere), so only the
// option makes them spawns.

namespace lib {
template <int Threads> class Pool {
public:
  template <class F> void schedule(F &&f) { submit_opaque(&f); }
  template <class F> void drain_async(F &&f, int priority) { submit_opaque(&f); }
  template <class F> void run_here(F &&f) { f(); }

private:
  void submit_opaque(void *job);
};
} // namespace lib

int scheduled_twice(lib::Pool<4> &pool) {
  int n = 0;
  pool.schedule([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+6]]:10: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  pool.schedule([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  return n;
}

int drained(lib::Pool<2> &pool) {
  int n = 0;
  pool.drain_async([&n] { n = 1; }, 3);
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  return n;
}

int run_here_only(lib::Pool<1> &pool) {
  int n = 0;
  pool.run_here([&n] { ++n; });
  pool.run_here([&n] { ++n; });
  return n;
}
