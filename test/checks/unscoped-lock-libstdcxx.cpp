// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -- -std=c++20

// concheck-unscoped-lock against the real libstdc++ and glibc headers, which
// is what users compile: their guards lock and unlock in inline code, their
// timed_mutex gets try_lock_for from an internal base class, and std::mutex
// calls pthread_mutex_lock itself. None of that may be reported.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <stdexcept>
#include <thread>

void work();
void io();
bool should_stop();

std::mutex m;
std::mutex m1, m2;
std::timed_mutex timed_mu;
std::recursive_mutex rec_mu;
std::shared_mutex rw_mu;
std::condition_variable cv;
std::condition_variable_any cva;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
bool ready;
int counter;

//===----------------------------------------------------------------------===//
// Positives.
//===----------------------------------------------------------------------===//

void mutex_locked_by_hand() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}
// CHECK-FIXES: void mutex_locked_by_hand() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

void shared_mutex_shared_lock_by_hand(int &out) {
  rw_mu.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_mu' is locked with 'lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
  out = counter;
  rw_mu.unlock_shared();
}
// CHECK-FIXES: void shared_mutex_shared_lock_by_hand(int &out) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::shared_lock lock(rw_mu);{{$}}
// CHECK-FIXES: {{^}}  out = counter;{{$}}
// CHECK-FIXES-NOT: rw_mu.unlock_shared();
// CHECK-FIXES: {{^}}}{{$}}

void recursive_mutex_locked_by_hand() {
  rec_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rec_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  rec_mu.unlock();
}

// try_lock_for is a member of libstdc++'s internal __timed_mutex_impl base.
void timed_mutex_try_lock_for_success_path() {
  if (timed_mu.try_lock_for(std::chrono::milliseconds(10))) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'timed_mu' is locked with 'try_lock_for()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    timed_mu.unlock();
  }
}

void try_lock_failure_returns_early() {
  if (!m.try_lock())
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: mutex 'm' is locked with 'try_lock()' instead of a scoped guard [concheck-unscoped-lock]
    return;
  work();
  m.unlock();
}

void std_lock_without_adopting_guards() {
  std::lock(m1, m2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm1' is locked with 'std::lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m1.unlock();
  m2.unlock();
}

void pthread_mutex_locked_by_hand() {
  pthread_mutex_lock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'pm' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  pthread_mutex_unlock(&pm);
}

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

void throw_leaves_locked(int value) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (value < 0)
    throw std::invalid_argument("negative");
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'throw' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  counter += value;
  m.unlock();
}

void fall_off_end_may_leave_locked(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  if (c)
    m.unlock();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: mutex 'm' may still be locked at the end of the function [concheck-unbalanced-lock]
// CHECK-MESSAGES: :[[@LINE-7]]:3: note: 'm' locked here

void lambda_in_thread_locks_by_hand() {
  std::thread worker([] {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    ++counter;
    m.unlock();
  });
  worker.join();
}

void unnamed_lock_guard() {
  std::lock_guard<std::mutex>{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> lock{m};{{$}}
  work();
}

void unnamed_scoped_lock_of_two() {
  std::scoped_lock{m1, m2};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm1' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::scoped_lock lock{m1, m2};{{$}}
  work();
}

void parenthesized_guard_declaration() {
  std::unique_lock<std::mutex>(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: parentheses make this declare a guard named 'm' that locks nothing; give the guard a name to lock 'm' [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::unique_lock<std::mutex> lock(m);{{$}}
  work();
}

//===----------------------------------------------------------------------===//
// Negatives: guards, guard members, adopt_lock, waits, own implementations.
//===----------------------------------------------------------------------===//

void scoped_guards() {
  {
    std::lock_guard<std::mutex> lock(m);
    work();
  }
  {
    std::scoped_lock lock(m1, m2);
    work();
  }
  {
    std::shared_lock lock(rw_mu);
    work();
  }
  {
    std::unique_lock<std::timed_mutex> lock(timed_mu, std::chrono::milliseconds(5));
    if (lock)
      work();
  }
}

void unique_lock_members() {
  std::unique_lock lock(m);
  work();
  lock.unlock();
  io();
  lock.lock();
  work();
}

void std_lock_then_adopting_guards() {
  std::lock(m1, m2);
  std::lock_guard<std::mutex> g1(m1, std::adopt_lock);
  std::lock_guard<std::mutex> g2(m2, std::adopt_lock);
  work();
}

void lock_then_adopting_guard() {
  m.lock();
  std::lock_guard<std::mutex> guard(m, std::adopt_lock);
  work();
}

void condition_variable_waits() {
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [] { return ready; });
  cv.wait_for(lock, std::chrono::milliseconds(10), [] { return ready; });
  cva.wait(lock, [] { return ready; });
}

void jthread_with_guard() {
  std::jthread worker([](std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::lock_guard<std::mutex> lock(m);
      ++counter;
    }
  });
}

class InstrumentedMutex {
public:
  void lock() {
    inner_.lock();
    ++acquisitions_;
  }
  void unlock() { inner_.unlock(); }

private:
  std::mutex inner_;
  int acquisitions_ = 0;
};

class MutexGuard {
public:
  explicit MutexGuard(std::mutex &mu) : mu_(mu) { mu_.lock(); }
  ~MutexGuard() { mu_.unlock(); }

private:
  std::mutex &mu_;
};

void custom_types_in_use() {
  InstrumentedMutex instrumented;
  {
    std::lock_guard<InstrumentedMutex> lock(instrumented);
    work();
  }
  {
    MutexGuard guard(m);
    work();
  }
}
