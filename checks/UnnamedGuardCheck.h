//===--- UnnamedGuardCheck.h - concheck-unnamed-guard -----------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_UNNAMEDGUARDCHECK_H
#define CONCHECK_CHECKS_UNNAMEDGUARDCHECK_H

#include "LockCheckBase.h"

namespace concheck {

/// Finds lock guards that guard nothing: an unnamed guard, destroyed (and
/// unlocking) at the end of its own statement (C++ Core Guidelines CP.44),
/// and a guard whose parentheses make it a new variable named like the mutex.
///
/// For the user-facing documentation see:
/// docs/checks/unnamed-guard.md
class UnnamedGuardCheck : public LockCheckBase {
public:
  using LockCheckBase::LockCheckBase;

protected:
  void analyze(const clang::FunctionDecl *Callable, const LockScan &Scan,
               clang::ASTContext &Ctx) override;

private:
  void checkUnnamedGuard(const clang::CXXConstructExpr *Construct,
                         const clang::CXXFunctionalCastExpr *Cast,
                         const clang::FunctionDecl *Callable,
                         clang::ASTContext &Ctx);
  void checkParenthesizedGuard(const clang::VarDecl *Guard,
                               const clang::FunctionDecl *Callable,
                               clang::ASTContext &Ctx);
};

} // namespace concheck

#endif // CONCHECK_CHECKS_UNNAMEDGUARDCHECK_H
