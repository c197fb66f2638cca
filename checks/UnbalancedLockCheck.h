//===--- UnbalancedLockCheck.h - concheck-unbalanced-lock -------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_UNBALANCEDLOCKCHECK_H
#define CONCHECK_CHECKS_UNBALANCEDLOCKCHECK_H

#include "LockCheckBase.h"

namespace concheck {

/// Finds paths that leave a mutex locked: an early return, a break out of
/// the loop that locked it, a throw, or the end of the function reached
/// between a manual lock() and its unlock().
///
/// For the user-facing documentation see:
/// docs/checks/unbalanced-lock.md
class UnbalancedLockCheck : public LockCheckBase {
public:
  using LockCheckBase::LockCheckBase;
  /// C too: a path that leaves a pthread or C11 mutex locked is a bug there
  /// as well.
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus || LangOpts.C99;
  }

protected:
  void analyze(const clang::FunctionDecl *Callable, const LockScan &Scan,
               clang::ASTContext &Ctx) override;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_UNBALANCEDLOCKCHECK_H
