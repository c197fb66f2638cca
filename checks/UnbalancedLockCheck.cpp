//===--- UnbalancedLockCheck.cpp - concheck-unbalanced-lock ---------------===//
//
// Part of concheck.
//
// From each manual lock (m.lock(), pthread_mutex_lock(&m), a try_lock on its
// success branch), every way out of the function that passes no unlock of
// the same mutex leaves it locked: the next lock() deadlocks. Over the CFG,
// each such way out is reported at the jump that takes it (a return, a break
// or continue out of the loop that locked, a throw carried out of the try
// that locked), or at the end of the function when the lock runs on every
// path there. An unlock counts wherever it is made, in the function or in a
// helper it calls (the helper's summary), and so does a lock that blocks
// the path from the entry. A function that never unlocks what it locks
// hands the lock to its caller on purpose, and one entered with the mutex
// held (annotated as requiring it, or unlocking it before it first locks it)
// gives it back held: neither is reported.
//
//===----------------------------------------------------------------------===//

#include "UnbalancedLockCheck.h"
#include "PathNotes.h"
#include "model/BodyCFG.h"
#include "model/Effects.h"
#include "model/PathQuery.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"

using namespace clang;
using concheck::model::AccessPath;
using concheck::model::LockOp;

namespace concheck {

/// Whether \p Callable is entered with \p Mutex held: it is annotated as
/// requiring it, or some unlock of it is reachable from the entry before any
/// lock of it.
static bool heldOnEntry(const FunctionDecl *Callable, const AccessPath &Mutex,
                        const LockScan &Scan, const model::BodyCFG &Body,
                        const model::BodyEffects &Effects) {
  for (const auto *A : Callable->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr *Arg : A->args()) {
      std::optional<AccessPath> P = AccessPath::ofObject(Arg);
      if (P && *P == Mutex)
        return true;
    }
  auto Locks = [&](const CFGElement &E) { return Effects.locks(E, Mutex); };
  const model::PathStart Entry = model::entryOf(Body);
  for (const LockOp &Op : Scan.Ops)
    if (Op.K == LockOp::Release && Op.Mutex && *Op.Mutex == Mutex &&
        model::reachesAvoiding(Body, Entry, Op.Site, Locks))
      return true;
  return false;
}

void UnbalancedLockCheck::analyze(const FunctionDecl *Callable,
                                  const LockScan &Scan, ASTContext &Ctx) {
  // A lockable or guard type's own lock()/unlock() forward to the inner mutex
  // by design, and so do functions annotated as acquiring or releasing.
  if (Scan.Ops.empty() || isLockImplementation(Callable))
    return;
  const model::BodyCFG *Body = model::getBodyCFG(Callable);
  if (!Body)
    return;
  // What each element does to locks, lock and unlock helpers included.
  const model::BodyEffects Effects(lockModel(), nullptr, &summaries(), Callable,
                                   nullptr);
  for (const LockOp &Lock : Scan.Ops) {
    if (!isManualLock(Lock, Scan, Ctx) || !Lock.Mutex)
      continue;
    const SourceLocation Loc = Lock.Site->getBeginLoc();
    // A function that never unlocks what it locks hands the lock to its
    // caller on purpose (a lock helper, a hand-written guard's constructor).
    if (!releasedLater(Lock, Scan, Body))
      continue;
    const AccessPath &Mutex = *Lock.Mutex;
    // Entered with the mutex held, the function gives it back held: a path
    // from a re-lock to the exit is the contract, not a leak.
    if (heldOnEntry(Callable, Mutex, Scan, *Body, Effects))
      continue;
    std::optional<model::CFGPoint> Point = Body->pointOf(Lock.Site);
    if (!Point)
      continue;
    model::PathStart Start{*Point, std::nullopt, Lock.Site};
    if (Lock.K == LockOp::TryAcquire) {
      if (Lock.Function == "std::try_lock")
        continue; // -1 means success: no branch to follow
      Start.Successor =
          model::branchWhenCallReturns(*Body, Lock.Site, Lock.SuccessIsNonZero);
      if (!Start.Successor)
        continue; // the success path is not a branch we can follow
    } else if (Lock.ReturnsStatus) {
      // `if (pthread_mutex_lock(&m) != 0) return -1;`: the error path
      // holds nothing.
      Start.Successor =
          model::branchWhenCallReturns(*Body, Lock.Site, Lock.SuccessIsNonZero);
    }
    // An unlock, a guard adopting the lock, or a call of a helper that
    // releases it (its summary says so).
    auto ReleasesMutex = [&](const CFGElement &E) {
      return Effects.releases(E, Mutex);
    };
    const std::string Name = mutexName(Lock, Ctx);
    for (const model::Escape &Esc :
         model::findEscapes(*Body, Start, ReleasesMutex)) {
      if (Esc.Jump) {
        SourceLocation JumpLoc = Esc.Jump->getBeginLoc();
        if (!firstReport(JumpLoc, "leaves:" + Mutex.str()))
          continue;
        diag(JumpLoc, "'%0' leaves mutex '%1' locked")
            << model::jumpKeyword(Esc.Jump) << Name;
        diag(Loc, "'%0' locked here", DiagnosticIDs::Note) << Name;
        continue;
      }
      // Falling off the end: only when the lock runs on every path to that
      // end, so that correlated conditions (if (a) lock ... if (a) unlock)
      // are not mistaken for a leak.
      if (!Esc.LastBlock || !Body->dominates(Point->Block, Esc.LastBlock))
        continue;
      const auto *BodyStmt =
          dyn_cast_or_null<CompoundStmt>(Callable->getBody());
      if (!BodyStmt)
        continue;
      SourceLocation End = BodyStmt->getRBracLoc();
      if (!firstReport(End, "end:" + Mutex.str()))
        continue;
      diag(End, "mutex '%0' may still be locked at the end of the function")
          << Name;
      diag(Loc, "'%0' locked here", DiagnosticIDs::Note) << Name;
      noteVia(*this, Esc.Via);
    }
  }
}

} // namespace concheck
