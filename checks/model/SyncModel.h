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
#include "llvm/ADT/DenseSet.h"
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

  /// Where \p T runs on after the spawner returns (a path from the spawn
  /// leaves the spawner without a join): owned by the spawner's object (a
  /// member function keeps the thread or future in a member: assigned to
  /// one, inserted into a member container, initialized by a member
  /// initializer, or handed to a member pool or group; or detaches it), or
  /// in a global (kept in a global variable, or detached by a free
  /// function).
  enum class LeftRunning { No, OnObject, InGlobal };
  LeftRunning leftRunning(const Task &T);

private:
  /// Where the thread or future a spawn made is kept.
  struct Handle {
    const clang::VarDecl *Holder = nullptr; // std::thread t(...), auto f = ...
    bool Detached = false;                  // std::thread(...).detach()
    bool InMember = false;                  // thread_ = std::thread(...)
    bool InGlobal = false;                  // g_worker = std::thread(...)
  };
  const Handle &handleOf(const Task &T);
  /// Whether \p Obj is the thread or future \p T's spawn made.
  bool holds(const Task &T, const clang::Expr *Obj);
  using SyncCalls = llvm::DenseMap<const clang::Stmt *, SyncCall>;
  const SyncCalls &syncCallsOf(const BodyCFG &Body, const Bindings *B);

  ModelContext &Model;
  const clang::FunctionDecl *Spawner;
  const BodyCFG &SpawnerBody;
  const Bindings &Locals;
  llvm::SmallPtrSet<const clang::Stmt *, 4> JoinLoops;
  llvm::DenseMap<std::pair<const clang::CFGBlock *, unsigned>,
                 const clang::Expr *>
      ReadyEdges;
  llvm::DenseMap<const Task *, Handle> Handles;
  llvm::DenseMap<const BodyCFG *, SyncCalls> Calls;
};

struct CallSite;

/// The joins of tasks left running by the function that started them, as
/// the other functions see them: a class that starts its thread in start()
/// and joins it in stop() or its destructor, or a thread kept in a global.
/// A join is join() of a thread that is a member of the object or a global,
/// a loop of joins over such a container, get() or wait() of such a future,
/// wait() of such a group, a pool's wait_idle() or join(), the branch where
/// such a thread is not joinable() (joined already, or never started), and
/// a call of a function (or of a member function on the object) that joins
/// on every path through it (a private join_all()). Any such thread counts:
/// a class with two threads that joins one is taken to join both (this says
/// less, never more).
class OwnerSync {
public:
  explicit OwnerSync(ModelContext &Model) : Model(Model) {}

  /// Whether element \p E of \p FD's body ends the tasks.
  bool isJoin(const clang::FunctionDecl *FD, const clang::CFGElement &E);
  /// Whether the edge from \p B to its successor \p Succ in \p FD's body
  /// does (the branch where a thread is not joinable()).
  bool isJoinEdge(const clang::FunctionDecl *FD, const clang::CFGBlock *B,
                  unsigned Succ);

  /// The member functions of \p RD that the object's users may call while
  /// a task it owns runs: public and protected, non-static, with a body in
  /// the translation unit, the destructor included, constructors and
  /// compiler-written members excluded.
  static llvm::SmallVector<const clang::CXXMethodDecl *, 8>
  callableMembers(const clang::CXXRecordDecl *RD);

  /// Where the functions of the main file may run while a task that
  /// \p Spawner left running in a global runs: after their calls that
  /// return with it running (main() calling start_worker(), but not a
  /// function that starts and then joins it on every path), and, for a
  /// function with no call that leads to the spawner and that nothing in
  /// the file calls (an entry point for the file's users, main() aside),
  /// from its entry. A function called from a window is seen through its
  /// caller's summary. Not the spawner, not \p Excluded (what the task
  /// runs).
  struct Window {
    const clang::FunctionDecl *F;
    PathStart From;
  };
  std::vector<Window>
  globalWindows(const clang::FunctionDecl *Spawner,
                const llvm::SmallPtrSetImpl<const clang::Decl *> &Excluded);

  /// Where the member functions of \p Spawner's class the object's users
  /// may call (callableMembers) run while a task \p Spawner left running on
  /// the object runs: a member that starts the task itself (calls
  /// \p Spawner on the object) from its calls that return with the task
  /// running on; another from its entry when it is meant to run beside the
  /// task: it joins it, it is the destructor, it takes a lock, or the file
  /// calls it on an object after starting the task on it and before a member
  /// that joins it. Not \p Excluded (what the task runs).
  std::vector<Window>
  memberWindows(const clang::CXXMethodDecl *Spawner,
                const llvm::SmallPtrSetImpl<const clang::Decl *> &Excluded);

private:
  /// The functions of \p Functions that start the task \p Spawner starts
  /// (it, and its callers through \p CallsOf), and those of them that
  /// return with it running.
  void startsOf(const clang::FunctionDecl *Spawner,
                llvm::ArrayRef<const clang::FunctionDecl *> Functions,
                llvm::function_ref<
                    const std::vector<CallSite> &(const clang::FunctionDecl *)>
                    CallsOf,
                llvm::SmallPtrSetImpl<const clang::Decl *> &Starts,
                llvm::SmallPtrSetImpl<const clang::Decl *> &LeavesRunning);
  struct Facts {
    llvm::SmallPtrSet<const clang::Stmt *, 4> JoinLoops;
    llvm::DenseSet<std::pair<const clang::CFGBlock *, unsigned>> NotJoinable;
    bool Computing = false;
    std::optional<bool> JoinsEveryPath;
  };
  Facts &factsOf(const clang::FunctionDecl *FD);
  bool joinsOnEveryPath(const clang::FunctionDecl *FD);
  ModelContext &Model;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<Facts>> Cache;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_SYNCMODEL_H
