// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -- -std=c++20 -isystem %S/../Inputs/std

// Fix-its of concheck-unscoped-lock for manual lock()/unlock() pairs, and the
// cases that must be left alone. A region is rewritten only when the rewrite
// is certainly equivalent: the lock statement and its unlock are in the same
// compound statement, the unlock is that block's last statement, no jump
// leaves the region and no variable with a non-trivial destructor is declared
// at that block level in between.

#include <absl/synchronization/mutex.h>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <stdexcept>
#include <string>

void work();
void io();
int compute();
bool should_stop();
void use(const std::string &text);
std::string name();

std::mutex m;
std::mutex m1, m2;
std::shared_mutex rw_mu;
std::condition_variable_any cva;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
absl::Mutex amu;
bool ready;
int counter;

//===----------------------------------------------------------------------===//
// Regions that are rewritten.
//===----------------------------------------------------------------------===//

void plain_region_becomes_scoped_lock() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}
// CHECK-FIXES: void plain_region_becomes_scoped_lock() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

class Counter {
public:
  void increment() {
    this->mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'this->mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    ++value_;
    this->mu_.unlock();
  }
  // CHECK-FIXES: void increment() {{[{]}}
  // CHECK-FIXES-NEXT: {{^}}    std::scoped_lock lock(this->mu_);{{$}}
  // CHECK-FIXES: {{^}}    ++value_;{{$}}
  // CHECK-FIXES-NOT: this->mu_.unlock();
  // CHECK-FIXES: {{^}}  }{{$}}

  void decrement() {
    mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'mu_' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    --value_;
    mu_.unlock();
  }
  // CHECK-FIXES: void decrement() {{[{]}}
  // CHECK-FIXES-NEXT: {{^}}    std::scoped_lock lock(mu_);{{$}}
  // CHECK-FIXES: {{^}}    --value_;{{$}}
  // CHECK-FIXES-NOT: mu_.unlock();
  // CHECK-FIXES: {{^}}  }{{$}}

private:
  std::mutex mu_;
  int value_ = 0;
};

// The guard takes the mutex by reference: the pointer is dereferenced.
void pointer_region_dereferences_the_pointer(std::mutex *p) {
  p->lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'p' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  p->unlock();
}
// CHECK-FIXES: void pointer_region_dereferences_the_pointer(std::mutex *p) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(*p);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: p->unlock();
// CHECK-FIXES: {{^}}}{{$}}

void shared_region_becomes_shared_lock(int &out) {
  rw_mu.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_mu' is locked with 'lock_shared()' instead of a scoped guard [concheck-unscoped-lock]
  out = counter;
  rw_mu.unlock_shared();
}
// CHECK-FIXES: void shared_region_becomes_shared_lock(int &out) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::shared_lock lock(rw_mu);{{$}}
// CHECK-FIXES: {{^}}  out = counter;{{$}}
// CHECK-FIXES-NOT: rw_mu.unlock_shared();
// CHECK-FIXES: {{^}}}{{$}}

void exclusive_region_on_shared_mutex_becomes_scoped_lock() {
  rw_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'rw_mu' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  ++counter;
  rw_mu.unlock();
}
// CHECK-FIXES: void exclusive_region_on_shared_mutex_becomes_scoped_lock() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(rw_mu);{{$}}
// CHECK-FIXES: {{^}}  ++counter;{{$}}
// CHECK-FIXES-NOT: rw_mu.unlock();
// CHECK-FIXES: {{^}}}{{$}}

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

void absl_pointer_region_passes_the_pointer(absl::Mutex *mu_ptr) {
  mu_ptr->Lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'mu_ptr' is locked with 'Lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  mu_ptr->Unlock();
}
// CHECK-FIXES: void absl_pointer_region_passes_the_pointer(absl::Mutex *mu_ptr) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  absl::MutexLock lock(mu_ptr);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: mu_ptr->Unlock();
// CHECK-FIXES: {{^}}}{{$}}

// The region is the tail of an inner block: the guard ends with that block.
void region_at_the_end_of_an_inner_block(bool c) {
  if (c) {
    io();
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    m.unlock();
  }
  io();
}
// CHECK-FIXES: void region_at_the_end_of_an_inner_block(bool c) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  if (c) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}    io();{{$}}
// CHECK-FIXES-NEXT: {{^}}    std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}    work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  io();{{$}}

void loop_body_region(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    counter += i;
    m.unlock();
  }
}
// CHECK-FIXES: void loop_body_region(int n) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < n; ++i) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}    std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}    counter += i;{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}  }{{$}}

// An int has a trivial destructor: declaring one in the region is fine.
void trivially_destructible_local_in_region() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  int value = compute();
  counter += value;
  m.unlock();
}
// CHECK-FIXES: void trivially_destructible_local_in_region() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}  int value = compute();{{$}}
// CHECK-FIXES-NEXT: {{^}}  counter += value;{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

// The string dies at the end of its own block, before the unlock, with or
// without the rewrite.
void string_in_a_nested_block_of_the_region() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  {
    std::string text = name();
    use(text);
  }
  m.unlock();
}
// CHECK-FIXES: void string_in_a_nested_block_of_the_region() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}    use(text);{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

// The break leaves the inner loop, not the region.
void break_that_stays_inside_the_region(int n) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  for (int i = 0; i < n; ++i) {
    if (should_stop())
      break;
    work();
  }
  m.unlock();
}
// CHECK-FIXES: void break_that_stays_inside_the_region(int n) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}      break;{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

// The region drops the mutex around slow I/O: a std::unique_lock takes over,
// and the inner calls go through it. The relock is reported as well; the fix
// belongs to the first lock of the region.
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
// CHECK-FIXES-NEXT: {{^}}  std::unique_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NEXT: {{^}}  lock.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  io();{{$}}
// CHECK-FIXES-NEXT: {{^}}  lock.lock();{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

// condition_variable_any::wait unlocks and relocks whatever it is given: once
// the region has a std::unique_lock, the wait takes that instead.
void region_with_condition_variable_any_wait() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  cva.wait(m, [] { return ready; });
  ++counter;
  m.unlock();
}
// CHECK-FIXES: void region_with_condition_variable_any_wait() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::unique_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}  cva.wait(lock, [] { return ready; });{{$}}
// CHECK-FIXES-NEXT: {{^}}  ++counter;{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

void name_lock_is_taken(int lock) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  counter += lock;
  m.unlock();
}
// CHECK-FIXES: void name_lock_is_taken(int lock) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock guard(m);{{$}}
// CHECK-FIXES: {{^}}  counter += lock;{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}

//===----------------------------------------------------------------------===//
// Regions that are reported but not rewritten: the code stays as it is.
//===----------------------------------------------------------------------===//

void early_return_in_region(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  work();
  m.unlock();
}
// CHECK-FIXES: void early_return_in_region(bool c) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}    return;{{$}}
// CHECK-FIXES: {{^}}  m.unlock();{{$}}

// Every exit unlocks first, but the final unlock is not the last statement of
// the block: no fix.
int early_return_after_unlock_in_region(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    m.unlock();
    return -1;
  }
  work();
  m.unlock();
  return 0;
}
// CHECK-FIXES: int early_return_after_unlock_in_region(bool c) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}    m.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}    return -1;{{$}}
// CHECK-FIXES: {{^}}  m.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  return 0;{{$}}

void throw_in_region(int value) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (value < 0)
    throw std::invalid_argument("negative");
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'throw' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'm' locked here
  counter += value;
  m.unlock();
}
// CHECK-FIXES: void throw_in_region(int value) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}  m.unlock();{{$}}

void continue_in_region(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
    if (i % 2 == 0)
      continue;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'continue' leaves mutex 'm' locked [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'm' locked here
    counter += i;
    m.unlock();
  }
}
// CHECK-FIXES: void continue_in_region(int n) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < n; ++i) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}    m.lock();{{$}}
// CHECK-FIXES: {{^}}    m.unlock();{{$}}

// With a guard the string would be destroyed before the unlock instead of
// after it.
void string_declared_in_region() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  std::string text = name();
  use(text);
  m.unlock();
}
// CHECK-FIXES: void string_declared_in_region() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}  use(text);{{$}}
// CHECK-FIXES-NEXT: {{^}}  m.unlock();{{$}}

// A guard would hold the mutex over the rest of the block.
void unlock_not_last_in_block() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
  io();
}
// CHECK-FIXES: void unlock_not_last_in_block() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}  m.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  io();{{$}}

// TODO: a value computed under the lock and returned after the unlock could
// become 'std::scoped_lock lock(m); return counter;'; not rewritten yet.
int unlock_then_return_value() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  int value = counter;
  m.unlock();
  return value;
}
// CHECK-FIXES: int unlock_then_return_value() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}  m.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  return value;{{$}}

void unlock_in_other_blocks(bool c) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (c) {
    work();
    m.unlock();
  } else {
    m.unlock();
    io();
  }
}
// CHECK-FIXES: void unlock_in_other_blocks(bool c) {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}
// CHECK-FIXES: {{^}}    m.unlock();{{$}}
// CHECK-FIXES: {{^}}    m.unlock();{{$}}

void lock_for_caller() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
}
// CHECK-FIXES: void lock_for_caller() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m.lock();{{$}}

void try_lock_gets_no_fix() {
  if (m.try_lock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'm' is locked with 'try_lock()' instead of a scoped guard [concheck-unscoped-lock]
    work();
    m.unlock();
  }
}
// CHECK-FIXES: void try_lock_gets_no_fix() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  if (m.try_lock()) {{[{]}}
// CHECK-FIXES: {{^}}    m.unlock();{{$}}

void pthread_gets_no_fix() {
  pthread_mutex_lock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'pm' is locked with 'pthread_mutex_lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  pthread_mutex_unlock(&pm);
}
// CHECK-FIXES: void pthread_gets_no_fix() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  pthread_mutex_lock(&pm);{{$}}
// CHECK-FIXES: {{^}}  pthread_mutex_unlock(&pm);{{$}}

// TODO: 'std::scoped_lock lock(m1, m2);' would be right when both unlocks
// end the block; std::lock gets no fix yet.
void std_lock_gets_no_fix() {
  std::lock(m1, m2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm1' is locked with 'std::lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m1.unlock();
  m2.unlock();
}
// CHECK-FIXES: void std_lock_gets_no_fix() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::lock(m1, m2);{{$}}
// CHECK-FIXES: {{^}}  m1.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  m2.unlock();{{$}}

std::unique_ptr<std::mutex> owned_mutex;

void smart_pointer_region_dereferences_it() {
  owned_mutex->lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'owned_mutex' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  owned_mutex->unlock();
}
// CHECK-FIXES: void smart_pointer_region_dereferences_it() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(*owned_mutex);{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  work();{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}
