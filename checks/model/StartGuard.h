//===--- StartGuard.h - Tasks held back by a field set before the start ---===//
//
// Part of concheck. A pool often starts its workers before it is fully set
// up: the function that makes it marks the queue empty, starts the workers,
// and then writes the rest (`pool->limit = n`). The workers wait, under the
// pool's mutex, while the queue is empty (`while (p->empty || p->busy >=
// p->limit) wait(...)`), and read the rest only past that wait. Nothing can
// open the queue before the pool is handed out, so the setup written after
// the start happens before any worker reads it: the job that opens the
// queue is pushed under the same mutex, after the maker returned.
//
// StartGuards finds such a guard for one spawner's task: a field of an
// object the spawner made itself (a local, or a pointer it got from an
// allocation), holding a constant from every path to the start, that the
// task tests holding a lock. Under the assumption that the field keeps that
// value, the task's branches on it decide which of its statements it can
// reach; if it cannot reach a write of the field either (nor a call the
// analysis cannot see that is handed the object), no run of it changes the
// field, and the assumption holds for as long as the spawner itself keeps
// the object to itself and leaves the field alone. An access the task cannot
// reach under it does not meet the spawner's accesses in that window.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_STARTGUARD_H
#define CONCHECK_MODEL_STARTGUARD_H

#include "Summary.h"
#include "TaskModel.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <vector>

namespace concheck::model {

class LockSetAnalysis;

class StartGuards {
public:
  /// One task of the spawner as the race analysis sees it: its body, its
  /// lock sets and its accesses to shared locations (its callees' included,
  /// anchored at the calls).
  struct TaskView {
    const Task *T = nullptr;
    const BodyCFG *Body = nullptr;
    const LockSetAnalysis *Locks = nullptr;
    llvm::ArrayRef<LocatedAccess> Shared;
  };

  /// \p SpawnerAccesses are the spawner's accesses (its callees' included,
  /// in its terms); \p Tasks every task it starts.
  StartGuards(const BodyCFG &SpawnerBody,
              llvm::ArrayRef<LocatedAccess> SpawnerAccesses,
              std::vector<TaskView> Tasks);

  /// Whether the access anchored at \p TaskAnchor in task \p T's body cannot
  /// run while the spawner's access at \p SpawnerAnchor (after the start)
  /// does: a guard holds the task back from it, and the spawner neither
  /// changes the guard nor hands its object out between the start and that
  /// access.
  bool heldBack(const Task &T, const clang::Stmt *TaskAnchor,
                const clang::Stmt *SpawnerAnchor);

private:
  struct Guard {
    AccessPath Field;
    /// The task's blocks reachable while the field keeps its value.
    llvm::SmallPtrSet<const clang::CFGBlock *, 16> Reached;
  };
  const std::vector<Guard> &guardsOf(const TaskView &V);
  /// The value the field has at \p At on every path from the entry.
  std::optional<int64_t> valueAt(const AccessPath &Field, CFGPoint At) const;
  /// Whether some path from \p From to \p To writes the field or hands its
  /// object out (uses its root other than through a member or a start).
  bool touchedBetween(const AccessPath &Field, CFGPoint From,
                      CFGPoint To) const;
  /// What element \p S of the spawner's body does to \p Field: nothing,
  /// sets it to a constant (\p Value), or something unknown.
  enum class Effect { None, Constant, Unknown };
  Effect effectOf(const clang::Stmt *S, const AccessPath &Field,
                  int64_t &Value) const;
  /// Whether \p Root, a local of the spawner, holds an object no other
  /// thread can have been given before the spawner hands it out: a local
  /// object, or a pointer whose every value is an allocation's result.
  bool freshObject(const clang::VarDecl *Root) const;
  bool escapes(const clang::DeclRefExpr *Ref) const;

  const BodyCFG &SpawnerBody;
  std::vector<TaskView> Tasks;
  llvm::SmallPtrSet<const clang::Stmt *, 4> SpawnSites;
  /// The spawner's writes, by the element they are anchored at.
  llvm::DenseMap<const clang::Stmt *,
                 llvm::SmallVector<const LocatedAccess *, 1>>
      WritesAt;
  llvm::DenseMap<const Task *, std::vector<Guard>> Guards;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_STARTGUARD_H
