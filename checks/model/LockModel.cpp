//===--- LockModel.cpp - What is a mutex, a guard, a lock operation -------===//

#include "LockModel.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace concheck::model {

llvm::StringRef LockModel::defaultMutexTypes() {
  return "::std::mutex;::std::timed_mutex;::std::recursive_mutex;"
         "::std::recursive_timed_mutex;::std::shared_mutex;"
         "::std::shared_timed_mutex;::absl::Mutex;::concheck::mutex;"
         "::concheck::shared_mutex;::boost::mutex;::boost::shared_mutex";
}

llvm::StringRef LockModel::defaultGuardTypes() {
  return "::std::lock_guard;::std::unique_lock;::std::scoped_lock;"
         "::std::shared_lock;::absl::MutexLock;::absl::ReaderMutexLock;"
         "::absl::WriterMutexLock;::absl::ReleasableMutexLock;"
         "::concheck::lock_guard;::concheck::unique_lock;"
         "::concheck::shared_lock;::boost::lock_guard;::boost::unique_lock";
}

LockModel::LockModel(const LockModelOptions &Opts)
    : Mutexes(joinLists(defaultMutexTypes(), Opts.MutexTypes)),
      Guards(joinLists(defaultGuardTypes(), Opts.GuardTypes)),
      MovableGuards("::std::unique_lock;::std::shared_lock;"
                    "::concheck::unique_lock;::concheck::shared_lock;"
                    "::boost::unique_lock;::absl::ReleasableMutexLock") {}

bool LockModel::isMutexRecord(const CXXRecordDecl *RD) const {
  return Mutexes.containsRecordOrBase(RD) || hasLockShape(RD);
}

/// Whether \p RD takes a mutex in a constructor (by reference or pointer):
/// a guard or a handle to a mutex, not a mutex of its own.
static bool takesAMutex(const CXXRecordDecl *RD, const NameSet &Mutexes) {
  for (const CXXConstructorDecl *C : RD->ctors()) {
    if (C->isCopyOrMoveConstructor())
      continue;
    for (const ParmVarDecl *P : C->parameters()) {
      QualType T = P->getType();
      if (!T->isReferenceType() && !T->isPointerType())
        continue;
      const CXXRecordDecl *Arg = recordOf(T->getPointeeType());
      if (Arg && Arg != RD && Mutexes.containsRecordOrBase(Arg))
        return true;
      if (Arg && Arg != RD && Arg->hasDefinition())
        for (const CXXMethodDecl *M : Arg->methods())
          if (M->getDeclName().isIdentifier() &&
              (M->getName() == "lock" || M->getName() == "Lock"))
            return true;
    }
  }
  return false;
}

bool LockModel::isGuardShaped(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition() || RD->isLambda())
    return false;
  RD = RD->getDefinition();
  if (!takesAMutex(RD, Mutexes))
    return false;
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    if ((T->isReferenceType() || T->isPointerType()) &&
        isMutexType(T->getPointeeType()))
      return true;
  }
  return false;
}

bool LockModel::hasLockShape(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition() || RD->isLambda())
    return false;
  RD = RD->getDefinition();
  auto [It, Inserted] = ShapeCache.try_emplace(RD, false);
  if (!Inserted)
    return It->second;
  // Public lock() and unlock() (or Lock() and Unlock()), in the class or a
  // base; not a guard (std::unique_lock has both) nor a class that is handed
  // a mutex to work on.
  bool Lock = false, Unlock = false;
  auto Scan = [&](const CXXRecordDecl *C) {
    for (const CXXMethodDecl *M : C->methods()) {
      if (!M->getDeclName().isIdentifier() || M->isStatic() ||
          M->getAccess() != AS_public)
        continue;
      StringRef N = M->getName();
      Lock |= N == "lock" || N == "Lock";
      Unlock |= N == "unlock" || N == "Unlock";
    }
    return true;
  };
  Scan(RD);
  RD->forallBases([&](const CXXRecordDecl *Base) { return Scan(Base); });
  const bool Shape =
      Lock && Unlock && !isGuardRecord(RD) && !takesAMutex(RD, Mutexes);
  ShapeCache[RD] = Shape;
  return Shape;
}
bool LockModel::isMutexType(QualType T) const {
  return isMutexRecord(recordOf(T));
}
bool LockModel::isGuardRecord(const CXXRecordDecl *RD) const {
  return Guards.containsRecordOrBase(RD);
}
bool LockModel::isGuardType(QualType T) const {
  return isGuardRecord(recordOf(T));
}
bool LockModel::isMovableGuardRecord(const CXXRecordDecl *RD) const {
  return MovableGuards.containsRecordOrBase(RD);
}

llvm::ArrayRef<llvm::StringRef> LockModel::lockFunctionNames() {
  static const llvm::StringRef Names[] = {
      // Standard Lockable / SharedLockable / TimedLockable.
      "lock", "unlock", "try_lock", "try_lock_for", "try_lock_until",
      "lock_shared", "unlock_shared", "try_lock_shared", "try_lock_shared_for",
      "try_lock_shared_until",
      // absl::Mutex.
      "Lock", "Unlock", "TryLock", "ReaderLock", "ReaderUnlock",
      "ReaderTryLock", "WriterLock", "WriterUnlock", "WriterTryLock",
      // POSIX.
      "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_mutex_trylock",
      "pthread_mutex_timedlock", "pthread_rwlock_rdlock",
      "pthread_rwlock_wrlock", "pthread_rwlock_unlock",
      "pthread_rwlock_tryrdlock", "pthread_rwlock_trywrlock",
      "pthread_spin_lock", "pthread_spin_unlock", "pthread_spin_trylock"};
  return Names;
}

namespace {
struct MemberKind {
  LockOp::Kind K;
  bool Shared;
};
} // namespace

static std::optional<MemberKind> memberKind(llvm::StringRef Name) {
  using K = LockOp::Kind;
  return llvm::StringSwitch<std::optional<MemberKind>>(Name)
      .Cases("lock", "Lock", "WriterLock", MemberKind{K::Acquire, false})
      .Cases("unlock", "Unlock", "WriterUnlock", MemberKind{K::Release, false})
      .Cases("try_lock", "try_lock_for", "try_lock_until", "TryLock",
             "WriterTryLock", MemberKind{K::TryAcquire, false})
      .Cases("lock_shared", "ReaderLock", MemberKind{K::Acquire, true})
      .Cases("unlock_shared", "ReaderUnlock", MemberKind{K::Release, true})
      .Cases("try_lock_shared", "try_lock_shared_for",
             "try_lock_shared_until", "ReaderTryLock",
             MemberKind{K::TryAcquire, true})
      .Default(std::nullopt);
}

static std::optional<MemberKind> posixKind(llvm::StringRef Name) {
  using K = LockOp::Kind;
  return llvm::StringSwitch<std::optional<MemberKind>>(Name)
      .Cases("pthread_mutex_lock", "pthread_rwlock_wrlock", "pthread_spin_lock",
             MemberKind{K::Acquire, false})
      .Case("pthread_rwlock_rdlock", MemberKind{K::Acquire, true})
      .Cases("pthread_mutex_unlock", "pthread_rwlock_unlock",
             "pthread_spin_unlock", MemberKind{K::Release, false})
      .Cases("pthread_mutex_trylock", "pthread_mutex_timedlock",
             "pthread_rwlock_trywrlock", "pthread_spin_trylock",
             MemberKind{K::TryAcquire, false})
      .Case("pthread_rwlock_tryrdlock", MemberKind{K::TryAcquire, true})
      .Default(std::nullopt);
}

static bool isTagType(const Expr *E, llvm::StringRef TagName) {
  const CXXRecordDecl *RD = recordOf(E->getType());
  return RD && RD->getName() == TagName && RD->isInStdNamespace();
}

void LockModel::classifyConstruct(const CXXConstructExpr *CE,
                                  llvm::SmallVectorImpl<LockOp> &Out,
                                  const Bindings *B) const {
  const CXXRecordDecl *RD = CE->getConstructor()->getParent();
  if (!isGuardRecord(RD) || CE->getNumArgs() == 0)
    return;
  // Copy and move constructors transfer an existing guard's state.
  if (CE->getConstructor()->isCopyOrMoveConstructor())
    return;
  LockOp::Kind K = LockOp::GuardAcquire;
  llvm::SmallVector<const Expr *, 2> MutexArgs;
  for (const Expr *Arg : CE->arguments()) {
    if (isa<CXXDefaultArgExpr>(Arg))
      continue;
    if (isTagType(Arg, "adopt_lock_t")) {
      K = LockOp::GuardAdopt;
      continue;
    }
    if (isTagType(Arg, "defer_lock_t")) {
      K = LockOp::GuardDefer;
      continue;
    }
    if (isTagType(Arg, "try_to_lock_t")) {
      K = LockOp::GuardTryAcquire;
      continue;
    }
    QualType T = Arg->getType();
    if (isMutexType(T) ||
        (T->isPointerType() && isMutexType(T->getPointeeType())))
      MutexArgs.push_back(Arg);
    // Other arguments (timeouts) do not name a mutex.
  }
  const bool Shared = RD->getName() == "shared_lock" ||
                      RD->getName() == "ReaderMutexLock";
  for (const Expr *Arg : MutexArgs) {
    LockOp Op;
    Op.K = K;
    Op.Site = CE;
    Op.MutexExpr = Arg;
    Op.Mutex = AccessPath::ofObject(Arg, B);
    Op.Shared = Shared;
    Op.Function = RD->getName().str();
    Out.push_back(std::move(Op));
  }
}

llvm::SmallVector<LockOp, 1> LockModel::classify(const Expr *E,
                                                 const Bindings *B) const {
  llvm::SmallVector<LockOp, 1> Out;
  if (!E)
    return Out;

  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    classifyConstruct(CE, Out, B);
    return Out;
  }

  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier())
      return Out;
    std::optional<MemberKind> MK = memberKind(MD->getName());
    if (!MK || !isMutexRecord(MD->getParent()))
      return Out;
    const Expr *Obj = MCE->getImplicitObjectArgument();
    if (!Obj)
      return Out;
    LockOp Op;
    Op.K = MK->K;
    Op.Shared = MK->Shared;
    Op.Site = MCE;
    Op.MutexExpr = Obj;
    Op.Mutex = AccessPath::ofObject(Obj, B);
    Op.Function = MD->getName().str();
    Out.push_back(std::move(Op));
    return Out;
  }

  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || isa<CXXOperatorCallExpr>(Call))
    return Out;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return Out;
  llvm::StringRef Name = FD->getName();

  if (std::optional<MemberKind> PK = posixKind(Name)) {
    // Only the C functions, not a user's overload in a namespace.
    if (!FD->isExternC() && !FD->getDeclContext()->isTranslationUnit())
      return Out;
    if (Call->getNumArgs() < 1)
      return Out;
    LockOp Op;
    Op.K = PK->K;
    Op.Shared = PK->Shared;
    Op.Site = Call;
    Op.MutexExpr = Call->getArg(0);
    Op.Mutex = AccessPath::ofPointee(Call->getArg(0), B);
    Op.Function = Name.str();
    Op.SuccessIsNonZero = false;
    Out.push_back(std::move(Op));
    return Out;
  }

  // std::lock(a, b, ...) locks every argument; std::try_lock all or none.
  if ((Name == "lock" || Name == "try_lock") && FD->isInStdNamespace()) {
    for (const Expr *Arg : Call->arguments()) {
      if (!isMutexType(Arg->getType()))
        continue;
      LockOp Op;
      Op.K = Name == "lock" ? LockOp::Acquire : LockOp::TryAcquire;
      Op.Site = Call;
      Op.MutexExpr = Arg;
      Op.Mutex = AccessPath::of(Arg, B);
      Op.Function = ("std::" + Name).str();
      // std::try_lock returns -1 on success: no simple polarity.
      Op.SuccessIsNonZero = true;
      Out.push_back(std::move(Op));
    }
  }
  return Out;
}

} // namespace concheck::model
