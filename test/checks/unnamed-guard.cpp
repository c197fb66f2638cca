// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -- -std=c++20 -isystem %S/../Inputs/std -I %S/../Inputs/lock-checks

// concheck-unnamed-guard against the mock headers: a guard that is not a
// named variable unlocks at the end of its statement (CP.44), and parentheses
// that make a guard declaration name a new variable; both with the fix-it
// that names the guard.

#include "lock_globals.h"

//===----------------------------------------------------------------------===//
// Unnamed guards (CP.44).
//===----------------------------------------------------------------------===//

void unnamed_lock_guard() {
  std::lock_guard<std::mutex>{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> lock{m};{{$}}
  work();
}

void unnamed_unique_lock_with_deduction() {
  std::unique_lock{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::unique_lock lock{m};{{$}}
  work();
}

void unnamed_scoped_lock_of_two() {
  std::scoped_lock{m1, m2};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm1' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::scoped_lock lock{m1, m2};{{$}}
  work();
}

void unnamed_shared_lock() {
  std::shared_lock<std::shared_mutex>{rw_mu};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'rw_mu' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::shared_lock<std::shared_mutex> lock{rw_mu};{{$}}
  work();
}

void unnamed_absl_mutex_lock() {
  absl::MutexLock{&amu};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'amu' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  absl::MutexLock lock{&amu};{{$}}
  work();
}

class Ledger {
public:
  void post(int amount) {
    std::lock_guard<std::mutex>(this->mu_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: unnamed guard unlocks 'this->mu_' at the end of the statement; give it a name [concheck-unnamed-guard]
    // CHECK-FIXES: {{^}}    std::lock_guard<std::mutex> lock(this->mu_);{{$}}
    total_ += amount;
  }

private:
  std::mutex mu_;
  int total_ = 0;
};

void unnamed_guard_when_lock_is_taken() {
  int lock = compute();
  std::lock_guard<std::mutex>{m};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> guard{m};{{$}}
  counter += lock;
}

// Declares a default-constructed std::unique_lock named 'm' that shadows the
// global mutex: nothing is locked at all.
void parenthesized_guard_declaration() {
  std::unique_lock<std::mutex>(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: parentheses make this declare a guard named 'm' that locks nothing; give the guard a name to lock 'm' [concheck-unnamed-guard]
  // CHECK-FIXES: {{^}}  std::unique_lock<std::mutex> lock(m);{{$}}
  work();
}

void consume(std::unique_lock<std::mutex> lock);
std::unique_lock<std::mutex> acquire();

std::unique_lock<std::mutex> returned_guard() {
  return std::unique_lock<std::mutex>(m); // Silent: ownership moves out.
}

void temporaries_that_are_not_unnamed_guards() {
  consume(std::unique_lock<std::mutex>(m)); // Silent: passed on.
  auto held = std::unique_lock{m1};         // Silent: it has a name.
  // Silent: the temporary lives to the end of the full-expression and guards
  // the call on purpose.
  (std::lock_guard<std::mutex>{m2}, work());
  std::unique_lock<std::mutex> moved = acquire();
}
