//===--- LockModel.h - What is a mutex, a guard, a lock operation -*- C++ -*-===//
//
// Part of concheck. The single place that decides which types are mutexes and
// scoped guards and which calls lock or unlock them. Every check that reasons
// about locks asks this model, so the defaults and the MutexTypes/GuardTypes
// options mean the same thing everywhere.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_LOCKMODEL_H
#define CONCHECK_MODEL_LOCKMODEL_H

#include "AccessPath.h"
#include "Names.h"
#include "ProjectFacts.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace concheck::model {

/// The user-extensible part of the lock model (CheckOptions, ';' lists).
struct LockModelOptions {
  std::string MutexTypes; // extra lockable types, e.g. "::my::SpinLock"
  std::string GuardTypes; // extra scoped guard types, e.g. "::my::Guard"
};

/// One effect of a statement on a mutex.
/// A mutex held, and how.
struct HeldLock {
  AccessPath Mutex;
  bool Shared = false;
  friend bool operator==(const HeldLock &A, const HeldLock &B) {
    return A.Mutex == B.Mutex && A.Shared == B.Shared;
  }
};

struct LockOp {
  enum Kind {
    Acquire,      ///< m.lock(), pthread_mutex_lock(&m), std::lock(a, b)
    TryAcquire,   ///< m.try_lock(): held only where the call returned success
    Release,      ///< m.unlock(), pthread_mutex_unlock(&m)
    GuardAcquire, ///< a guard's constructor locks the mutex
    GuardAdopt,   ///< a guard adopts a mutex its owner already locked
    GuardDefer,   ///< a guard is bound to a mutex it does not lock yet
    GuardTryAcquire,
    /// An assertion that the caller holds the mutex (assert_capability:
    /// mu.AssertHeld()): held from there on, taken by no one.
    Assert,
  };
  Kind K;
  /// The call or construction that performs the operation.
  const clang::Expr *Site = nullptr;
  /// The mutex object as written (for pthread: the pointer operand).
  const clang::Expr *MutexExpr = nullptr;
  /// The mutex's type, when MutexExpr is not the mutex itself (a lock
  /// function's attribute naming a member of the object it is called on).
  clang::QualType MutexType;
  /// Canonical name of the mutex, when one can be formed.
  std::optional<AccessPath> Mutex;
  /// Shared (reader) mode.
  bool Shared = false;
  /// The function as the user would name it: "lock", "pthread_mutex_lock",
  /// "std::lock".
  std::string Function;
  /// Success of a TryAcquire is a non-zero result (member try_lock) or a zero
  /// result (pthread_mutex_trylock).
  bool SuccessIsNonZero = true;
  /// Acquire by a C function that returns 0 when it took the lock and an
  /// error otherwise (pthread_mutex_lock, mtx_lock): where a branch tests
  /// the result, the lock is held on the success branch only.
  bool ReturnsStatus = false;
  /// A one-shot claim of an atomic flag (`f.compare_exchange_strong(e,
  /// true)`, `!f.exchange(true)`, `!f.test_and_set()`): at most one thread
  /// succeeds until the flag is reset, so the code it guards runs in one
  /// thread at a time, as under a lock that is never released. Only for the
  /// lock sets (classify's WithClaims); no lock check reports it.
  bool Claim = false;

  bool isManual() const {
    return K == Acquire || K == TryAcquire || K == Release;
  }
  bool locks() const { return K == Acquire || K == TryAcquire; }
};

class LockModel {
public:
  /// \p Facts (may be null): what other translation units say about
  /// member functions this one has no body for (a wrapper's Acquire()).
  explicit LockModel(const LockModelOptions &Opts,
                     const FactsView *Facts = nullptr);

  /// A mutex: a type of the default list or the MutexTypes option (or
  /// derived from one), a capability of Clang's thread-safety analysis
  /// (`capability`, `lockable`), or one with public lock() and unlock()
  /// members (Lock() and Unlock()) that is neither a guard nor handed a
  /// mutex by its constructors, and whose lock() can wait (a mutex by its
  /// shape: a spin lock, a project's wrapper; not one whose lock() only
  /// logs). A guard is also a `scoped_lockable` type. Calls of functions
  /// with thread-safety attributes (acquire, release, try-acquire, old
  /// spellings too) lock and unlock what the attributes name.
  bool isMutexType(clang::QualType T) const;
  bool isMutexRecord(const clang::CXXRecordDecl *RD) const;
  bool isGuardType(clang::QualType T) const;
  bool isGuardRecord(const clang::CXXRecordDecl *RD) const;
  /// A guard by its shape: a constructor takes a mutex by reference or
  /// pointer, and a member keeps one (TBB's scoped_lock, dlib's auto_mutex):
  /// its members lock and unlock by hand because they implement the guard.
  bool isGuardShaped(const clang::CXXRecordDecl *RD) const;
  /// A guard type whose lock()/unlock() members the user may call
  /// (std::unique_lock, std::shared_lock).
  bool isMovableGuardRecord(const clang::CXXRecordDecl *RD) const;

  /// The lock operations \p E performs by itself (not its subexpressions):
  /// a call to a mutex member or to a lock function, or a guard construction.
  /// With \p B, mutexes reached through a task's parameters and captures
  /// are named in the spawner's terms.
  /// With \p WithClaims, also one-shot claims of atomic flags (LockOp::Claim).
  llvm::SmallVector<LockOp, 1> classify(const clang::Expr *E,
                                        const Bindings *B = nullptr,
                                        bool WithClaims = false) const;

  /// The lock that guards location \p Loc by its declaration (Clang's
  /// `guarded_by` on a field or global it names, `pt_guarded_by` on the
  /// pointer it is reached through), in \p Loc's terms, and the declaration
  /// that says so. None when no declaration on the path does.
  struct DeclaredGuard {
    AccessPath Mutex;
    const clang::ValueDecl *Declared = nullptr;
  };
  static std::optional<DeclaredGuard> declaredGuard(const AccessPath &Loc);

  /// The locks \p FD's callers must hold (Clang's `requires_capability`,
  /// `exclusive_locks_required`, `shared_locks_required`): held on its
  /// entry, in the terms \p B gives its body.
  llvm::SmallVector<HeldLock, 1> requiredOnEntry(const clang::FunctionDecl *FD,
                                                 const Bindings *B) const;

  /// The member and free function names any lock operation can have; used to
  /// prefilter matchers cheaply.
  static llvm::ArrayRef<llvm::StringRef> lockFunctionNames();

  /// Default type lists, for documentation and storeOptions.
  static llvm::StringRef defaultMutexTypes();
  static llvm::StringRef defaultGuardTypes();

private:
  void classifyConstruct(const clang::CXXConstructExpr *CE,
                         llvm::SmallVectorImpl<LockOp> &Out,
                         const Bindings *B) const;
  /// A type with public lock() and unlock() members (Lock()/Unlock()) that
  /// is no guard: a mutex by its shape, whatever its name.
  bool hasLockShape(const clang::CXXRecordDecl *RD) const;
  /// Every lock() (Lock()) of \p RD with a body cannot wait: it only logs,
  /// or does nothing (a null mutex).
  bool locksNothing(const clang::CXXRecordDecl *RD) const;
  const FactsView *Facts;
  NameSet Mutexes;
  NameSet Guards;
  NameSet MovableGuards;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, bool> ShapeCache;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_LOCKMODEL_H
