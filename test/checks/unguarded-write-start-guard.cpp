// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/std

// Start guards in C++: the pool's workers wait under its mutex while its
// queue is empty, and the pool is finished after they start. A member
// function the analysis cannot see, called on the pool by a worker, may
// open the queue itself: that worker is not held back.

#include <mutex>
#include <functional>
#include <thread>

struct pool {
  std::mutex mu;
  int empty = 0;
  int shutdown = 0;
  unsigned limit = 0, result = 0;

  void open(); // defined elsewhere: it may clear 'empty'
  void note() const;
};

void held_worker(pool *p) {
  std::lock_guard<std::mutex> lock(p->mu);
  while (p->empty) {
    if (p->shutdown)
      return;
  }
  p->result = p->limit;
}

pool *make_pool() {
  pool *p = new pool;
  p->empty = 1;
  std::thread t(held_worker, p);
  t.detach();
  p->limit = 4;
  return p;
}

// The worker calls a member function without a body on the pool before
// it tests the mark: 'open()' may clear it.
void opening_worker(pool *p) {
  std::lock_guard<std::mutex> lock(p->mu);
  p->open();
  while (p->empty) {
  }
  p->result = p->limit;
}

pool *make_pool_opened() {
  pool *p = new pool;
  p->empty = 1;
  std::thread t(opening_worker, p);
  t.detach();
  p->limit = 4;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

// The same through a reference to the pool.
void opening_worker_ref(pool &q) {
  std::lock_guard<std::mutex> lock(q.mu);
  q.open();
  while (q.empty) {
  }
  q.result = q.limit;
}

pool *make_pool_opened_ref() {
  pool *p = new pool;
  p->empty = 1;
  std::thread t(opening_worker_ref, std::ref(*p));
  t.detach();
  p->limit = 4;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

// A const member function cannot change the mark: still held back.
void noting_worker(pool *p) {
  std::lock_guard<std::mutex> lock(p->mu);
  p->note();
  while (p->empty) {
  }
  p->result = p->limit;
}

pool *make_pool_noted() {
  pool *p = new pool;
  p->empty = 1;
  std::thread t(noting_worker, p);
  t.detach();
  p->limit = 4;
  return p;
}
