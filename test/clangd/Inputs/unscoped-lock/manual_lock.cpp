// Input for unscoped-lock.test and fast-check-filter.test (clangd), compiled
// against the real standard headers. The CHECK lines are read by FileCheck from
// this file, so [[@LINE]] is a line here. They mirror test/checks/
// unscoped-lock.cpp: clangd must report what clang-tidy reports, with the
// note sent as relatedInformation and printed right after its warning.
#include <mutex>

std::mutex m;
int counter = 0;

void f() {
  m.lock();
  // CHECK: manual_lock.cpp:[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  ++counter;
  m.unlock();
}

bool g(bool fail) {
  m.lock();
  // CHECK: manual_lock.cpp:[[@LINE-1]]:3: warning: mutex 'm' is locked with 'lock()' instead of a scoped guard [concheck-unscoped-lock]
  if (fail)
    return false;
  // CHECK: manual_lock.cpp:[[@LINE-1]]:5: warning: 'return' leaves mutex 'm' locked [concheck-unbalanced-lock]
  // CHECK-NEXT: manual_lock.cpp:[[@LINE-5]]:3: note: 'm' locked here
  ++counter;
  m.unlock();
  return true;
}

// Not a concurrency problem: fast-check-filter.test enables the stock,
// known-fast misc-unused-parameters check and expects it to fire here, which
// proves clang-tidy did run in the build whose diagnostics it looks at.
int control(int unused) { return 0; }
