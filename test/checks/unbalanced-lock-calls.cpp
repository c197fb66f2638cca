// RUN: %check_concheck %s concheck-unbalanced-lock %t -- -- -std=c++20 -isystem %S/../Inputs/std

// concheck-unbalanced-lock across calls: a lock taken by a helper that
// returns holding it and never given back on some path of its caller; an
// unlock of a mutex the path already unlocked; a task that ends holding a
// mutex it took. And the patterns that must stay silent.

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

void work();
bool failed();
bool more();

// Internal to this unit: a function of another unit cannot lock them.
static std::mutex table_mu;
static std::mutex m;
static std::condition_variable cv;
static int rows;
// Another unit may lock this one.
std::mutex shared_mu;

// A lock helper and its unlock helper: each alone is silent.
void acquire_table() { table_mu.lock(); }
void release_table() { table_mu.unlock(); }

struct Account {
  std::mutex mu;
  long balance = 0;
};
void lock_account(Account &a) { a.mu.lock(); }
void unlock_account(Account &a) { a.mu.unlock(); }

//===----------------------------------------------------------------------===//
// A lock helper's caller that leaves the lock held.
//===----------------------------------------------------------------------===//

bool insert_row(bool full) {
  acquire_table();
  if (full)
    return false;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'table_mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'table_mu' locked here, by the call to 'acquire_table'
  ++rows;
  release_table();
  return true;
}

// The helper's parameter is named in the caller's terms: 'from.mu'.
bool withdraw(Account &from, long amount) {
  lock_account(from);
  if (from.balance < amount)
    return false;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'from.mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'from.mu' locked here, by the call to 'lock_account'
  from.balance -= amount;
  unlock_account(from);
  return true;
}

void release_only_sometimes(bool c) {
  acquire_table();
  work();
  if (c)
    release_table();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: mutex 'table_mu' may still be locked at the end of the function [concheck-unbalanced-lock]
// CHECK-MESSAGES: :[[@LINE-6]]:3: note: 'table_mu' locked here, by the call to 'acquire_table'

//===----------------------------------------------------------------------===//
// An unlock of a mutex the path already unlocked.
//===----------------------------------------------------------------------===//

void unlock_twice(bool c) {
  m.lock();
  work();
  m.unlock();
  if (c)
    m.unlock();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' unlocked again on a path that already unlocked it: unlocking a mutex that is not held is undefined behaviour [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'm' unlocked here first
}

// The loop's next iteration unlocks what the previous one already did.
void unlock_in_loop_locked_once() {
  m.lock();
  do {
    work();
    m.unlock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' unlocked again on a path that already unlocked it: unlocking a mutex that is not held is undefined behaviour [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: 'm' unlocked here first, on an earlier run of the loop
  } while (more());
}

void unlock_then_unlock_helper() {
  table_mu.lock();
  work();
  table_mu.unlock();
  release_table();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'release_table' unlocks mutex 'table_mu', which this path already unlocked: unlocking a mutex that is not held is undefined behaviour [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'table_mu' unlocked here first
}

void unlock_helper_then_unlock() {
  acquire_table();
  release_table();
  if (failed())
    table_mu.unlock();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'table_mu' unlocked again on a path that already unlocked it: unlocking a mutex that is not held is undefined behaviour [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'table_mu' unlocked here first, by the call to 'release_table'
}

//===----------------------------------------------------------------------===//
// A task that ends holding a mutex it took.
//===----------------------------------------------------------------------===//

void task_ends_holding() {
  std::thread t([] {
    m.lock();
    ++rows;
  });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task ends with mutex 'm' still locked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'm' locked here
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: task started here
  t.join();
}

void fill_table(int n) {
  acquire_table();
  if (n == 0)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' ends the task with mutex 'table_mu' still locked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'table_mu' locked here, by the call to 'acquire_table'
  // CHECK-MESSAGES: :[[@LINE+5]]:15: note: task started here
  rows += n;
}

void task_function_ends_holding() {
  std::thread t(fill_table, 4);
  t.join();
}

//===----------------------------------------------------------------------===//
// Silent.
//===----------------------------------------------------------------------===//

// Every path of the caller gives the helper's lock back.
void helper_lock_released_on_every_path(bool c) {
  acquire_table();
  if (c) {
    release_table();
    return;
  }
  ++rows;
  table_mu.unlock();
}

// A function that takes a lock through a helper and keeps it is a lock
// helper itself: its callers release.
void acquire_table_and_m() {
  acquire_table();
  m.lock();
}

// A helper that returns something (a status, the locked object) may not
// hold the lock on every result: its callers test it.
bool try_acquire_table() {
  if (failed())
    return false;
  table_mu.lock();
  return true;
}
bool maybe_insert() {
  if (!try_acquire_table())
    return false;
  ++rows;
  release_table();
  return true;
}

// A scoped guard returned by value unlocks by itself.
std::unique_lock<std::mutex> table_guard() {
  return std::unique_lock<std::mutex>(table_mu);
}
bool insert_with_guard(bool full) {
  auto g = table_guard();
  if (full)
    return false;
  ++rows;
  return true;
}

// A std::unique_lock's own unlock, then its end of scope: one unlock.
void unique_lock_unlocked_early() {
  std::unique_lock<std::mutex> lk(m);
  ++rows;
  lk.unlock();
  work();
}

// Locked again before each unlock.
void lock_and_unlock_in_loop(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    ++rows;
    m.unlock();
  }
}

// Dropped around the work and taken back, on every iteration.
void drop_around_work() {
  m.lock();
  while (more()) {
    m.unlock();
    work();
    m.lock();
  }
  m.unlock();
}

// Both unlocks test one local the opposite ways: one runs on each path.
void unlock_on_one_of_two_branches(bool early) {
  m.lock();
  if (early)
    m.unlock();
  work();
  if (!early)
    m.unlock();
}

// Hand over hand: 'cur' names another node after each step.
struct Node {
  std::mutex mu;
  Node *next = nullptr;
};
void walk(Node *head) {
  Node *cur = head;
  cur->mu.lock();
  while (cur->next) {
    Node *next = cur->next;
    next->mu.lock();
    cur->mu.unlock();
    cur = next;
  }
  cur->mu.unlock();
}

// A lock taken by a function this translation unit cannot see: the path may
// hold the mutex again. A function of another unit can take a mutex it is
// handed, or a global another unit can name.
void unlock_twice_around_unseen_calls() {
  shared_mu.lock();
  shared_mu.unlock();
  work(); // may lock 'shared_mu'
  shared_mu.unlock();
}
void external_lock(std::mutex &);
void relock_elsewhere(int n) {
  m.lock();
  for (int i = 0; i < n; ++i) {
    ++rows;
    m.unlock();
    external_lock(m);
  }
  m.unlock();
}

// A task that gives back what it takes, through a helper too.
void balanced_tasks() {
  std::thread a([] {
    m.lock();
    ++rows;
    m.unlock();
  });
  std::thread b([] {
    acquire_table();
    ++rows;
    release_table();
  });
  auto f = std::async(std::launch::async, [] {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [] { return rows > 0; });
  });
  a.join();
  b.join();
  f.get();
}

// A recursive mutex is held until it is unlocked as often as it was locked:
// a task that takes it twice and gives it back once ends holding it.
static std::recursive_mutex rec;
void recursive_tasks(bool twice) {
  std::thread leaky([] {
    rec.lock();
    rec.lock();
    ++rows;
    rec.unlock();
  });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task ends with recursive mutex 'rec' locked more often than unlocked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: 'rec' locked here
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: 'rec' locked here
  // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'rec' unlocked here
  // CHECK-MESSAGES: :[[@LINE-10]]:15: note: task started here
  // Balanced: as many unlocks as locks, a guard's among them.
  std::thread balanced([] {
    rec.lock();
    {
      std::lock_guard<std::recursive_mutex> g(rec);
      rec.lock();
      ++rows;
      rec.unlock();
    }
    rec.unlock();
  });
  // Locked twice on one path only, and given back as often on it.
  std::thread branchy([twice] {
    rec.lock();
    if (twice)
      rec.lock();
    ++rows;
    if (twice)
      rec.unlock();
    rec.unlock();
  });
  // A try_lock that failed took nothing.
  std::thread trying([] {
    rec.lock();
    if (rec.try_lock()) {
      ++rows;
      rec.unlock();
    }
    rec.unlock();
  });
  leaky.join();
  balanced.join();
  branchy.join();
  trying.join();
}

// Not a task: a function may hand one level of the lock to its caller.
void lock_rec_for_caller() {
  rec.lock();
  rec.lock();
  ++rows;
  rec.unlock();
}
