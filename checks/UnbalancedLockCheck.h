//===--- UnbalancedLockCheck.h - concheck-unbalanced-lock -------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_UNBALANCEDLOCKCHECK_H
#define CONCHECK_CHECKS_UNBALANCEDLOCKCHECK_H

#include "LockCheckBase.h"
#include "model/Effects.h"
#include "llvm/ADT/DenseMap.h"
#include <vector>

namespace concheck {

/// Finds paths that leave a mutex locked: an early return, a break out of
/// the loop that locked it, a throw, or the end of the function reached
/// between a manual lock() (or a call of a lock helper) and its unlock();
/// an unlock on a path that already unlocked; a task that ends, or a thread
/// that exits, holding a mutex it took.
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

  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;

  /// Where a path holding a mutex starts: a manual lock, or a call of a
  /// helper that returns holding it.
  struct LockStart;
  /// A release of a mutex: an unlock, or a call of an unlock helper.
  struct ReleaseSite;

protected:
  void analyze(const clang::FunctionDecl *Callable, const LockScan &Scan,
               clang::ASTContext &Ctx) override;

private:
  /// A way a function that keeps a lock gets out holding it: reported at
  /// the end of the translation unit if the function is a task's body.
  struct KeptLock {
    const clang::FunctionDecl *Function = nullptr;
    clang::SourceLocation Out; ///< a return, or the closing brace
    bool IsReturn = false;
    clang::SourceLocation Locked;
    std::string Mutex, Helper;
    /// A recursive mutex locked more often than unlocked: its locks and
    /// unlocks in the function (true for a lock), for the notes.
    bool Recursive = false;
    std::vector<std::pair<clang::SourceLocation, bool>> Sites;
  };

  void reportNote(const LockStart &L);
  /// A call of the body that ends the thread, and the pthread_exit or
  /// thrd_exit that does it (the call itself, or one in what it calls).
  using ThreadExit =
      std::pair<const clang::CallExpr *, const clang::CallExpr *>;
  void checkThreadExits(const LockStart &L,
                        llvm::ArrayRef<ThreadExit> ExitCalls,
                        const model::BodyCFG &Body,
                        const model::BodyEffects &Effects);
  void keepLock(const LockStart &L, const clang::FunctionDecl *Callable,
                const model::BodyCFG &Body, const model::BodyEffects &Effects);
  /// The recursive mutexes of \p Mutexes that every return of \p Callable
  /// still holds, each lock of them released later on its own path: kept
  /// for the end of the unit, which reports them if the function is a task.
  void keepRecursive(const clang::FunctionDecl *Callable,
                     const model::BodyCFG &Body,
                     llvm::ArrayRef<model::AccessPath> Mutexes,
                     llvm::ArrayRef<LockStart> Starts,
                     llvm::ArrayRef<ReleaseSite> Releases);
  /// The call that ends the thread (pthread_exit, thrd_exit) that \p Call
  /// makes or leads to on every path; null when it does not.
  const clang::CallExpr *threadExitOf(const clang::CallExpr *Call);

  /// The first spawn of each task body (canonical declaration).
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Expr *> TaskStarts;
  std::vector<KeptLock> Kept;
  /// Functions that end the thread on every path, with the call that does.
  llvm::DenseMap<const clang::FunctionDecl *, const clang::CallExpr *> Exits;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_UNBALANCEDLOCKCHECK_H
