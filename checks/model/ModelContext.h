//===--- ModelContext.h - The model of one translation unit -----*- C++ -*-===//
//
// Part of concheck. Everything the model knows about one translation unit,
// owned in one place and shared by every check of a run: the body CFGs, the
// spawn, wait-group, lock and access models built from the options, the
// task model's per-spawner facts, and the function summaries. A check asks for
// the context of its ASTContext and its options; checks configured alike (the
// usual case: the options are given once, without a check prefix) share one
// context, so a spawner's tasks are found once per translation unit, not once
// per check. The context lives exactly as long as the ASTContext: it is
// destroyed with it, so no check resets a cache by hand (clangd keeps several
// ASTs alive at once, the concheck command checks translation units in
// parallel).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_MODELCONTEXT_H
#define CONCHECK_MODEL_MODELCONTEXT_H

#include "AccessModel.h"
#include "LockModel.h"
#include "LockOrder.h"
#include "ProjectFacts.h"
#include "SpawnModel.h"
#include "Summary.h"
#include "TaskModel.h"
#include "WaitGroupModel.h"
#include "clang/AST/ASTContext.h"

namespace concheck::model {

/// Every option the model reads (CheckOptions, see ModelOptions.h).
struct ModelOptions {
  SpawnModelOptions Spawns;
  WaitGroupModelOptions Groups;
  LockModelOptions Locks;
  AccessModelOptions Accesses;

  friend bool operator==(const ModelOptions &A, const ModelOptions &B) {
    return A.Spawns.SpawnFunctions == B.Spawns.SpawnFunctions &&
           A.Groups.WaitGroupTypes == B.Groups.WaitGroupTypes &&
           A.Locks.MutexTypes == B.Locks.MutexTypes &&
           A.Locks.GuardTypes == B.Locks.GuardTypes &&
           A.Accesses.ThreadSafeTypes == B.Accesses.ThreadSafeTypes;
  }
};

class ModelContext {
public:
  /// The context of \p Ctx's translation unit under \p Opts: made on first
  /// use, shared by every caller with equal options, destroyed with \p Ctx.
  /// Safe to call from threads checking different translation units.
  static ModelContext &get(clang::ASTContext &Ctx, const ModelOptions &Opts);

  const ModelOptions &options() const { return Opts; }
  /// What other translation units of the project say (ProjectFacts).
  const FactsView &facts() const { return Facts; }
  const SpawnModel &spawns() const { return Spawns; }
  const WaitGroupModel &groups() const { return Groups; }
  const LockModel &locks() const { return Locks; }
  const AccessModel &accesses() const { return Accesses; }
  TaskModel &tasks() { return Tasks; }
  SummaryModel &summaries() { return Summaries; }
  LockOrderModel &lockOrders() { return LockOrders; }

  ModelContext(const ModelContext &) = delete;
  ModelContext &operator=(const ModelContext &) = delete;

private:
  ModelContext(const ModelOptions &Opts,
               std::shared_ptr<const ProjectFacts> Facts);
  friend struct TranslationUnitState;

  const ModelOptions Opts;
  const FactsView Facts;
  const SpawnModel Spawns;
  const WaitGroupModel Groups;
  const LockModel Locks;
  const AccessModel Accesses;
  SummaryModel Summaries;
  TaskModel Tasks;
  LockOrderModel LockOrders;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_MODELCONTEXT_H
