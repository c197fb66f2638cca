//===--- TaskModel.h - Spawned tasks and the groups that count them -*- C++
//-*-===//
//
// Part of concheck. For each place a function starts a task, the facts the
// wait-group checks reason about, all in the spawner's terms:
//  * the task's body and how its parameters and captures name the spawner's
//    objects (SpawnModel);
//  * the wait-group calls the task makes itself, and its local objects whose
//    destruction calls done (done_guard, scope-exit helpers, defer structs);
//  * which groups count the task: the spawn is the group's go(), the task
//    calls the group's done, or an add on the group runs in the spawner just
//    before the spawn (same block or loop iteration, no spawn in between);
//  * calls from the task into functions of this translation unit, so that a
//    done or a wait behind a helper is found (their summaries, any depth).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_TASKMODEL_H
#define CONCHECK_MODEL_TASKMODEL_H

#include "Effects.h"
#include "SpawnModel.h"
#include "Summary.h"
#include "WaitGroupModel.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <memory>
#include <vector>

namespace concheck::model {

/// A wait-group call reached from the task through calls to functions of this
/// translation unit: the call chain starts in the task's own body.
struct ReachedOp {
  GroupOp Op;
  /// The calls from the task's body down to the function making Op (empty
  /// when the task makes it itself).
  llvm::SmallVector<const clang::CallExpr *, 2> Chain;
  /// Every path to Op from the first call of the chain passes a done on the
  /// group first, in a function on the chain (function summaries).
  bool AfterDoneInCallees = false;
};

struct Task {
  Spawn S;
  const clang::FunctionDecl *Spawner = nullptr;
  /// The task's bindings merged with the spawner's pointer locals.
  Bindings B;
  /// Wait-group calls made directly in the task's body (not in nested tasks
  /// or lambdas).
  llvm::SmallVector<GroupOp, 4> Ops;
  /// Local objects whose destruction calls done.
  llvm::SmallVector<DoneGuard, 1> Guards;
};

/// The wait-group calls of \p Body and its done guards (local objects whose
/// destruction calls done: concheck::done_guard, a scope-exit lambda, a
/// defer struct), named through \p B. Nested lambdas are left out (a child
/// task, or a callback that runs who knows when). A group the body declares
/// itself is a new one in every call, and is left out too.
void scanGroupCalls(const SpawnModel &Spawns, const WaitGroupModel &Groups,
                    const clang::FunctionDecl *Body, const Bindings &B,
                    llvm::SmallVectorImpl<GroupOp> &Ops,
                    llvm::SmallVectorImpl<DoneGuard> &Guards);

class TaskModel {
public:
  TaskModel(const SpawnModel &Spawns, const LockModel &Locks,
            const WaitGroupModel &Groups, SummaryModel &Summaries)
      : Spawns(Spawns), Locks(Locks), Groups(Groups), Summaries(Summaries) {}

  /// The tasks \p Spawner starts, with their facts. Cached for the
  /// translation unit (the model context owns this model).
  const std::vector<Task> &tasksOf(const clang::FunctionDecl *Spawner);

  /// The go() that starts \p T on group \p G, if it does.
  bool countedByGo(const Task &T, const AccessPath &G) const;

  /// The add on \p G in the spawner that pairs with \p T's spawn: in the same
  /// block or loop iteration before it (or in an enclosing block before the
  /// statement that holds it), with no other spawn in between.
  const GroupOp *pairedAdd(const Task &T, const AccessPath &G);

  /// The adds in the spawner that pair with \p T's spawn, the nearest one on
  /// each group (see pairedAdd).
  llvm::SmallVector<GroupOp, 1> pairedAdds(const Task &T);

  /// Whether nothing can call done on \p G: it is a local object of
  /// \p Spawner that is used only as the object of add and wait calls (no
  /// done, no go, its address never taken or passed along), except that it
  /// may be passed to task functions that use it the same way.
  bool neverCountedDown(const clang::FunctionDecl *Spawner,
                        const AccessPath &G);

  /// Whether the CFG element \p E of the task's body constructs a local
  /// object whose destruction calls done on \p G. From there done is
  /// certain: the destructor runs on every way out of the object's scope,
  /// including the unwinding of a throw, which the CFG does not show.
  bool startsDoneGuard(const Task &T, const AccessPath &G,
                       const clang::CFGElement &E) const;

  /// The groups \p T calls done on (directly, through a done guard, or in a
  /// function it calls, as that function's summary says), in the spawner's
  /// terms.
  llvm::SmallVector<AccessPath, 2> doneGroups(const Task &T);

  /// Every wait on \p G that the task makes, directly or in the functions it
  /// calls (their summaries, to any depth).
  llvm::SmallVector<ReachedOp, 2> waitsOn(const Task &T, const AccessPath &G);

  /// Whether the CFG element \p E of the task's body is a done on \p G: a
  /// done call, a done guard's destruction, or a call of a function whose
  /// summary calls done on G (BodyEffects::countsDown).
  bool isDoneEvent(const Task &T, const AccessPath &G,
                   const clang::CFGElement &E);

  /// What the elements of \p T's body do, in the spawner's terms (cached
  /// per task).
  const BodyEffects &effectsOf(const Task &T);

  /// The statement of the spawner's body that directly holds \p S, if any.
  const clang::Stmt *parentOf(const Task &T, const clang::Stmt *S);

  /// The values [first, last) that \p Counter takes when it is the counter
  /// of a counted loop around \p T's spawn: `for (int i = A; i < B; ++i)`
  /// with constant bounds, the counter changed nowhere else in the loop.
  std::optional<std::pair<int64_t, int64_t>>
  counterRange(const Task &T, const clang::VarDecl *Counter);

  /// The same for the counted loop of \p Spawner (a function that starts
  /// tasks) around its statement \p S.
  std::optional<std::pair<int64_t, int64_t>>
  counterRangeAt(const clang::FunctionDecl *Spawner, const clang::Stmt *S,
                 const clang::VarDecl *Counter);

  const SpawnModel &spawns() const { return Spawns; }
  const WaitGroupModel &groups() const { return Groups; }

private:
  struct SpawnerFacts {
    std::vector<Task> Tasks;
    /// The statement holding each statement, within this spawner's body.
    llvm::DenseMap<const clang::Stmt *, const clang::Stmt *> Parent;
    Bindings Locals;
  };
  SpawnerFacts &factsOf(const clang::FunctionDecl *Spawner);
  void scanTask(Task &T);
  /// The wait-group effects of the calls in \p T's body (cached per task).
  const SummaryModel::CallGroupEffects &callEffects(const Task &T);

  const SpawnModel &Spawns;
  const LockModel &Locks;
  const WaitGroupModel &Groups;
  SummaryModel &Summaries;
  llvm::DenseMap<const Task *, SummaryModel::CallGroupEffects> Effects;
  llvm::DenseMap<const Task *, std::unique_ptr<BodyEffects>> BodyEffectsOf;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<SpawnerFacts>>
      Cache;
};


} // namespace concheck::model

#endif // CONCHECK_MODEL_TASKMODEL_H
