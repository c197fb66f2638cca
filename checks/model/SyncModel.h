//===--- SyncModel.h - What orders a spawner's tasks ------------*- C++ -*-===//
//
// Part of concheck. Besides locks, two things order a task's accesses with
// the code around it, and the race analysis asks this model about both:
//  * joins, which end a task's window in its spawner: join() of the thread
//    the spawn made, get()/wait() of its future (or of a shared_future made
//    from it), a wait_for/wait_until that said ready (an edge of the CFG),
//    wait() on a group that counts the task, a pool's wait_idle(), a
//    jthread's end of scope, pthread_join, and a loop of joins over a
//    container of threads or futures (which stands for its joins also on the
//    path through zero iterations);
//  * message passing between two bodies: a write followed on every path by a
//    publishing call on a synchronization object (send, release, count_down,
//    set_value, store, notify, done, ...), and an access preceded on every
//    path by an observing call (receive, acquire, wait, get, load, ...) on
//    the same object, or on objects the analysis cannot tell apart (a promise
//    and its future, copies of a handle).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_SYNCMODEL_H
#define CONCHECK_MODEL_SYNCMODEL_H

#include "ModelContext.h"
#include "PathQuery.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace concheck::model {

/// One call on a synchronization object: one half (or both) of message
/// passing, on which object.
struct SyncCall {
  bool Publishes = false;
  bool Observes = false;
  const clang::CXXRecordDecl *Type = nullptr;
  std::optional<AccessPath> Object;
};

/// The synchronization of one spawner's tasks. Built per spawner; the
/// synchronization calls of each body are found on first use.
class SpawnerSync {
public:
  /// \p Locals are the spawner's pointer locals (SpawnModel).
  SpawnerSync(ModelContext &Model, const clang::FunctionDecl *Spawner,
              const BodyCFG &SpawnerBody, const Bindings &Locals);

  /// Whether element \p E of the spawner's body ends \p T's window.
  bool isJoin(const Task &T, const clang::CFGElement &E);

  /// Whether the edge from \p B to its successor \p Succ ends \p T's window
  /// (the branch where a wait_for on its future said ready).
  bool isJoinEdge(const Task &T, const clang::CFGBlock *B, unsigned Succ);

  /// Whether the access at \p First in \p WriterBody is handed to the access
  /// at \p Second in \p ReaderBody by message passing: every path from
  /// First publishes on a synchronization object, every path from
  /// \p ReaderStart to Second observes it first. \p WriterB and \p ReaderB
  /// name each body's parameters in the spawner's terms.
  bool handedOff(const BodyCFG &WriterBody, const Bindings *WriterB,
                 const clang::Stmt *First, const BodyCFG &ReaderBody,
                 const Bindings *ReaderB, const PathStart &ReaderStart,
                 const clang::Stmt *Second);

  /// Whether \p Writer, a write inside a callee, is handed to \p Reader, an
  /// access inside a callee, by the functions they are written in: the
  /// writer's publishes after the write, the reader's observes before the
  /// read (a single-producer ring's push and pop). Each function is read in
  /// its own terms, so a channel named alike on both sides is taken to be
  /// one: this says less, never more.
  bool handedOffInCallees(const LocatedAccess &Writer,
                          const LocatedAccess &Reader);

private:
  /// Where the thread or future a spawn made is kept.
  struct Handle {
    const clang::VarDecl *Holder = nullptr; // std::thread t(...), auto f = ...
    bool Detached = false;                  // std::thread(...).detach()
  };
  const Handle &handleOf(const Task &T);
  /// Whether \p Obj is the thread or future \p T's spawn made.
  bool holds(const Task &T, const clang::Expr *Obj);
  using SyncCalls = llvm::DenseMap<const clang::Stmt *, SyncCall>;
  const SyncCalls &syncCallsOf(const BodyCFG &Body, const Bindings *B);

  ModelContext &Model;
  const Bindings &Locals;
  llvm::SmallPtrSet<const clang::Stmt *, 4> JoinLoops;
  llvm::DenseMap<std::pair<const clang::CFGBlock *, unsigned>,
                 const clang::Expr *>
      ReadyEdges;
  llvm::DenseMap<const Task *, Handle> Handles;
  llvm::DenseMap<const BodyCFG *, SyncCalls> Calls;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_SYNCMODEL_H
