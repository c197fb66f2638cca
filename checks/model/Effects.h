//===--- Effects.h - What one element of a body's CFG does -----*- C++ -*-===//
//
// Part of concheck. The single place that says what an element of a
// function body's CFG does to locks and wait groups, and so the single place
// where a call's summary plugs in:
//  * locks: a manual lock, try_lock or unlock (the lock model), a guard's
//    construction and the variable it binds, a std::unique_lock's own
//    unlock()/lock()/release(), a guard's end of scope or of full-expression;
//    and through a callee's summary, what a lock helper leaves held, what an
//    unlock helper releases, the lock of a returned guard, a lock wrapper's
//    constructor;
//  * wait groups: a done (a call, a done guard's end of scope) or a wait,
//    and through a callee's summary the dones and waits of what it calls.
//
// The lock-set analysis, the wait-group checks' done test and the
// unbalanced-lock check's release test all read these effects: a helper
// that unlocks or counts down counts the same for each of them.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_EFFECTS_H
#define CONCHECK_MODEL_EFFECTS_H

#include "LockModel.h"
#include "WaitGroupModel.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace concheck::model {

class SummaryModel;

/// One thing a CFG element does.
struct Effect {
  enum Kind : unsigned char {
    Acquire,     ///< Lock is taken (a lock, a guard's construction, a helper)
    TryAcquire,  ///< Lock is taken where the call Site succeeded
    Release,     ///< Lock.Mutex is released (held or not)
    GuardEnd,    ///< an unnamed guard lets go of Lock.Mutex, if held
    GuardBind,   ///< the guard variable Var holds (or may take) Lock
    GuardUnlock, ///< Var's guard unlocks (std::unique_lock::unlock)
    GuardRelock, ///< Var's guard locks again (std::unique_lock::lock)
    GuardForget, ///< Var's guard hands its mutex back locked (release())
    ScopeEnd,    ///< Var goes out of scope (a guard lets go of its lock)
    Done,        ///< Group is counted down
    Wait,        ///< Group is waited on
  };
  explicit Effect(Kind K) : K(K) {}

  Kind K;
  HeldLock Lock;    ///< the lock kinds
  AccessPath Group; ///< Done and Wait
  const clang::VarDecl *Var = nullptr;
  /// The call or construction that has the effect (in the body, or the
  /// group call inside a callee); null for ends of scope and done guards.
  const clang::Expr *Site = nullptr;
  /// The call of this body whose callee's summary has the effect.
  const clang::CallExpr *Via = nullptr;
  /// Acquire and TryAcquire: the mutex's type, when the lock operation
  /// shows it (the pointee for pthread_mutex_lock(&m); null through a
  /// summary).
  clang::QualType MutexType;
  /// Acquire: a guard adopting a lock its owner already took.
  bool Adopt = false;
  /// Acquire: an assertion that the lock is held (assert_capability), which
  /// takes nothing.
  bool Asserted = false;
  /// TryAcquire: the branch on the call's result tells success (a member
  /// try_lock or pthread_mutex_trylock; not a guard's try_to_lock, nor
  /// std::try_lock), and which result means success. Acquire: a C lock
  /// function's status (LockOp::ReturnsStatus), when a branch tests it.
  bool Branches = false;
  bool SuccessIsNonZero = true;
};

/// The effects of the elements of one body, with its names given by a
/// binding (a task's parameters and captures in its spawner's terms).
class BodyEffects {
public:
  enum Family : unsigned { Locks = 1, Groups = 2, All = 3 };

  /// \p Summaries may be null: calls then have no effect of their own.
  /// \p DoneGuards are the body's done guards (scanGroupCalls), in \p B's
  /// terms; \p Body is the function whose CFG the elements come from.
  /// \p GroupM may be null when only lock effects are asked for.
  BodyEffects(const LockModel &LockM, const WaitGroupModel *GroupM,
              SummaryModel *Summaries, const clang::FunctionDecl *Body,
              const Bindings *B,
              llvm::ArrayRef<DoneGuard> DoneGuards = std::nullopt);

  /// Appends what \p E does, of the families \p Want.
  void of(const clang::CFGElement &E, llvm::SmallVectorImpl<Effect> &Out,
          unsigned Want = All) const;

  /// Whether \p E counts \p G down.
  bool countsDown(const clang::CFGElement &E, const AccessPath &G) const;
  /// Whether \p E releases \p Mutex or hands it to a guard that adopts it
  /// (either way, the path no longer owes an unlock).
  bool releases(const clang::CFGElement &E, const AccessPath &Mutex) const;
  /// Whether \p E takes \p Mutex (a lock, a try_lock, a guard).
  bool locks(const clang::CFGElement &E, const AccessPath &Mutex) const;

private:
  void lockEffects(const clang::CFGElement &E,
                   llvm::SmallVectorImpl<Effect> &Out) const;
  void groupEffects(const clang::CFGElement &E,
                    llvm::SmallVectorImpl<Effect> &Out) const;
  llvm::ArrayRef<Effect> callGroupEffects(const clang::CallExpr *Call) const;

  const LockModel &LockM;
  const WaitGroupModel *GroupM;
  SummaryModel *Summaries;
  const clang::FunctionDecl *Body;
  const Bindings *B;
  llvm::SmallVector<DoneGuard, 1> DoneGuards;
  /// The group effects of each call, from its callee's summary.
  mutable llvm::DenseMap<const clang::CallExpr *, llvm::SmallVector<Effect, 1>>
      CallGroups;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_EFFECTS_H
