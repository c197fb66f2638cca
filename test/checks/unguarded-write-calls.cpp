// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std

// concheck-unguarded-write through calls: a task's or the spawner's reads and
// writes inside the functions and methods they call (function summaries),
// locks taken and released by helpers, guards returned by functions, and
// lock sets that do not intersect. The warning stays at the access, inside
// the callee when that is where it is, with a note for every call on the way.

#include <concheck/wait_group.h>
#include <mutex>
#include <thread>
#include <vector>

int compute(int);
void use(int);

//===----------------------------------------------------------------------===//
// Must catch: the racing access is inside a callee.
//===----------------------------------------------------------------------===//

struct Account {
  int balance = 0;
};

void deposit(Account &a, int n) { a.balance += n; }
// CHECK-MESSAGES: :[[@LINE-1]]:35: warning: data race on 'a.balance': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+7]]:24: note: called from the task here
// CHECK-MESSAGES: :[[@LINE-3]]:35: note: concurrent write here
// CHECK-MESSAGES: :[[@LINE+6]]:24: note: called from another task here
// CHECK-MESSAGES: :[[@LINE+4]]:15: note: task started here

void two_tasks_call_one_helper() {
  Account acct;
  std::thread t1([&] { deposit(acct, 1); });
  std::thread t2([&] { deposit(acct, 2); });
  t1.join();
  t2.join();
}

// Two calls deep, through a pointer parameter, on the spawner's side.
void add_to(Account *a, int n) { a->balance += n; }
void settle(Account *a) { add_to(a, compute(3)); }

int spawner_writes_through_two_calls() {
  Account acct;
  std::thread t([&] { acct.balance = 5; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: data race on 'acct.balance': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-7]]:34: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: called from the spawning function here
  // CHECK-MESSAGES: :[[@LINE-8]]:27: note: called from 'settle' here
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
  settle(&acct);
  t.join();
  return acct.balance;
}

// A method that writes a member, called on a captured object by every run.
class Counter {
public:
  void bump() { ++count_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: data race on 'count_': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+9]]:17: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE+8]]:5: note: task started here
  int count_ = 0;
};

int method_called_from_many_tasks() {
  Counter c;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { c.bump(); });
  wg.wait();
  return c.count_;
}

// A global written in a recursive function.
int depth_reached;
void descend(int n) {
  if (n == 0)
    return;
  depth_reached = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'depth_reached': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+7]]:22: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE+7]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+5]]:15: note: task started here
  descend(n - 1);
}

void recursion_in_a_task() {
  std::thread t([] { descend(10); });
  use(depth_reached);
  t.join();
}

// Two tasks hold a lock each, but not the same one.
std::mutex first_mu, second_mu;
int under_two_locks;
void different_locks() {
  std::thread t1([] {
    std::lock_guard<std::mutex> g(first_mu);
    under_two_locks++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'under_two_locks': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: 'first_mu' is held here
    // CHECK-MESSAGES: :[[@LINE+4]]:65: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE+3]]:65: note: 'second_mu' is held here
    // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  });
  std::thread t2([] { std::lock_guard<std::mutex> g(second_mu); under_two_locks++; });
  t1.join();
  t2.join();
}

// Both sides reach one object through a getter that returns the same object
// on every call: a singleton's instance(), a member's accessor.
struct Directory {
  int count = 0;
  std::mutex mu;
  static Directory *instance() {
    static Directory r;
    return &r;
  }
};
struct State {
  int field = 0;
};
State g_state;
State &get_state() { return g_state; }

void getters_name_one_object() {
  std::thread t([] {
    Directory::instance()->count++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'Directory::instance()->count': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+7]]:3: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
    get_state().field = compute(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'get_state().field': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+4]]:7: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-8]]:15: note: task started here
  });
  Directory::instance()->count = 0;
  use(g_state.field);
  t.join();
}

class Holder {
public:
  Account &account() { return acct_; }
  void run() {
    std::thread t([this] { account().balance += 1; });
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'account().balance': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:17: note: task started here
    use(acct_.balance);
    t.join();
  }

private:
  Account acct_;
};

//===----------------------------------------------------------------------===//
// Must stay silent: the callee synchronizes, or the call does not reach the
// shared object.
//===----------------------------------------------------------------------===//

// A getter under the object's own lock on both sides; a getter that returns
// a different object on every call.
void getter_under_its_lock() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(Directory::instance()->mu);
    Directory::instance()->count++;
  });
  {
    std::lock_guard<std::mutex> g(Directory::instance()->mu);
    Directory::instance()->count = 0;
  }
  t.join();
}
State g_other;
State &fresh(int i) {
  if (i > 0)
    return g_state;
  return g_other;
}
void getter_of_two_objects() {
  std::thread t([] { fresh(1).field = 1; });
  fresh(0).field = 2;
  t.join();
}

// A callee that locks for itself.
std::mutex total_mu;
int total;
void add_total(int n) {
  std::lock_guard<std::mutex> g(total_mu);
  total += n;
}

void callee_locks_for_itself() {
  std::thread t([] { add_total(1); });
  add_total(2);
  t.join();
}

// Lock and unlock helpers.
std::mutex helper_mu;
int helper_guarded;
void lock_all() { helper_mu.lock(); }
void unlock_all() { helper_mu.unlock(); }

void lock_helpers() {
  std::thread t([] {
    lock_all();
    helper_guarded++;
    unlock_all();
  });
  lock_all();
  helper_guarded++;
  unlock_all();
  t.join();
}

// A function that runs a callable under a lock.
class Registry {
public:
  template <class F> void with(F f) {
    std::lock_guard<std::mutex> g(mu_);
    f();
  }
  void add() {
    with([this] { ++entries_; });
  }

private:
  std::mutex mu_;
  int entries_ = 0;
};

void callable_run_under_a_lock() {
  Registry r;
  std::thread t([&] { r.add(); });
  r.add();
  t.join();
}

// The callable's writes are seen through the function that runs it: one
// that bypasses the lock races with the ones run under it.
class Tally {
public:
  template <class F> void with(F f) {
    std::lock_guard<std::mutex> g(mu_);
    f();
  }
  void add() {
    with([this] { ++count_; });
  }
  void add_unlocked() { ++count_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'count_': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:28: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE-5]]:21: note: concurrent write here
  void run() {
    std::thread t([this] { add_unlocked(); });
    add();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: called from the spawning function here
    // CHECK-MESSAGES: :[[@LINE-10]]:5: note: called from 'Tally::add' here
    // CHECK-MESSAGES: :[[@LINE-14]]:5: note: called from 'Tally::with' here
    // CHECK-MESSAGES: :[[@LINE-5]]:17: note: task started here
    t.join();
  }

private:
  std::mutex mu_;
  int count_ = 0;
};

// Another class's lock, held by the function that runs the callable, guards
// the maker's members on both sides; a side that writes them bare does not.
class Locker {
public:
  template <class F> void run(F f) {
    std::lock_guard<std::mutex> g(mu_);
    f();
  }

private:
  std::mutex mu_;
};

class UsesALocker {
public:
  void bump() {
    locker_.run([this] { ++guarded_; ++shared_; });
  }
  void bump_bare() { ++shared_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'shared_': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:36: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE-5]]:40: note: concurrent write here
  void start() {
    std::thread t([this] { bump(); bump_bare(); });
    bump();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: called from the spawning function here
    // CHECK-MESSAGES: :[[@LINE-10]]:5: note: called from 'UsesALocker::bump' here
    // CHECK-MESSAGES: :[[@LINE-21]]:5: note: called from 'Locker::run' here
    // CHECK-MESSAGES: :[[@LINE-5]]:17: note: task started here
    t.join();
  }

private:
  Locker locker_;
  int guarded_ = 0;
  int shared_ = 0;
};

// A callable that takes the lock itself, run by a function that takes none.
template <class F> void run_now(F f) { f(); }
class SelfLocking {
public:
  void bump() {
    run_now([this] {
      std::lock_guard<std::mutex> g(mu_);
      ++n_;
    });
  }
  void start() {
    std::thread t([this] { bump(); });
    bump();
    t.join();
  }

private:
  std::mutex mu_;
  int n_ = 0;
};

// A function that returns a guard.
std::mutex returned_mu;
int under_returned_guard;
std::unique_lock<std::mutex> hold_returned() {
  return std::unique_lock<std::mutex>(returned_mu);
}

void guard_returned_by_a_function() {
  std::thread t([] {
    auto g = hold_returned();
    under_returned_guard++;
  });
  {
    std::unique_lock<std::mutex> g = hold_returned();
    under_returned_guard++;
  }
  t.join();
}

// A class whose accessors lock.
class SafeCounter {
public:
  void inc() {
    std::lock_guard<std::mutex> g(mu_);
    ++value_;
  }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return value_;
  }

private:
  std::mutex mu_;
  int value_ = 0;
};

int accessor_locks() {
  SafeCounter c;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { c.inc(); });
  int seen = c.get();
  wg.wait();
  return seen;
}

// A body-less extern: nothing is known, nothing is said.
void external_update(Account &a);
void body_less_extern() {
  Account acct;
  std::thread t([&] { external_update(acct); });
  external_update(acct);
  t.join();
}

// A virtual call with overriders the call cannot choose between.
struct Sink {
  virtual void put(int v) = 0;
  virtual ~Sink() = default;
};
struct CountingSink : Sink {
  void put(int v) override { last = v; }
  int last = 0;
};
struct OtherSink : Sink {
  void put(int v) override { seen = v; }
  int seen = 0;
};
void virtual_calls(Sink &s) {
  std::thread t([&] { s.put(1); });
  s.put(2);
  t.join();
}

// A lambda stored and called later, after the join, through a pointer.
int stored_target;
void lambda_stored_and_called_later() {
  void (*later)() = [] { stored_target = 1; };
  std::thread t([] { use(stored_target); });
  t.join();
  later();
}

// A thread-local object, written through a helper.
thread_local int per_thread_hits;
void hit() { ++per_thread_hits; }
void thread_local_through_a_call() {
  std::thread t1([] { hit(); });
  std::thread t2([] { hit(); });
  t1.join();
  t2.join();
}

// Each task passes its own object.
void own_object_through_a_call() {
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([] {
      Account mine;
      deposit(mine, 1);
    });
  wg.wait();
}

// Each task fills its own slot through a helper.
void fill(std::vector<int> &out, int i) { out[i] = compute(i); }
std::vector<int> own_slot_through_a_call() {
  std::vector<int> out(4);
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&out, i] { fill(out, i); });
  wg.wait();
  return out;
}

// The helper is called after the join.
void after_the_join() {
  Account acct;
  std::thread t([&] { acct.balance = 1; });
  t.join();
  deposit(acct, 2);
}

//===----------------------------------------------------------------------===//
// Lock helpers and wrappers: what they hold, and where they let go.
//===----------------------------------------------------------------------===//

// A lock by its shape: a type with lock() and unlock() members, with no body
// in the translation unit, used through std::lock_guard on one side, by hand
// and through a tested try_lock() on the other.
class SpinLock {
public:
  void lock();
  void unlock();
  bool try_lock();
};
SpinLock spin;
int under_spin = 0;
void spin_lock_by_shape() {
  std::thread t([] {
    std::lock_guard<SpinLock> g(spin);
    under_spin++;
  });
  spin.lock();
  under_spin++;
  spin.unlock();
  if (spin.try_lock()) {
    under_spin++;
    spin.unlock();
  }
  t.join();
}
void spin_lock_missing_on_one_side() {
  std::thread t([] {
    std::lock_guard<SpinLock> g(spin);
    under_spin++;
  });
  under_spin = 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'under_spin': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  t.join();
}

// POSIX spin locks and read-write locks; a trylock holds the lock only on
// the branch that tested its success.
pthread_spinlock_t pspin;
pthread_rwlock_t prw;
int under_pspin = 0, under_prw = 0;
void posix_spin_and_rw_locks() {
  std::thread t([] {
    pthread_spin_lock(&pspin);
    under_pspin++;
    pthread_spin_unlock(&pspin);
    pthread_rwlock_wrlock(&prw);
    under_prw++;
    pthread_rwlock_unlock(&prw);
  });
  if (pthread_spin_trylock(&pspin) == 0) {
    under_pspin++;
    pthread_spin_unlock(&pspin);
  }
  pthread_rwlock_rdlock(&prw);
  use(under_prw);
  pthread_rwlock_unlock(&prw);
  t.join();
}
void posix_trylock_untested() {
  std::thread t([] {
    pthread_spin_lock(&pspin);
    under_pspin++;
    pthread_spin_unlock(&pspin);
  });
  pthread_spin_trylock(&pspin);
  under_pspin++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'under_pspin': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-9]]:15: note: task started here
  pthread_spin_unlock(&pspin);
  t.join();
}
void posix_writers_under_a_read_lock() {
  std::thread t([] {
    pthread_rwlock_rdlock(&prw);
    under_prw = 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'under_prw': written in a task while the spawning function writes it, with 'prw' held only in shared mode [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+4]]:3: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
  });
  pthread_rwlock_rdlock(&prw);
  under_prw = 2;
  pthread_rwlock_unlock(&prw);
  t.join();
}

// The unlock helper runs before the write: the write is unguarded.
void unlock_helper_before_the_write() {
  std::thread t([] {
    lock_all();
    unlock_all();
    helper_guarded++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'helper_guarded': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+4]]:3: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: task started here
  });
  lock_all();
  helper_guarded++;
  unlock_all();
  t.join();
}

// A callee that writes, called with the lock held: guarded; called after an
// unlock helper: not.
void bump_helper_guarded() { helper_guarded++; }
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: data race on 'helper_guarded': written here while a task writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+21]]:3: note: called from the spawning function here
// CHECK-MESSAGES: :[[@LINE-3]]:30: note: concurrent write here
// CHECK-MESSAGES: :[[@LINE+15]]:5: note: called from the task here
// CHECK-MESSAGES: :[[@LINE+12]]:15: note: task started here
void callee_guarded_by_the_callers_lock() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(helper_mu);
    bump_helper_guarded();
  });
  lock_all();
  bump_helper_guarded();
  unlock_all();
  t.join();
}
void callee_after_an_unlock_helper() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(helper_mu);
    bump_helper_guarded();
  });
  lock_all();
  unlock_all();
  bump_helper_guarded();
  t.join();
}

// A lock wrapper class, with a guard of its own: locks by what they do, not
// by their names.
class Spin {
public:
  void Acquire() { mu_.lock(); }
  void Release() { mu_.unlock(); }

private:
  std::mutex mu_;
};
class SpinHolder {
public:
  explicit SpinHolder(Spin &s) : s_(s) { s_.Acquire(); }
  ~SpinHolder() { s_.Release(); }

private:
  Spin &s_;
};

struct Table {
  Spin spin;
  int rows = 0;
  void add_row() {
    SpinHolder h(spin);
    ++rows;
  }
  void add_row_manually() {
    spin.Acquire();
    ++rows;
    spin.Release();
  }
  void add_row_unlocked() { ++rows; }
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'rows': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+14]]:3: note: called from the spawning function here
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+11]]:28: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE+10]]:15: note: task started here
};

void lock_wrappers_guard(Table &t) {
  std::thread worker([&] { t.add_row(); });
  t.add_row_manually();
  worker.join();
}

void lock_wrappers_missing(Table &t) {
  std::thread worker([&] { t.add_row(); });
  t.add_row_unlocked();
  worker.join();
}

// Two objects of one class: each has its own member.
struct Cell {
  void set(int v) { value = v; }
  int value = 0;
};
void different_objects(Cell &a, Cell &b) {
  std::thread t([&] { a.set(1); });
  b.set(2);
  t.join();
}

// Recursion over a linked structure ends, and sees the writes.
struct Node {
  Node *next = nullptr;
  int mark = 0;
};
void mark_all(Node *n) {
  if (!n)
    return;
  n->mark = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'n->mark': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+7]]:23: note: called from the task here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: called from the spawning function here
  // CHECK-MESSAGES: :[[@LINE+4]]:15: note: task started here
  mark_all(n->next);
}
void recursion_over_a_list(Node *head) {
  std::thread t([=] { mark_all(head); });
  mark_all(head);
  t.join();
}

// A single-producer, single-consumer ring: push writes the slot and then
// publishes the tail with a release store; pop acquires the tail before it
// reads the slot. The hand-off is inside the callees.
#include <atomic>
class Ring {
public:
  bool push(int v) {
    unsigned t = tail_.load(std::memory_order_relaxed);
    if (((t + 1) & 7) == head_.load(std::memory_order_acquire))
      return false;
    buf_[t] = v;
    tail_.store((t + 1) & 7, std::memory_order_release);
    return true;
  }
  bool pop(int &out) {
    unsigned h = head_.load(std::memory_order_relaxed);
    if (h == tail_.load(std::memory_order_acquire))
      return false;
    out = buf_[h];
    head_.store((h + 1) & 7, std::memory_order_release);
    return true;
  }

private:
  int buf_[8] = {};
  std::atomic<unsigned> head_{0}, tail_{0};
};

void ring_hands_off_inside_the_callees() {
  Ring ring;
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i)
      while (!ring.push(i)) {
      }
  });
  std::thread consumer([&] {
    int v = 0;
    for (int i = 0; i < 100; ++i)
      while (!ring.pop(v)) {
      }
  });
  producer.join();
  consumer.join();
}

// A function with internal linkage whose every call in the file holds the
// pool's mutex runs under it: what it writes after starting the workers,
// they read under the same mutex.
struct GrowingPool {
  std::mutex m;
  int limit = 0;
  std::vector<std::thread> workers;
};

namespace {
void growing_worker(GrowingPool *p) {
  std::lock_guard<std::mutex> g(p->m);
  (void)p->limit;
}

void grow_locked(GrowingPool &p, int n) {
  for (int i = 0; i < n; ++i)
    p.workers.emplace_back(growing_worker, &p);
  p.limit = n;
}
} // namespace

void grow(GrowingPool &p) {
  std::lock_guard<std::mutex> g(p.m);
  grow_locked(p, 4);
}

void grow_more(GrowingPool &p) {
  std::unique_lock<std::mutex> l(p.m);
  grow_locked(p, 8);
}

// The same with one call made after the caller let go of the mutex.
namespace {
void unlocked_worker(GrowingPool *p) {
  std::lock_guard<std::mutex> g(p->m);
  (void)p->limit;
}

void grow_mostly_locked(GrowingPool &p, int n) {
  for (int i = 0; i < n; ++i)
    p.workers.emplace_back(unlocked_worker, &p);
  p.limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p.limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-8]]:9: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: task started here
}
} // namespace

void grow_then_release(GrowingPool &p) {
  std::unique_lock<std::mutex> l(p.m);
  grow_mostly_locked(p, 4);
  l.unlock();
  grow_mostly_locked(p, 8);
}
