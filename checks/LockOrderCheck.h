//===--- LockOrderCheck.h - concheck-lock-order -----------------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_LOCKORDERCHECK_H
#define CONCHECK_CHECKS_LOCKORDERCHECK_H

#include "TaskCheckBase.h"
#include "model/LockOrder.h"
#include "model/ModelContext.h"
#include "model/SyncModel.h"
#include "llvm/ADT/DenseSet.h"
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace concheck {

/// Finds deadlocks among mutexes: two paths that can run at once taking two
/// mutexes in opposite orders, a non-recursive mutex locked again by a path
/// that holds it, and a join or wait while holding a mutex the awaited task
/// locks.
///
/// For the user-facing documentation see:
/// docs/checks/lock-order.md
class LockOrderCheck : public TaskCheckBase {
public:
  using TaskCheckBase::TaskCheckBase;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  /// C too: pthread and C11 mutexes deadlock the same way.
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus || LangOpts.C99;
  }

protected:
  void checkFunction(const clang::FunctionDecl *FD,
                     clang::ASTContext &Ctx) override;
  void checkTask(const model::Task &T, clang::ASTContext &Ctx) override;

private:
  /// An order edge of the translation unit, in the terms of the function
  /// that takes it or of the spawner of the task that does.
  struct RootEdge {
    model::OrderEdge E;
    /// What the mutexes' names are relative to: null for globals, a class
    /// for members of 'this', a function for its locals.
    const clang::Decl *Frame = nullptr;
    /// The spawns of the tasks that take it (none: a function's own).
    llvm::SmallVector<const clang::Expr *, 2> Starts;
  };
  void checkDoubleLocks(const clang::FunctionDecl *FD,
                        const model::LockOrderSummary &S);
  /// A join of \p T while holding a mutex that \p T takes (\p TS: its
  /// order summary in the spawner's terms).
  void checkJoins(const model::Task &T, const model::LockOrderSummary &TS);
  void collect(const model::LockOrderSummary &S,
               const clang::FunctionDecl *Terms, const clang::Expr *Start);
  /// The frame of \p P in \p Terms' terms; none when two roots could name
  /// different objects by it.
  std::optional<const clang::Decl *> frameOf(const model::AccessPath &P,
                                             const clang::FunctionDecl *Terms,
                                             bool FromTask) const;
  clang::ASTContext *Ctx = nullptr;
  std::vector<RootEdge> Edges;
  std::map<std::tuple<const clang::Decl *, std::string, std::string,
                      const clang::Expr *, const clang::Expr *>,
           size_t>
      EdgeIndex;
  /// The spawner whose synchronization Sync describes.
  const clang::FunctionDecl *SyncOf = nullptr;
  model::Bindings SpawnerLocals;
  std::unique_ptr<model::SpawnerSync> Sync;
  std::optional<model::LockSetAnalysis> SpawnerLocks;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_LOCKORDERCHECK_H
