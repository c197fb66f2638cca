//===--- LockOrder.h - Which mutexes a function takes, and in what order -*- C++
//-*-===//
//
// Part of concheck. For each function, in its own terms (its parameters,
// 'this', globals), the mutexes it takes by blocking on them (a lock, a
// guard's construction, a lock wrapper's; not a try_lock, not a guard
// adopting a lock, not an assertion), its own and those of the functions it
// calls (their own order summaries, mapped at the call as the function
// summaries map accesses), each with the locks held there since the
// function's entry. From them, the order edges: mutex B taken while A is
// held. Several mutexes taken by one call (std::lock, std::scoped_lock) are
// not ordered among themselves.
//
// A function that takes two mutexes in both orders chooses the order at run
// time (by address, by id, by a flag): its edges are marked Chosen, and no
// check reads an inversion into them.
//
// Limits: a std::unique_lock's relock (lk.lock()) is not an acquisition
// here; call-graph cycles are cut (a function on the current walk says
// nothing to its callers); at most MaxEntries acquisitions and edges per
// function.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_LOCKORDER_H
#define CONCHECK_MODEL_LOCKORDER_H

#include "LockSetAnalysis.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <vector>

namespace concheck::model {

class SummaryModel;

/// A blocking acquisition of a mutex, seen from one function.
struct Acquisition {
  /// The mutex, in the function's terms.
  HeldLock Lock;
  /// The locks held just before it on every path, in the same terms (those
  /// held on entry included), and those released before it on every path
  /// that the function had not taken (its caller's).
  LockSet Held, Released;
  /// The lock call or construction, in InnerBody.
  const clang::Expr *Site = nullptr;
  const clang::FunctionDecl *InnerBody = nullptr;
  /// The calls from the function down to InnerBody, outermost first.
  llvm::SmallVector<const clang::CallExpr *, 2> Chain;
  /// The mutex's type, when the lock says (null through a lock wrapper).
  clang::QualType MutexType;
  /// The statement of the function that makes it: Site, or Chain's first.
  const clang::Stmt *anchor() const {
    return Chain.empty() ? static_cast<const clang::Stmt *>(Site)
                         : static_cast<const clang::Stmt *>(Chain.front());
  }
};

/// Second taken while First is held.
struct OrderEdge {
  HeldLock First, Second;
  /// Where each is taken (First's may be null: held on entry).
  const clang::Expr *FirstSite = nullptr, *SecondSite = nullptr;
  /// The locks held where Second is taken (First among them).
  LockSet Held;
  /// The function that takes both orders of this pair (see above).
  bool Chosen = false;
};

/// A blocking acquisition of a mutex that the function already holds there
/// on every path (held by the function itself, not only by the callee that
/// takes it again: the callee's own summary has that one).
struct DoubleLock {
  Acquisition A;
  /// Where the function took it first (null: held on entry).
  const clang::Expr *FirstSite = nullptr;
};

struct LockOrderSummary {
  std::vector<Acquisition> Acquisitions;
  std::vector<OrderEdge> Edges;
  /// Of this function only: not passed on to its callers.
  std::vector<DoubleLock> DoubleLocks;
};

class LockOrderModel {
public:
  static constexpr unsigned MaxEntries = 256;

  LockOrderModel(const LockModel &Locks, SummaryModel &Summaries)
      : Locks(Locks), Summaries(Summaries) {}

  /// The order summary of \p FD in its own terms (cached); empty when it
  /// has no body here or is on the current walk (a cycle).
  const LockOrderSummary &of(const clang::FunctionDecl *FD);

  /// \p S, a summary of \p Callee, in the terms \p B gives (a call's or a
  /// task's bindings): what cannot be named there is dropped.
  LockOrderSummary mapped(const LockOrderSummary &S, const Bindings &B,
                          const clang::FunctionDecl *Callee) const;

  /// Whether \p FD's body, or a function it calls, may lock or unlock a
  /// mutex at all (a cheap syntactic walk, cached, that spares the rest
  /// their CFG).
  bool mayLock(const clang::FunctionDecl *FD);

private:
  std::unique_ptr<LockOrderSummary> compute(const clang::FunctionDecl *FD);

  const LockModel &Locks;
  SummaryModel &Summaries;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LockOrderSummary>>
      Cache;
  llvm::DenseMap<const clang::FunctionDecl *, bool> MayLock;
  const LockOrderSummary Empty;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_LOCKORDER_H
