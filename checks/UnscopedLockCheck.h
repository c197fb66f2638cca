//===--- UnscopedLockCheck.h - concheck-unscoped-lock -----------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_UNSCOPEDLOCKCHECK_H
#define CONCHECK_CHECKS_UNSCOPEDLOCKCHECK_H

#include "LockCheckBase.h"

namespace concheck {

/// Finds mutexes locked with lock() and unlocked with unlock() by hand
/// instead of by a scoped guard (C++ Core Guidelines CP.20): style advice.
///
/// For the user-facing documentation see:
/// docs/checks/unscoped-lock.md
class UnscopedLockCheck : public LockCheckBase {
public:
  using LockCheckBase::LockCheckBase;

protected:
  void analyze(const clang::FunctionDecl *Callable, const LockScan &Scan,
               clang::ASTContext &Ctx) override;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_UNSCOPEDLOCKCHECK_H
