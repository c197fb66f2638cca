//===--- Summary.h - What a function does, for its callers -----*- C++ -*-===//
//
// Part of concheck. A function summary states, in terms of the function's
// parameters, 'this', globals and the variables its lambdas capture, what a
// call to it does: the locations it (and what it calls) reads and writes,
// each with the locks held there and the calls that lead there; the locks it
// leaves held on return, the ones it releases that it did not take, and the
// guard it returns. At a call site the summary is mapped onto the caller
// (bindCall, AccessPath::substitute): parameters become the arguments' paths,
// 'this' the object, and the caller's held locks join the callee's.
//
// Summaries are computed lazily, bottom-up over the call graph that the
// requested function reaches (LLVM's scc_iterator), once per translation unit
// and function, and cached in the model context. What is not summarized says
// nothing, never more: a callee with no body in the translation unit, one in
// a system header, a virtual call whose target the call does not fix, a call
// through a function pointer or a std::function, and a call that starts a
// task (the task model handles those).
//
// Limits, each documented in docs/checks/unguarded-write.md:
//  * recursion and call-graph cycles iterate to a fixed point, at most
//    MaxCycleRounds rounds; a summary cut there is marked Truncated;
//  * a summary keeps at most MaxAccesses accesses (first found, shortest
//    call chains first) and paths of at most MaxPathSteps steps, so that
//    recursion over a linked structure (walk(n->next)) ends;
//  * a location whose root the caller cannot name (a local of the callee,
//    a by-value parameter) is the callee's own and is dropped;
//  * a lambda handed to a function that calls it (`with([this] { ++n_; })`)
//    is summarized in that function with its maker's 'this' kept as such
//    (AccessPath::capturedThis) and named again where the maker calls; a
//    lambda stored and called later, or through a std::function, is not
//    followed (the call does not show its target).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_SUMMARY_H
#define CONCHECK_MODEL_SUMMARY_H

#include "AccessModel.h"
#include "FlagFacts.h"
#include "LockSetAnalysis.h"
#include "SpawnModel.h"
#include "WaitGroupModel.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <vector>

namespace concheck::model {

/// An access seen from one function body: its own, or one inside a function
/// it calls. A.E is the expression as written (in the callee, for a callee's
/// access); A.Anchor is always in this body (the call, for a callee's).
struct LocatedAccess {
  Access A;
  /// Locks held there on every path, in this body's terms (none: the point
  /// is unreachable or not in the CFG).
  std::optional<LockSet> Held;
  /// Locks released on every path to it that this body had not taken (what
  /// its callers held and no longer hold there).
  LockSet Released;
  /// The calls from this body down to the access, outermost first; empty
  /// for the body's own accesses.
  llvm::SmallVector<const clang::CallExpr *, 2> Chain;
  /// The function the access is written in (this body, or the innermost
  /// callee) and its anchor there, for what that function does around it.
  const clang::FunctionDecl *InnerBody = nullptr;
  const clang::Stmt *InnerAnchor = nullptr;
  /// The mode-flag tests that held on this body's entry on every path that
  /// reaches the access (FlagFacts).
  FlagTests Requires;
};

struct FunctionSummary {
  struct Entry {
    /// The access, its location in the function's own terms.
    Access A;
    /// Locks the function (and its callees) hold there since its entry.
    LockSet Held;
    /// Locks released on every path to it that the function did not take
    /// (an unlock helper called first): the caller no longer holds them.
    LockSet Released;
    llvm::SmallVector<const clang::CallExpr *, 2> Chain;
    /// As LocatedAccess::InnerBody and InnerAnchor.
    const clang::FunctionDecl *InnerBody = nullptr;
    const clang::Stmt *InnerAnchor = nullptr;
    /// The mode-flag tests that must hold on the function's entry for the
    /// access to be reached: a caller whose tests at the call contradict
    /// them does not reach it.
    FlagTests Requires;
  };
  std::vector<Entry> Accesses;
  /// Locks held on every return that were not held on entry (a lock helper).
  LockSet HeldOnReturn;
  /// Locks released on every path to a return that it did not take.
  LockSet ReleasedUnheld;
  /// The mutex a returned guard holds (std::unique_lock returned by value).
  std::optional<HeldLock> ReturnedGuard;
  /// A wait-group operation of the function or of what it calls, on a group
  /// its callers can name: a done (a call, a done guard's end of scope) or
  /// a wait.
  struct GroupEffect {
    GroupOp::Kind K = GroupOp::Done;
    AccessPath Group;
    /// The wait-group call (null for a done guard).
    const clang::CXXMemberCallExpr *Op = nullptr;
    /// The calls from this function down to the one that makes it.
    llvm::SmallVector<const clang::CallExpr *, 2> Chain;
    /// For a wait: every path to it from this function's entry passes a
    /// done on the group first, here or in a function on the chain (the
    /// function counts itself down before it waits).
    bool AfterDone = false;
  };
  std::vector<GroupEffect> GroupOps;
  /// A bound was hit (cycle rounds, accesses): the summary may miss effects.
  bool Truncated = false;
};

class SummaryModel {
public:
  static constexpr unsigned MaxCycleRounds = 8;
  static constexpr unsigned MaxAccesses = 256;
  static constexpr unsigned MaxPathSteps = 8;

  SummaryModel(const SpawnModel &Spawns, const LockModel &Locks,
               const AccessModel &Accesses, const WaitGroupModel &Groups);
  ~SummaryModel();

  /// The summary of \p FD, or null when it has none (no body, a system
  /// header, no CFG).
  const FunctionSummary *summaryOf(const clang::FunctionDecl *FD);

  /// The function call \p Call runs, when a summary can stand for it: a
  /// direct call (or a virtual one whose target the call fixes) of a
  /// function defined in this translation unit outside system headers,
  /// that is not a lock operation and does not start a task.
  const clang::FunctionDecl *calleeOf(const clang::CallExpr *Call);

  /// The constructor \p CE runs, when a summary can stand for it (as
  /// calleeOf): a guard-like class whose constructor locks what it is given.
  const clang::FunctionDecl *constructorOf(const clang::CXXConstructExpr *CE);

  /// The locks the construction \p CE leaves held, in the terms \p B gives
  /// the constructing body (a lock wrapper: annotated_lock lock(mu)).
  bool constructorEffectOf(const clang::CXXConstructExpr *CE, const Bindings *B,
                           llvm::SmallVectorImpl<HeldLock> &Acquired);

  /// What a call of \p Callee at \p Call binds, in the terms \p Caller gives
  /// the calling body: its parameters, 'this', and for a lambda's call
  /// operator the variables the lambda captures by reference.
  /// \p CallerFD is the function the call is in: a lambda made there sees
  /// its 'this'.
  static Bindings bindingsAt(const clang::CallExpr *Call,
                             const clang::FunctionDecl *Callee,
                             const clang::FunctionDecl *CallerFD,
                             const Bindings *Caller);

  /// \p Loc, a path in \p Callee's terms, in the terms of a caller whose
  /// call \p B binds: none when the caller cannot name it (a local of the
  /// callee, a parameter the call does not bind) or it grew past
  /// MaxPathSteps. A variable of another function that a lambda the callee
  /// calls captured by reference stays itself.
  static std::optional<AccessPath>
  mapToCaller(const AccessPath &Loc, const Bindings &B,
              const clang::FunctionDecl *Callee);

  /// The accesses of \p Body (see AccessModel::collect for \p B and
  /// \p PerRun) and of everything it calls, with the locks \p Locks (an
  /// analysis of \p Body with the same bindings) finds held. The members
  /// of a lambda's maker that a callee reaches through a lambda someone else
  /// handed to \p Body are left out, unless \p ForSummary (the summary of
  /// \p Body keeps them for its callers, up to the maker).
  std::vector<LocatedAccess>
  accessesOf(const clang::FunctionDecl *Body, const Bindings *B,
             llvm::ArrayRef<const clang::ValueDecl *> PerRun,
             const LockSetAnalysis &Locks, bool ForSummary = false);

  /// The lock effect of the call \p Call in a body whose names \p B gives:
  /// the locks it releases that the caller may hold, and the ones it leaves
  /// held. False when the call has no summary.
  bool lockEffectOf(const clang::CallExpr *Call, const Bindings *B,
                    llvm::SmallVectorImpl<AccessPath> &Released,
                    llvm::SmallVectorImpl<HeldLock> &Acquired);

  /// The wait-group effects of the call \p Call made in \p CallerFD, whose
  /// names \p B gives, in the caller's terms, each with \p Call first in
  /// its chain. Empty when the call has no summary.
  std::vector<FunctionSummary::GroupEffect>
  groupEffectsOf(const clang::CallExpr *Call,
                 const clang::FunctionDecl *CallerFD, const Bindings *B);

  /// The calls of \p Body that have wait-group effects, in the order of its
  /// CFG, each with its effects in the terms \p B gives the body.
  using CallGroupEffects = std::vector<
      std::pair<const clang::CallExpr *, std::vector<FunctionSummary::GroupEffect>>>;
  CallGroupEffects callGroupEffects(const clang::FunctionDecl *Body,
                                    const Bindings *B);

  /// The lock a guard returned by \p Call holds, in the caller's terms.
  std::optional<HeldLock> returnedGuardOf(const clang::CallExpr *Call,
                                          const Bindings *B);

  /// The locks every call of \p FD holds, in \p FD's own terms, when the
  /// translation unit shows every call: \p FD is a function (not a member)
  /// with internal linkage (`static`, an anonymous namespace), defined in
  /// the main file, never used but as the callee of a direct call (its
  /// address is never taken), called at least once. Each caller is analysed
  /// with the locks it takes itself and those it requires of its own
  /// callers, not its callees' lock effects (so a lock taken through a
  /// helper is not counted: fewer locks, never more). Empty otherwise.
  llvm::ArrayRef<HeldLock> lockedByEveryCaller(const clang::FunctionDecl *FD);

  /// How many summaries were computed (for tests and the benchmark).
  unsigned computed() const { return Computed; }

  struct Node;

private:
  /// A function is in Slots from the moment the walk reaches its
  /// component (its summary then is the current approximation) to the end.
  struct Slot {
    std::unique_ptr<FunctionSummary> Summary; // null: no summary
  };
  void computeBottomUp(const clang::FunctionDecl *FD);
  std::unique_ptr<FunctionSummary> compute(const clang::FunctionDecl *FD);
  Node *nodeFor(const clang::FunctionDecl *FD);

  const SpawnModel &Spawns;
  const LockModel &Locks;
  const AccessModel &Accesses;
  const WaitGroupModel &Groups;
  llvm::DenseMap<const clang::FunctionDecl *, Slot> Slots;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<Node>> Nodes;
  llvm::DenseMap<const clang::Expr *, const clang::FunctionDecl *> Callees;
  struct CallSites;
  std::unique_ptr<CallSites> Sites;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<HeldLock, 1>>
      CallerLocks;
  unsigned Computed = 0;
  /// Inside computeBottomUp: a function the walk did not reach has no
  /// summary yet, and none is started (the walk's stack must stay intact).
  bool Walking = false;

public:
  /// Used by the call graph's traits: the callees of \p N (computed once).
  llvm::ArrayRef<Node *> calleesOf(Node *N);
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_SUMMARY_H
