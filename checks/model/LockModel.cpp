//===--- LockModel.cpp - What is a mutex, a guard, a lock operation -------===//

#include "LockModel.h"
#include "SpawnModel.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
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

LockModel::LockModel(const LockModelOptions &Opts, const FactsView *Facts)
    : Facts(Facts), Mutexes(joinLists(defaultMutexTypes(), Opts.MutexTypes)),
      Guards(joinLists(defaultGuardTypes(), Opts.GuardTypes)),
      MovableGuards("::std::unique_lock;::std::shared_lock;"
                    "::concheck::unique_lock;::concheck::shared_lock;"
                    "::boost::unique_lock;::absl::ReleasableMutexLock") {}

/// A type Clang's thread-safety analysis knows as a capability
/// (`capability`, `lockable`), or derived from one.
static bool isCapabilityRecord(const CXXRecordDecl *RD) {
  return isRecordOrBase(
      RD, [](const CXXRecordDecl *R) { return R->hasAttr<CapabilityAttr>(); });
}

bool LockModel::isMutexRecord(const CXXRecordDecl *RD) const {
  return Mutexes.containsRecordOrBase(RD) || isCapabilityRecord(RD) ||
         hasLockShape(RD);
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

/// Whether a function body surely cannot wait for anything: no loop, no
/// atomic operation, no call but to the C library's output functions and
/// stream insertions (a lock() that only logs, a null mutex's empty one).
static bool cannotWait(const Stmt *Body) {
  struct Finder : RecursiveASTVisitor<Finder> {
    bool Waits = false;
    bool VisitStmt(Stmt *S) {
      if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, GotoStmt, AsmStmt,
              CoawaitExpr, CoyieldExpr>(S))
        Waits = true;
      if (const auto *C = dyn_cast<CallExpr>(S)) {
        const FunctionDecl *FD = C->getDirectCallee();
        const auto *Op = dyn_cast<CXXOperatorCallExpr>(C);
        const bool Output =
            FD && ((Op && Op->getOperator() == OO_LessLess) ||
                   (FD->getDeclName().isIdentifier() &&
                    llvm::is_contained({"printf", "fprintf", "puts", "fputs",
                                        "putchar", "fputc", "snprintf",
                                        "sprintf", "perror", "syslog",
                                        "vprintf", "vfprintf", "fflush"},
                                       FD->getName())));
        Waits |= !Output;
      }
      return !Waits;
    }
  } F;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return !F.Waits;
}

bool LockModel::locksNothing(const CXXRecordDecl *RD) const {
  // Every lock() the class shows a body for cannot wait.
  bool Seen = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getDeclName().isIdentifier() ||
        (M->getName() != "lock" && M->getName() != "Lock"))
      continue;
    const FunctionDecl *Def = M->getDefinition();
    if (!Def || !Def->hasBody() || !cannotWait(Def->getBody()))
      return false;
    Seen = true;
  }
  return Seen;
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
      // Defined in another translation unit: its facts say what it does.
      if (const FunctionFacts *F = Facts ? Facts->of(M) : nullptr) {
        Lock |= F->Lock == FunctionFacts::Locks;
        Unlock |= F->Lock == FunctionFacts::Unlocks;
      }
    }
    return true;
  };
  Scan(RD);
  RD->forallBases([&](const CXXRecordDecl *Base) { return Scan(Base); });
  const bool Shape = Lock && Unlock && !isGuardRecord(RD) &&
                     !takesAMutex(RD, Mutexes) && !locksNothing(RD);
  ShapeCache[RD] = Shape;
  return Shape;
}
bool LockModel::isMutexType(QualType T) const {
  return isMutexRecord(recordOf(T));
}
bool LockModel::isGuardRecord(const CXXRecordDecl *RD) const {
  return Guards.containsRecordOrBase(RD) ||
         (RD && RD->hasAttr<ScopedLockableAttr>());
}
bool LockModel::isGuardType(QualType T) const {
  return isGuardRecord(recordOf(T));
}
bool LockModel::isMovableGuardRecord(const CXXRecordDecl *RD) const {
  if (MovableGuards.containsRecordOrBase(RD))
    return true;
  // A scoped capability with a release function of its own besides its
  // destructor (an early unlock()).
  if (!RD || !RD->hasAttr<ScopedLockableAttr>() || !RD->hasDefinition())
    return false;
  for (const CXXMethodDecl *M : RD->getDefinition()->methods())
    if (!isa<CXXDestructorDecl>(M) && M->hasAttr<ReleaseCapabilityAttr>())
      return true;
  return false;
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
      "pthread_spin_lock", "pthread_spin_unlock", "pthread_spin_trylock",
      // C11's <threads.h>.
      "mtx_lock", "mtx_unlock", "mtx_trylock", "mtx_timedlock",
      // OpenMP's locks.
      "omp_set_lock", "omp_unset_lock", "omp_test_lock", "omp_set_nest_lock",
      "omp_unset_nest_lock", "omp_test_nest_lock"};
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
             "mtx_lock", MemberKind{K::Acquire, false})
      .Case("pthread_rwlock_rdlock", MemberKind{K::Acquire, true})
      .Cases("pthread_mutex_unlock", "pthread_rwlock_unlock",
             "pthread_spin_unlock", "mtx_unlock", MemberKind{K::Release, false})
      .Cases("pthread_mutex_trylock", "pthread_mutex_timedlock",
             "pthread_rwlock_trywrlock", "pthread_spin_trylock", "mtx_trylock",
             "mtx_timedlock", MemberKind{K::TryAcquire, false})
      .Case("pthread_rwlock_tryrdlock", MemberKind{K::TryAcquire, true})
      .Cases("omp_set_lock", "omp_set_nest_lock", MemberKind{K::Acquire, false})
      .Cases("omp_unset_lock", "omp_unset_nest_lock",
             MemberKind{K::Release, false})
      .Cases("omp_test_lock", "omp_test_nest_lock",
             MemberKind{K::TryAcquire, false})
      .Default(std::nullopt);
}

static bool isTagType(const Expr *E, llvm::StringRef TagName) {
  const CXXRecordDecl *RD = recordOf(E->getType());
  return RD && RD->getName() == TagName && RD->isInStdNamespace();
}

/// The lock operations Clang's thread-safety attributes of \p FD declare,
/// for its call (or construction) \p Site on \p Object with \p Args: each
/// capability named by an attribute's arguments, in the caller's terms
/// (the object itself when an attribute names none). False when \p FD has
/// no such attribute.
static bool attributeOps(const FunctionDecl *FD, const Expr *Site,
                         const Expr *Object, llvm::ArrayRef<const Expr *> Args,
                         const Bindings *B, bool Construct,
                         llvm::SmallVectorImpl<LockOp> &Out) {
  if (!FD || !FD->hasAttrs())
    return false;
  bool Any = false;
  std::optional<Bindings> Callee;
  auto Emit = [&](LockOp::Kind K, bool Shared, auto Range,
                  std::optional<bool> Success) {
    Any = true;
    auto Add = [&](std::optional<AccessPath> Mutex, const Expr *MutexExpr,
                   QualType MutexType = QualType()) {
      LockOp Op;
      Op.MutexType = MutexType;
      Op.K = K;
      Op.Shared = Shared;
      Op.Site = Site;
      Op.MutexExpr = MutexExpr;
      Op.Mutex = std::move(Mutex);
      Op.Function = FD->getDeclName().isIdentifier() ? FD->getName().str()
                                                     : FD->getNameAsString();
      if (Success)
        Op.SuccessIsNonZero = *Success;
      Out.push_back(std::move(Op));
    };
    bool Named = false;
    for (const Expr *Arg : Range) {
      Named = true;
      if (!Callee)
        Callee = bindArguments(FD, Object, Args, B, Passing::Call);
      // As written at the call: the argument a parameter receives.
      const Expr *Written = Object ? Object : Site;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
        if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl());
            P && P->getFunctionScopeIndex() < Args.size())
          Written = Args[P->getFunctionScopeIndex()];
      Add(AccessPath::ofObject(Arg, &*Callee), Written, Arg->getType());
    }
    if (!Named && Object && !Construct)
      Add(AccessPath::ofObject(Object, B), Object);
  };
  auto SuccessOf = [&](const Expr *V) -> std::optional<bool> {
    if (!V)
      return std::nullopt;
    if (std::optional<llvm::APSInt> I =
            V->getIntegerConstantExpr(FD->getASTContext()))
      return I->getBoolValue();
    if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(V->IgnoreParenImpCasts()))
      return BL->getValue();
    return std::nullopt;
  };
  for (const Attr *A : FD->attrs()) {
    if (const auto *Acq = dyn_cast<AcquireCapabilityAttr>(A))
      Emit(Construct ? LockOp::GuardAcquire : LockOp::Acquire, Acq->isShared(),
           Acq->args(), std::nullopt);
    else if (const auto *Rel = dyn_cast<ReleaseCapabilityAttr>(A);
             Rel && !Construct && !isa<CXXDestructorDecl>(FD))
      Emit(LockOp::Release, Rel->isShared(), Rel->args(), std::nullopt);
    else if (const auto *Try = dyn_cast<TryAcquireCapabilityAttr>(A))
      Emit(Construct ? LockOp::GuardTryAcquire : LockOp::TryAcquire,
           Try->isShared(), Try->args(), SuccessOf(Try->getSuccessValue()));
    else if (const auto *Old = dyn_cast<ExclusiveTrylockFunctionAttr>(A))
      Emit(Construct ? LockOp::GuardTryAcquire : LockOp::TryAcquire, false,
           Old->args(), SuccessOf(Old->getSuccessValue()));
    else if (const auto *OldShared = dyn_cast<SharedTrylockFunctionAttr>(A))
      Emit(Construct ? LockOp::GuardTryAcquire : LockOp::TryAcquire, true,
           OldShared->args(), SuccessOf(OldShared->getSuccessValue()));
    else if (const auto *Assert = dyn_cast<AssertCapabilityAttr>(A))
      Emit(LockOp::Assert, Assert->isShared(), Assert->args(), std::nullopt);
    else if (const auto *OldAssert = dyn_cast<AssertExclusiveLockAttr>(A))
      Emit(LockOp::Assert, false, OldAssert->args(), std::nullopt);
    else if (const auto *OldAssertShared = dyn_cast<AssertSharedLockAttr>(A))
      Emit(LockOp::Assert, true, OldAssertShared->args(), std::nullopt);
  }
  return Any;
}

llvm::SmallVector<HeldLock, 1>
LockModel::requiredOnEntry(const FunctionDecl *FD, const Bindings *B) const {
  llvm::SmallVector<HeldLock, 1> Out;
  if (!FD || !FD->hasAttrs())
    return Out;
  for (const auto *Req : FD->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr *Arg : Req->args())
      if (std::optional<AccessPath> P = AccessPath::ofObject(Arg, B))
        Out.push_back({std::move(*P), Req->isShared()});
  return Out;
}

std::optional<LockModel::DeclaredGuard>
LockModel::declaredGuard(const AccessPath &Loc) {
  llvm::ArrayRef<AccessPath::Step> Steps = Loc.steps();
  // The element of a guarded array is guarded too; a pointee through a
  // pt_guarded_by pointer.
  size_t End = Steps.size();
  while (End > 0 && Steps[End - 1].Kind != AccessPath::StepKind::Field &&
         Steps[End - 1].Kind != AccessPath::StepKind::Deref)
    --End;
  bool ThroughPointer = false;
  if (End > 0 && Steps[End - 1].Kind == AccessPath::StepKind::Deref) {
    ThroughPointer = true;
    --End;
  }
  // The declaration: the field of the last step, or the root variable.
  const ValueDecl *D = nullptr;
  if (End > 0 && Steps[End - 1].Kind == AccessPath::StepKind::Field)
    D = Steps[End - 1].Decl;
  else if (End == 0)
    D = Loc.root();
  if (!D || !D->hasAttrs())
    return std::nullopt;
  const Expr *Arg = nullptr;
  if (ThroughPointer) {
    if (const auto *A = D->getAttr<PtGuardedByAttr>())
      Arg = A->getArg();
  } else if (const auto *A = D->getAttr<GuardedByAttr>()) {
    Arg = A->getArg();
  }
  if (!Arg)
    return std::nullopt;
  std::optional<AccessPath> M = AccessPath::ofObject(Arg, nullptr);
  if (!M)
    return std::nullopt;
  if (M->isThisRooted()) {
    // A member of the object the guarded field belongs to.
    if (End == 0)
      return std::nullopt;
    AccessPath Object = Loc.prefix(End - 1);
    M = M->rebase(Object, 0);
  }
  return DeclaredGuard{std::move(*M), D};
}

void LockModel::classifyConstruct(const CXXConstructExpr *CE,
                                  llvm::SmallVectorImpl<LockOp> &Out,
                                  const Bindings *B) const {
  const CXXRecordDecl *RD = CE->getConstructor()->getParent();
  // A scoped capability's constructor says what it acquires.
  if (!CE->getConstructor()->isCopyOrMoveConstructor() &&
      RD->hasAttr<ScopedLockableAttr>()) {
    llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
    if (attributeOps(CE->getConstructor(), CE, nullptr, Args, B,
                     /*Construct=*/true, Out))
      return;
  }
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

/// A one-shot claim of an atomic flag: the call, and which result is success.
static std::optional<bool> claimSuccess(const CXXMemberCallExpr *MCE) {
  const CXXMethodDecl *MD = MCE->getMethodDecl();
  if (!MD || !MD->getDeclName().isIdentifier())
    return std::nullopt;
  const CXXRecordDecl *RD = MD->getParent();
  if (!RD->isInStdNamespace() || !RD->getDeclName().isIdentifier())
    return std::nullopt;
  // std::atomic<bool> (its members may sit in a base: __atomic_base).
  const Expr *Obj = MCE->getImplicitObjectArgument();
  const CXXRecordDecl *Of =
      Obj ? recordOf(Obj->IgnoreParenImpCasts()->getType()) : nullptr;
  StringRef N = MD->getName();
  if (N == "test_and_set" && RD->getName() == "atomic_flag")
    return false; // success: it was clear
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(Of);
  if (!Spec || !Spec->isInStdNamespace() || Spec->getName() != "atomic" ||
      Spec->getTemplateArgs().size() != 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type ||
      !Spec->getTemplateArgs()[0].getAsType()->isBooleanType())
    return std::nullopt;
  auto IsTrue = [&](const Expr *E) {
    const auto *L = dyn_cast<CXXBoolLiteralExpr>(E->IgnoreParenImpCasts());
    return L && L->getValue();
  };
  if ((N == "compare_exchange_strong" || N == "compare_exchange_weak") &&
      MCE->getNumArgs() >= 2 && IsTrue(MCE->getArg(1)))
    return true; // success: it was false and is now true
  if (N == "exchange" && MCE->getNumArgs() >= 1 && IsTrue(MCE->getArg(0)))
    return false; // success: it was false
  return std::nullopt;
}

llvm::SmallVector<LockOp, 1>
LockModel::classify(const Expr *E, const Bindings *B, bool WithClaims) const {
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
    if (WithClaims)
      if (std::optional<bool> Success = claimSuccess(MCE)) {
        LockOp Op;
        Op.K = LockOp::TryAcquire;
        Op.Claim = true;
        Op.Site = MCE;
        Op.MutexExpr = MCE->getImplicitObjectArgument();
        Op.Mutex = AccessPath::ofObject(Op.MutexExpr, B);
        Op.Function = MD->getName().str();
        Op.SuccessIsNonZero = *Success;
        Out.push_back(std::move(Op));
        return Out;
      }
    // Annotated for Clang's thread-safety analysis: the attributes say. A
    // scoped guard's own lock()/unlock() act on the guard (its relock and
    // early unlock), as std::unique_lock's do.
    if (const Expr *Obj = MCE->getImplicitObjectArgument();
        Obj && !MD->getParent()->hasAttr<ScopedLockableAttr>()) {
      llvm::SmallVector<const Expr *, 4> Args(MCE->arguments());
      if (attributeOps(MD, MCE, Obj, Args, B, /*Construct=*/false, Out))
        return Out;
    }
    std::optional<MemberKind> MK = memberKind(MD->getName());
    // A lock wrapper's method defined in another translation unit, whatever
    // its name: the project's facts say whether it locks or unlocks.
    if (const FunctionFacts *F = Facts ? Facts->of(MD) : nullptr;
        F && F->Lock != FunctionFacts::NoLock &&
        !isGuardRecord(MD->getParent()))
      MK = MemberKind{F->Lock == FunctionFacts::Locks ? LockOp::Acquire
                                                      : LockOp::Release,
                      false};
    else if (!MK || !isMutexRecord(MD->getParent()))
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
    // pthread's try functions return 0 on success (C11's thrd_success, 0
    // too), OpenMP's test non-zero. pthread's and C11's lock functions
    // return an error when they did not lock (mtx_lock's thrd_error,
    // pthread_mutex_lock's EDEADLK, EINVAL).
    Op.SuccessIsNonZero = Name.starts_with("omp_");
    Op.ReturnsStatus = Op.K == LockOp::Acquire && !Name.starts_with("omp_");
    Out.push_back(std::move(Op));
    return Out;
  }

  if (!isa<CXXMethodDecl>(FD)) {
    llvm::SmallVector<const Expr *, 4> Args(Call->arguments());
    if (attributeOps(FD, Call, nullptr, Args, B, /*Construct=*/false, Out))
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
