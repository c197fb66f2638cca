// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -config="{CheckOptions: {concheck-unscoped-lock.IgnoreMacros: false, concheck-unbalanced-lock.IgnoreMacros: false, concheck-unnamed-guard.IgnoreMacros: false}}" -- -std=c++20 -isystem %S/../Inputs/std
// RUN: %check_concheck %s concheck-unscoped-lock,concheck-unbalanced-lock,concheck-unnamed-guard %t -- -config="{CheckOptions: {concheck-unscoped-lock.IgnoreMacros: off, concheck-unbalanced-lock.IgnoreMacros: 0, concheck-unnamed-guard.IgnoreMacros: No}}" -- -std=c++20 -isystem %S/../Inputs/std

// With IgnoreMacros: false, code expanded from macros is reported too. A
// diagnostic in a macro expansion points at the macro's use. Fix-its never
// rewrite macro expansions (the macro may expand differently elsewhere).
// With the default (true) these cases are silent: see unscoped-lock.cpp.

#include <mutex>

void work();

std::mutex m;
std::mutex m2;

// The call starts in the macro body, so the diagnostic is at the macro's use.
#define LOCK(mu) (mu).lock()
#define UNLOCK(mu) (mu).unlock()
#define LOCK_GLOBAL() m.lock()
#define UNLOCK_GLOBAL() m.unlock()
#define RETURN_IF(cond)                                                        \
  if (cond)                                                                    \
  return
#define SYNCHRONIZED(mu) std::lock_guard<std::mutex>{mu}

void macro_lock_with_argument() {
  LOCK(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  UNLOCK(m);
}
// CHECK-FIXES: void macro_lock_with_argument() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  LOCK(m);{{$}}
// CHECK-FIXES: {{^}}  UNLOCK(m);{{$}}

void macro_lock_without_argument() {
  LOCK_GLOBAL();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  UNLOCK_GLOBAL();
}
// CHECK-FIXES: void macro_lock_without_argument() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  LOCK_GLOBAL();{{$}}
// CHECK-FIXES: {{^}}  UNLOCK_GLOBAL();{{$}}

// The lock is plain code but its unlock is a macro: no fix either.
void plain_lock_with_macro_unlock() {
  m2.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm2' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  UNLOCK(m2);
}
// CHECK-FIXES: void plain_lock_with_macro_unlock() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  m2.lock();{{$}}
// CHECK-FIXES: {{^}}  UNLOCK(m2);{{$}}

void macro_return_leaves_locked(bool c) {
  LOCK(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  RETURN_IF(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'm' locked here
  work();
  UNLOCK(m);
}

void macro_unnamed_guard() {
  SYNCHRONIZED(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed guard unlocks 'm' at the end of the statement; give it a name [concheck-unnamed-guard]
  work();
}
// CHECK-FIXES: void macro_unnamed_guard() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  SYNCHRONIZED(m);{{$}}

// Plain code is reported as usual, fix-it included.
void plain_region_still_fixed() {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  work();
  m.unlock();
}
// CHECK-FIXES: void plain_region_still_fixed() {{[{]}}
// CHECK-FIXES-NEXT: {{^}}  std::scoped_lock lock(m);{{$}}
// CHECK-FIXES: {{^}}  work();{{$}}
// CHECK-FIXES-NOT: m.unlock();
// CHECK-FIXES: {{^}}}{{$}}
