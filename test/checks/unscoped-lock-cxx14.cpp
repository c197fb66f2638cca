// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -- -std=c++14 -isystem %S/../Inputs/std

// C++14 has neither std::scoped_lock nor class template argument deduction:
// the fix-its spell the guard with its template argument.

#include <absl/synchronization/mutex.h>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

void work();
void io();

std::mutex m;
std::mutex m1, m2;
std::recursive_mutex rec_mu;
std::shared_timed_mutex rw_timed_mu;
absl::Mutex amu;
int counter;

void region_becomes_lock_guard() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}
// CHECK-FIXES: void region_becomes_lock_guard() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::lock_guard<std::mutex> lock(m);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

void recursive_region_becomes_lock_guard() {
  rec_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rec_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  rec_mu.unlock();
}
// CHECK-FIXES: void recursive_region_becomes_lock_guard() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::lock_guard<std::recursive_mutex> lock(rec_mu);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: rec_mu.unlock();
// CHECK-FIXES: {{^}}}{{$}}

void shared_region_becomes_shared_lock(int &out) {
  rw_timed_mu.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_timed_mu' is locked with 'lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
  out = counter;
  rw_timed_mu.unlock_shared();
}
// CHECK-FIXES: void shared_region_becomes_shared_lock(int &out) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::shared_lock<std::shared_timed_mutex> lock(rw_timed_mu);{{$}}
// CHECK-FIXES: {{^}}  out = counter;{{$}}
// CHECK-FIXES-NOT: rw_timed_mu.unlock_shared();
// CHECK-FIXES: {{^}}}{{$}}

class Counter {
public:
  void increment() {
    mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    ++value_;
    mu_.unlock();
  }
  // CHECK-FIXES: void increment() {{[{]}}
  // CHECK-FIXES-NEXT: {{^}}    std::lock_guard<std::mutex> lock(mu_);{{$}}
  // CHECK-FIXES: {{^}}    ++value_;{{$}}
  // CHECK-FIXES-NOT: mu_.unlock();
  // CHECK-FIXES: {{^}}  }{{$}}

private:
  std::mutex mu_;
  int value_ = 0;
};

void pointer_region_dereferences_the_pointer(std::mutex *p) {
  p->lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'p' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  p->unlock();
}
// CHECK-FIXES: void pointer_region_dereferences_the_pointer(std::mutex *p) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::lock_guard<std::mutex> lock(*p);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: p->unlock();
// CHECK-FIXES: {{^}}}{{$}}

void region_that_unlocks_and_relocks() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
  io();
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}
// CHECK-FIXES: void region_that_unlocks_and_relocks() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::unique_lock<std::mutex> lock(m);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NEXT: {{^}}  lock.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  io();{{$}}
// CHECK-FIXES-NEXT: {{^}}  lock.lock();{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

// absl::MutexLock is the same in every standard.
void absl_region_becomes_mutex_lock() {
  amu.Lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'amu' is locked with 'Lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  amu.Unlock();
}
// CHECK-FIXES: void absl_region_becomes_mutex_lock() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  absl::MutexLock lock(&amu);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: amu.Unlock();
// CHECK-FIXES: {{^}}}{{$}}

void early_return_leaves_locked(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  work();
  m.unlock();
}
// CHECK-FIXES: void early_return_leaves_locked(bool c) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}  m.unlock();{{$}}

void unnamed_lock_guard() {
  std::lock_guard<std::mutex>{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> lock{m};{{$}}
  work();
}

void unnamed_unique_lock_temporary() {
  std::unique_lock<std::mutex>{m2};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm2' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::unique_lock<std::mutex> lock{m2};{{$}}
  work();
}

void parenthesized_guard_declaration() {
  std::unique_lock<std::mutex>(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: parentheses make this declare a guard named 'm' that locks nothing; give the guard a name to lock 'm' [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::unique_lock<std::mutex> lock(m);{{$}}
  work();
}

void scoped_guards_are_silent() {
  {
    std::lock_guard<std::mutex> lock(m);
    work();
  }
  {
    std::unique_lock<std::mutex> lock(m);
    lock.unlock();
    io();
    lock.lock();
  }
  {
    std::shared_lock<std::shared_timed_mutex> lock(rw_timed_mu);
    work();
  }
  {
    std::lock(m1, m2);
    std::lock_guard<std::mutex> g1(m1, std::adopt_lock);
    std::lock_guard<std::mutex> g2(m2, std::adopt_lock);
    work();
  }
}
