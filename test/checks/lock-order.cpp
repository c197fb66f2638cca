// RUN: %check_concheck %s concheck-lock-order %t -- -- -std=c++20 -isystem %S/../Inputs/std

// concheck-lock-order against the mock headers: two paths that can run at
// once taking two mutexes in opposite orders, directly or through calls; a
// non-recursive mutex locked again by a path that holds it; a join while
// holding a mutex the joined task locks. And what must stay silent: one
// order everywhere, std::scoped_lock and std::lock over several mutexes,
// try-lock with back-off, a recursive mutex, an order chosen at run time, a
// gate lock held around both orders.

#include <functional>
#include <mutex>
#include <thread>

//===----------------------------------------------------------------------===//
// Inversions.

std::mutex a, b;
int shared_total;

void two_tasks_opposite_orders() {
  std::thread t1([] {
    std::lock_guard<std::mutex> ga(a);
    std::lock_guard<std::mutex> gb(b);
    ++shared_total;
  });
  std::thread t2([] {
    std::lock_guard<std::mutex> gb(b);
    std::lock_guard<std::mutex> ga(a);
    // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: mutex 'a' locked while holding 'b', the reverse of the order another path takes: the two can deadlock [concheck-lock-order]
    // CHECK-MESSAGES: :[[@LINE-3]]:33: note: 'b' locked here
    // CHECK-MESSAGES: :[[@LINE-8]]:33: note: the other path locks 'b' while holding 'a' here
    // CHECK-MESSAGES: :[[@LINE-10]]:33: note: 'a' locked here
    // CHECK-MESSAGES: :[[@LINE-12]]:15: note: task started here
    // CHECK-MESSAGES: :[[@LINE-8]]:15: note: task started here
    ++shared_total;
  });
  t1.join();
  t2.join();
}

// The members of a class whose methods run on several threads.
class Bank {
public:
  void deposit(int n) {
    std::lock_guard<std::mutex> g1(accounts_mu_);
    std::lock_guard<std::mutex> g2(log_mu_);
    total_ += n;
  }
  void audit() {
    std::lock_guard<std::mutex> g1(log_mu_);
    std::lock_guard<std::mutex> g2(accounts_mu_);
    // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: mutex 'accounts_mu_' locked while holding 'log_mu_', the reverse of the order another path takes: the two can deadlock [concheck-lock-order]
    // CHECK-MESSAGES: :[[@LINE-3]]:33: note: 'log_mu_' locked here
    // CHECK-MESSAGES: :[[@LINE-8]]:33: note: the other path locks 'log_mu_' while holding 'accounts_mu_' here
    // CHECK-MESSAGES: :[[@LINE-10]]:33: note: 'accounts_mu_' locked here
    checked_ = total_;
  }

private:
  std::mutex accounts_mu_, log_mu_;
  int total_ = 0, checked_ = 0;
};

// Through a call: the helper takes the second mutex.
std::mutex queue_mu, stats_mu;
int queued, counted;

void bump_stats() {
  std::lock_guard<std::mutex> g(stats_mu);
  ++counted;
}

void enqueue() {
  std::lock_guard<std::mutex> g(queue_mu);
  ++queued;
  bump_stats();
}

void report_stats() {
  std::lock_guard<std::mutex> g(stats_mu);
  std::lock_guard<std::mutex> q(queue_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: mutex 'queue_mu' locked while holding 'stats_mu', the reverse of the order another path takes: the two can deadlock [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'stats_mu' locked here
  // CHECK-MESSAGES: :[[@LINE-15]]:31: note: the other path locks 'stats_mu' while holding 'queue_mu' here
  // CHECK-MESSAGES: :[[@LINE-11]]:31: note: 'queue_mu' locked here
  counted = queued;
}

// One function, two threads, the arguments swapped: the classic transfer.
struct Account {
  std::mutex m;
  long balance = 0;
};

void transfer(Account &from, Account &to, long amount) {
  std::lock_guard<std::mutex> lf(from.m);
  std::lock_guard<std::mutex> lt(to.m);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: mutex 'x.m' locked while holding 'y.m', the reverse of the order another path takes: the two can deadlock [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'y.m' locked here
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: the other path locks 'y.m' while holding 'x.m' here
  // CHECK-MESSAGES: :[[@LINE-5]]:31: note: 'x.m' locked here
  from.balance -= amount;
  to.balance += amount;
}

void swapped_transfers() {
  Account x, y;
  std::thread t1(transfer, std::ref(x), std::ref(y), 10);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: note: task started here
  std::thread t2(transfer, std::ref(y), std::ref(x), 20);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: note: task started here
  t1.join();
  t2.join();
}

//===----------------------------------------------------------------------===//
// Double locks.

std::mutex once_mu;
int once_count;

void locks_twice() {
  std::lock_guard<std::mutex> g1(once_mu);
  std::lock_guard<std::mutex> g2(once_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: mutex 'once_mu' locked again while this path already holds it: it waits for itself forever [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'once_mu' locked here first
  ++once_count;
}

void count_once() {
  std::lock_guard<std::mutex> g(once_mu);
  ++once_count;
}

void locks_twice_through_a_call() {
  std::lock_guard<std::mutex> g(once_mu);
  count_once();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'count_once' locks mutex 'once_mu', which this path already holds: it waits for itself forever [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-8]]:31: note: 'once_mu' locked here
  // CHECK-MESSAGES: :[[@LINE-4]]:31: note: 'once_mu' locked here first
}

void manual_double_lock() {
  once_mu.lock();
  ++once_count;
  once_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'once_mu' locked again while this path already holds it: it waits for itself forever [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'once_mu' locked here first
  once_mu.unlock();
  once_mu.unlock();
}

//===----------------------------------------------------------------------===//
// Waiting while holding.

std::mutex results_mu;
int results;

void join_while_holding() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(results_mu);
    ++results;
  });
  std::lock_guard<std::mutex> g(results_mu);
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 't.join()' waits for a task while holding mutex 'results_mu', which the task locks: the wait can deadlock [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'results_mu' locked here
  // CHECK-MESSAGES: :[[@LINE-7]]:33: note: the task locks 'results_mu' here
  // CHECK-MESSAGES: :[[@LINE-9]]:15: note: task started here
}

//===----------------------------------------------------------------------===//
// Silent.

std::mutex c, d;
int cd_total;

// One order everywhere.
void consistent_order() {
  std::thread t1([] {
    std::lock_guard<std::mutex> gc(c);
    std::lock_guard<std::mutex> gd(d);
    ++cd_total;
  });
  std::thread t2([] {
    std::lock_guard<std::mutex> gc(c);
    std::lock_guard<std::mutex> gd(d);
    --cd_total;
  });
  t1.join();
  t2.join();
}

// std::scoped_lock and std::lock take several mutexes without deadlock, in
// whatever order they are written.
std::mutex e, f;
int ef_total;

void scoped_lock_both_orders() {
  std::thread t1([] {
    std::scoped_lock l(e, f);
    ++ef_total;
  });
  std::thread t2([] {
    std::scoped_lock l(f, e);
    --ef_total;
  });
  std::thread t3([] {
    std::lock(f, e);
    std::lock_guard<std::mutex> gf(f, std::adopt_lock);
    std::lock_guard<std::mutex> ge(e, std::adopt_lock);
    ef_total *= 2;
  });
  t1.join();
  t2.join();
  t3.join();
}

// Try-lock with back-off: the side that would wait never does.
std::mutex g_mu, h_mu;
int gh_total;

void try_lock_back_off() {
  std::thread t1([] {
    for (;;) {
      g_mu.lock();
      if (h_mu.try_lock()) {
        ++gh_total;
        h_mu.unlock();
        g_mu.unlock();
        return;
      }
      g_mu.unlock();
    }
  });
  std::thread t2([] {
    std::lock_guard<std::mutex> gh(h_mu);
    std::lock_guard<std::mutex> gg(g_mu);
    --gh_total;
  });
  t1.join();
  t2.join();
}

// A recursive mutex may be locked again by its holder.
std::recursive_mutex rec_mu;
int rec_count;

void bump_recursive() {
  std::lock_guard<std::recursive_mutex> g(rec_mu);
  ++rec_count;
}

void recursive_mutex_used_correctly() {
  std::lock_guard<std::recursive_mutex> g(rec_mu);
  bump_recursive();
  std::lock_guard<std::recursive_mutex> g2(rec_mu);
  ++rec_count;
}

// The order chosen at run time, by address: one function takes both orders.
void ordered_transfer(Account &from, Account &to, long amount) {
  if (&from < &to) {
    std::lock_guard<std::mutex> l1(from.m);
    std::lock_guard<std::mutex> l2(to.m);
    from.balance -= amount;
    to.balance += amount;
  } else {
    std::lock_guard<std::mutex> l1(to.m);
    std::lock_guard<std::mutex> l2(from.m);
    from.balance -= amount;
    to.balance += amount;
  }
}

void ordered_transfers() {
  Account x, y;
  std::thread t1(ordered_transfer, std::ref(x), std::ref(y), 10);
  std::thread t2(ordered_transfer, std::ref(y), std::ref(x), 20);
  t1.join();
  t2.join();
}

// A gate lock held around both orders: only one of them runs at a time.
std::mutex gate, p_mu, q_mu;
int pq_total;

void gated_orders() {
  std::thread t1([] {
    std::lock_guard<std::mutex> g(gate);
    std::lock_guard<std::mutex> gp(p_mu);
    std::lock_guard<std::mutex> gq(q_mu);
    ++pq_total;
  });
  std::thread t2([] {
    std::lock_guard<std::mutex> g(gate);
    std::lock_guard<std::mutex> gq(q_mu);
    std::lock_guard<std::mutex> gp(p_mu);
    --pq_total;
  });
  t1.join();
  t2.join();
}

// Locked one after the other, never nested: no order at all.
void sequential() {
  {
    std::lock_guard<std::mutex> gq(q_mu);
    ++pq_total;
  }
  std::lock_guard<std::mutex> gp(p_mu);
  --pq_total;
}

// Unlocked, then locked again: not a double lock.
void relock_after_unlock() {
  std::unique_lock<std::mutex> l(once_mu);
  ++once_count;
  l.unlock();
  once_mu.lock();
  ++once_count;
  once_mu.unlock();
}

// A lock in a loop, released every iteration.
void lock_in_loop(int n) {
  for (int i = 0; i < n; ++i) {
    once_mu.lock();
    ++once_count;
    once_mu.unlock();
  }
}

// The same name for two objects: the pointer moves between the locks.
struct Node {
  std::mutex m;
  Node *next = nullptr;
  int value = 0;
};

void hand_over_hand(Node *n) {
  n->m.lock();
  while (n->next) {
    Node *next = n->next;
    next->m.lock();
    n->m.unlock();
    n = next;
    n->value++;
  }
  n->m.unlock();
}

void lock_the_next_one(Node *n) {
  n->m.lock();
  Node *prev = n;
  n = n->next;
  n->m.lock();
  n->value = prev->value;
  n->m.unlock();
  prev->m.unlock();
}

// Joined after the lock is gone.
void join_after_unlock() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(results_mu);
    ++results;
  });
  {
    std::lock_guard<std::mutex> g(results_mu);
    ++results;
  }
  t.join();
}

// Holding a mutex the task never takes.
void join_holding_another() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(results_mu);
    ++results;
  });
  std::lock_guard<std::mutex> g(once_mu);
  t.join();
}
