//===--- LockSetAnalysis.h - Locks held at each point of a body -*- C++ -*-===//
//
// Part of concheck. A forward dataflow analysis over a function body's CFG
// that answers "which mutexes are held on every path to this statement?"
// (a must-analysis: sets intersect where paths join). Locks come from the
// lock model: manual lock()/unlock(), try_lock on its success branch only,
// guards over their lifetime (lock_guard, scoped_lock with several mutexes,
// unique_lock including its own unlock()/lock(), shared_lock in shared mode),
// and adoption. A lock held on only some paths to an access does not guard it.
// Each element's effect comes from BodyEffects: with the summary model, a
// call's own lock effect counts as well (a lock helper's lock stays held
// after the call, an unlock helper's is released, and a function that
// returns a guard binds the variable it initializes).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_LOCKSETANALYSIS_H
#define CONCHECK_MODEL_LOCKSETANALYSIS_H

#include "BodyCFG.h"
#include "Effects.h"
#include "LockModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <vector>

namespace concheck::model {

class SummaryModel;

/// A set of held locks, kept sorted so that equality and intersection are
/// cheap. A recursive mutex taken again by its holder is held once more:
/// the set counts those extra holds, and it stays held until released as
/// often.
class LockSet {
public:
  /// Takes \p L; with \p Again, a hold more of a recursive mutex already
  /// held (else taking a held lock changes nothing).
  void add(const HeldLock &L, bool Again = false);
  /// Lets go of \p Mutex, whatever its holds.
  void remove(const AccessPath &Mutex);
  /// Lets go of one hold of \p Mutex: true if it is still held.
  bool releaseOne(const AccessPath &Mutex);
  bool holds(const AccessPath &Mutex, bool Exclusive = false) const;
  /// The holds of \p Mutex beyond the first (0 when not held).
  unsigned extraHolds(const AccessPath &Mutex) const;
  /// Keeps only the locks also in \p Other (a lock held shared on one side
  /// and exclusive on the other stays, as shared; with the fewer holds).
  void intersect(const LockSet &Other);
  llvm::ArrayRef<HeldLock> locks() const { return Locks; }
  bool empty() const { return Locks.empty(); }
  friend bool operator==(const LockSet &A, const LockSet &B) {
    return A.Locks == B.Locks && A.Extra == B.Extra;
  }
  friend bool operator!=(const LockSet &A, const LockSet &B) {
    return !(A == B);
  }

private:
  llvm::SmallVector<HeldLock, 2> Locks;
  /// Extra[i]: the holds of Locks[i] beyond the first.
  llvm::SmallVector<unsigned, 2> Extra;
};

class LockSetAnalysis {
public:
  /// Runs the analysis on \p Body. \p B names the body's parameters and
  /// captures in a spawner's terms (for a task), or is null.
  /// With \p Summaries, calls apply their callees' lock effects.
  LockSetAnalysis(const BodyCFG &Body, const LockModel &Model,
                  const Bindings *B = nullptr,
                  SummaryModel *Summaries = nullptr);

  /// The locks held on every path to the evaluation of \p S; none when \p S
  /// is not an element of the body's CFG (or is unreachable).
  std::optional<LockSet> heldAt(const clang::Stmt *S) const;
  /// The locks held on every path to \p S, and those released on every
  /// path to it that the body had not taken (an unlock helper, or an unlock
  /// of a lock its caller holds).
  std::optional<std::pair<LockSet, LockSet>>
  locksAt(const clang::Stmt *S) const;
  /// The locks held, and released without being taken, on every path that
  /// returns (not through a call that never returns); none when no path
  /// returns.
  std::optional<std::pair<LockSet, LockSet>> atExit() const;
  /// Whether the fixed point was cut at the round bound (the sets may then
  /// hold more than every path guarantees).
  bool truncated() const { return Truncated; }
  /// The locks held on entry: those the function requires of its callers
  /// (LockModel::requiredOnEntry).
  const LockSet &heldOnEntry() const { return Entry; }
  /// The locks the body asserts it holds (mu.AssertHeld()): its caller's.
  const LockSet &asserted() const { return Asserted; }
  static constexpr unsigned MaxRounds = 64;

private:
  struct State {
    bool Reached = false;
    LockSet Held;
    /// Locks released that were not held (must: on every path).
    LockSet Released;
    /// Which mutexes each guard variable is bound to, and whether it holds
    /// them now (unique_lock can unlock and relock).
    llvm::SmallVector<std::pair<const clang::VarDecl *, HeldLock>, 2> Guards;
  };
  void transfer(const clang::CFGElement &E, State &S) const;
  void run();
  /// The meet over \p B's reached predecessors; with \p SkipNoReturn,
  /// not those ending in a call that never returns.
  State entryState(const clang::CFGBlock *B, bool SkipNoReturn = false) const;
  std::optional<State> stateAt(const clang::Stmt *S) const;
  void acquire(State &S, const HeldLock &L, bool Again = false) const;
  void release(State &S, const AccessPath &Mutex) const;
  /// Whether \p Eff, an acquisition, holds its mutex once more if it is
  /// held: a recursive mutex's lock (not an adoption nor an assertion).
  bool again(const Effect &Eff) const;

  const BodyCFG &Body;
  BodyEffects Effects;
  bool Truncated = false;
  LockSet Entry;
  /// Filled as the analysis runs (transfer is const).
  mutable LockSet Asserted;
  std::vector<State> In;   // per block id: state at block entry
  std::vector<State> Out;  // per block id: state at block exit
  /// Edge refinements: (block id, successor index) -> lock taken on that
  /// edge, and whether it is a recursive mutex's (held once more if held).
  llvm::DenseMap<std::pair<unsigned, unsigned>, std::pair<HeldLock, bool>>
      EdgeLocks;
  /// C lock calls whose status a branch tests: their lock is an edge's.
  llvm::SmallPtrSet<const clang::Expr *, 2> TestedAcquires;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_LOCKSETANALYSIS_H
