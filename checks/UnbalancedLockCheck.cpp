//===--- UnbalancedLockCheck.cpp - concheck-unbalanced-lock ---------------===//
//
// Part of concheck.
//
// A path starts holding a mutex at a manual lock (m.lock(),
// pthread_mutex_lock(&m), a try_lock on its success branch) or at a call of
// a lock helper (a function whose summary says it returns holding the
// mutex). From there, every way out of the function that passes no release
// of the same mutex leaves it locked: the next lock() deadlocks. Over the
// CFG, each such way out is reported at the jump that takes it (a return, a
// break or continue out of the loop that locked, a throw carried out of the
// try that locked), or at the end of the function when the lock runs on
// every path there. A release counts wherever it is made, in the function or
// in a helper it calls (the helper's summary), and so does a lock that
// blocks the path from the entry. A function that never releases what it
// locks hands the lock to its caller on purpose, and one entered with the
// mutex held (annotated as requiring it, or releasing it before it first
// locks it) gives it back held: neither is reported, unless the function is
// a task's body, which has no caller to hand the lock to. Nor is one that
// keeps the lock only on its success result and releases it on failure
// (0 or a negative error, true or false, the object or null), as
// pthread_mutex_trylock does: its caller can tell.
//
// Two more mistakes of the same family: an unlock on a path that already
// unlocked the mutex (and did not lock it again), and pthread_exit or
// thrd_exit, here or in a function that always calls it, while the path
// holds a mutex it took.
//
//===----------------------------------------------------------------------===//

#include "UnbalancedLockCheck.h"
#include "PathNotes.h"
#include "model/AccessModel.h"
#include "model/LockOrder.h"
#include "model/LockSetAnalysis.h"
#include "model/PathQuery.h"
#include "model/Reentrancy.h"
#include "model/TaskModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;
using concheck::model::AccessPath;
using concheck::model::LockOp;

namespace concheck {

struct UnbalancedLockCheck::LockStart {
  /// The lock, or the call of the lock helper.
  const Expr *Site = nullptr;
  AccessPath Mutex;
  /// How the user names the mutex.
  std::string Name;
  /// The lock helper called, if the lock is taken by one.
  const FunctionDecl *Helper = nullptr;
  model::PathStart Start;
};

struct UnbalancedLockCheck::ReleaseSite {
  const Expr *Site = nullptr;
  AccessPath Mutex;
  std::string Name;
  const FunctionDecl *Helper = nullptr;
};
using ReleaseSite = UnbalancedLockCheck::ReleaseSite;

static std::string nameOf(const FunctionDecl *FD) {
  return FD ? FD->getNameAsString() : std::string("function");
}

/// Whether \p Callable is entered with \p Mutex held: it is annotated as
/// requiring it, or some release of it is reachable from the entry before
/// any lock of it.
static bool heldOnEntry(const FunctionDecl *Callable, const AccessPath &Mutex,
                        llvm::ArrayRef<ReleaseSite> Releases,
                        const model::BodyCFG &Body,
                        const model::BodyEffects &Effects) {
  for (const auto *A : Callable->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr *Arg : A->args()) {
      std::optional<AccessPath> P = AccessPath::ofObject(Arg);
      if (P && *P == Mutex)
        return true;
    }
  auto Locks = [&](const CFGElement &E) { return Effects.locks(E, Mutex); };
  const model::PathStart Entry = model::entryOf(Body);
  return llvm::any_of(Releases, [&](const ReleaseSite &R) {
    return R.Mutex == Mutex &&
           model::reachesAvoiding(Body, Entry, R.Site, Locks);
  });
}

/// The return statement a block ends in, if any.
static const ReturnStmt *returnIn(const CFGBlock *B) {
  if (!B)
    return nullptr;
  for (auto It = B->rbegin(), End = B->rend(); It != End; ++It)
    if (std::optional<CFGStmt> S = It->getAs<CFGStmt>())
      if (const auto *R = dyn_cast<ReturnStmt>(S->getStmt()))
        return R;
  return nullptr;
}

/// Whether \p S changes local \p V, or may: an assignment, ++/--, its
/// address taken, a reference bound to it, a lambda capturing it by
/// reference.
static bool changes(const Stmt *S, const VarDecl *V) {
  if (!S)
    return false;
  auto Names = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == V;
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->isAssignmentOp() && Names(BO->getLHS()))
    return true;
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
      Names(UO->getSubExpr()))
    return true;
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *R = dyn_cast<VarDecl>(D);
          R && R->getType()->isReferenceType() && R->getInit() &&
          Names(R->getInit()))
        return true;
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    return llvm::any_of(L->captures(), [&](const LambdaCapture &C) {
      return C.capturesVariable() && C.getCapturedVar() == V &&
             C.getCaptureKind() == LCK_ByRef;
    });
  return llvm::any_of(S->children(),
                      [&](const Stmt *C) { return changes(C, V); });
}

/// The value \p E certainly has when \p Callable returns it: a constant,
/// or a local the function never changes after its constant initializer.
static std::optional<int64_t> returnedConstant(const Expr *E,
                                               const FunctionDecl *Callable) {
  const ASTContext &C = Callable->getASTContext();
  E = E->IgnoreParenImpCasts();
  if (E->isValueDependent())
    return std::nullopt;
  if (E->getType()->isPointerType() &&
      E->isNullPointerConstant(const_cast<ASTContext &>(C),
                               Expr::NPC_ValueDependentIsNotNull))
    return 0;
  if (std::optional<int64_t> V = model::integerConstant(E, C))
    return V;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || isa<ParmVarDecl>(V) || !V->hasLocalStorage() || !V->getInit() ||
      V->getType()->isReferenceType() || changes(Callable->getBody(), V))
    return std::nullopt;
  return returnedConstant(V->getInit(), Callable);
}

namespace {
/// What a function's result says by the usual conventions: 0 or a negative
/// error code, true or false, an object or null.
enum class Outcome { Success, Failure, Unknown };
} // namespace

static Outcome outcomeOf(const ReturnStmt *R, const FunctionDecl *Callable) {
  const Expr *V = R->getRetValue();
  if (!V)
    return Outcome::Unknown;
  const QualType T = Callable->getReturnType();
  const std::optional<int64_t> C = returnedConstant(V, Callable);
  if (T->isPointerType())
    return C && *C == 0 ? Outcome::Failure : Outcome::Success;
  if (!C)
    return Outcome::Unknown;
  if (T->isBooleanType())
    return *C ? Outcome::Success : Outcome::Failure;
  if (T->isIntegerType())
    return *C == 0  ? Outcome::Success
           : *C < 0 ? Outcome::Failure
                    : Outcome::Unknown;
  return Outcome::Unknown;
}

/// The return statements of \p S, outside lambdas.
static void collectReturns(const Stmt *S,
                           llvm::SmallVectorImpl<const ReturnStmt *> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    Out.push_back(R);
  for (const Stmt *C : S->children())
    collectReturns(C, Out);
}

/// Whether every way out of \p Callable that keeps the lock (\p Escapes)
/// returns the function's success result, and every other return its
/// failure result: it hands the lock to its caller with the result, as
/// pthread_mutex_trylock does (0, true, the object), and the caller can
/// tell.
static bool handsLockWithResult(const FunctionDecl *Callable,
                                llvm::ArrayRef<model::Escape> Escapes) {
  if (Callable->getReturnType()->isVoidType() || Escapes.empty())
    return false;
  llvm::SmallPtrSet<const ReturnStmt *, 4> Keeping;
  for (const model::Escape &Esc : Escapes) {
    const auto *R = dyn_cast_or_null<ReturnStmt>(Esc.Jump);
    if (!R || outcomeOf(R, Callable) != Outcome::Success)
      return false;
    Keeping.insert(R);
  }
  llvm::SmallVector<const ReturnStmt *, 8> Returns;
  collectReturns(Callable->getBody(), Returns);
  bool AnyFailure = false;
  for (const ReturnStmt *R : Returns) {
    if (Keeping.contains(R))
      continue;
    if (outcomeOf(R, Callable) != Outcome::Failure)
      return false;
    AnyFailure = true;
  }
  return AnyFailure;
}

/// Whether \p FD ends the calling thread: POSIX's pthread_exit, C11's
/// thrd_exit.
static bool isThreadExitFunction(const FunctionDecl *FD) {
  const IdentifierInfo *Id = FD->getIdentifier();
  return Id &&
         (Id->getName() == "pthread_exit" || Id->getName() == "thrd_exit") &&
         FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

const CallExpr *UnbalancedLockCheck::threadExitOf(const CallExpr *Call) {
  const FunctionDecl *Direct = Call->getDirectCallee();
  if (!Direct)
    return nullptr;
  if (isThreadExitFunction(Direct))
    return Call;
  const FunctionDecl *Callee = summaries().calleeOf(Call);
  if (!Callee)
    return nullptr;
  if (auto It = Exits.find(Callee); It != Exits.end())
    return It->second; // known, or on the walk (a cycle ends nothing)
  Exits[Callee] = nullptr;
  const model::BodyCFG *Body = model::getBodyCFG(Callee);
  if (!Body)
    return nullptr;
  // The calls of its body that end the thread; it ends the thread when no
  // way out of it avoids them.
  const CallExpr *First = nullptr;
  llvm::DenseSet<const Stmt *> Ending;
  for (const CFGBlock *B : Body->cfg())
    for (const CFGElement &E : *B)
      if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
        if (const auto *C = dyn_cast<CallExpr>(S->getStmt()))
          if (const CallExpr *X = threadExitOf(C)) {
            Ending.insert(C);
            if (!First)
              First = X;
          }
  if (!First)
    return nullptr;
  auto Ends = [&](const CFGElement &E) {
    std::optional<CFGStmt> S = E.getAs<CFGStmt>();
    return S && Ending.contains(S->getStmt());
  };
  if (!model::findEscapes(*Body, model::entryOf(*Body), Ends).empty())
    return nullptr;
  Exits[Callee] = First;
  return First;
}

void UnbalancedLockCheck::reportNote(const LockStart &L) {
  if (L.Helper)
    diag(L.Site->getBeginLoc(), "'%0' locked here, by the call to '%1'",
         DiagnosticIDs::Note)
        << L.Name << nameOf(L.Helper);
  else
    diag(L.Site->getBeginLoc(), "'%0' locked here", DiagnosticIDs::Note)
        << L.Name;
}

void UnbalancedLockCheck::onStartOfTranslationUnit() {
  LockCheckBase::onStartOfTranslationUnit();
  TaskStarts.clear();
  Kept.clear();
  Exits.clear();
}

void UnbalancedLockCheck::keepLock(const LockStart &L,
                                   const FunctionDecl *Callable,
                                   const model::BodyCFG &Body,
                                   const model::BodyEffects &Effects) {
  const auto *BodyStmt = dyn_cast_or_null<CompoundStmt>(Callable->getBody());
  if (!BodyStmt)
    return;
  // Every way out of the function from the lock: with no anchor, only a
  // return, a goto or a throw leaves.
  model::PathStart From = L.Start;
  From.Anchor = nullptr;
  auto Releases = [&](const CFGElement &E) {
    return Effects.releases(E, L.Mutex);
  };
  // One report for the lock: at the first way out in the source (every way
  // out keeps it, as nothing after the lock releases it).
  const SourceManager &SM = Callable->getASTContext().getSourceManager();
  std::optional<KeptLock> First;
  for (const model::Escape &Esc : model::findEscapes(Body, From, Releases)) {
    if (Esc.Jump && isa<CXXThrowExpr>(Esc.Jump))
      continue; // a task's uncaught exception ends the program
    const ReturnStmt *Ret = dyn_cast_or_null<ReturnStmt>(Esc.Jump);
    if (!Ret)
      Ret = returnIn(Esc.LastBlock);
    const SourceLocation Out =
        Ret ? Ret->getBeginLoc() : BodyStmt->getRBracLoc();
    if (First && !SM.isBeforeInTranslationUnit(Out, First->Out))
      continue;
    First.emplace();
    First->Function = Callable;
    First->IsReturn = Ret != nullptr;
    First->Out = Out;
    First->Locked = L.Site->getBeginLoc();
    First->Mutex = L.Name;
    if (L.Helper)
      First->Helper = nameOf(L.Helper);
  }
  if (First)
    Kept.push_back(std::move(*First));
}

void UnbalancedLockCheck::keepRecursive(const FunctionDecl *Callable,
                                        const model::BodyCFG &Body,
                                        llvm::ArrayRef<AccessPath> Mutexes,
                                        llvm::ArrayRef<LockStart> Starts,
                                        llvm::ArrayRef<ReleaseSite> Releases) {
  const auto *BodyStmt = dyn_cast_or_null<CompoundStmt>(Callable->getBody());
  if (!BodyStmt)
    return;
  // The holds on every return (counted for a recursive mutex).
  const model::LockSetAnalysis Locks(Body, lockModel(), nullptr, &summaries());
  std::optional<std::pair<model::LockSet, model::LockSet>> Exit =
      Locks.atExit();
  if (!Exit || Locks.truncated())
    return;
  // Where the function ends: its one return, else its closing brace.
  llvm::SmallVector<const ReturnStmt *, 2> Returns;
  const CFGBlock &ExitBlock = Body.cfg().getExit();
  for (auto P = ExitBlock.pred_begin(); P != ExitBlock.pred_end(); ++P)
    if (const CFGBlock *B = P->getReachableBlock();
        B && !B->hasNoReturnElement())
      Returns.push_back(returnIn(B));
  const ReturnStmt *Ret = Returns.size() == 1 ? Returns.front() : nullptr;
  const SourceManager &SM = Callable->getASTContext().getSourceManager();
  for (const AccessPath &M : Mutexes) {
    if (!Exit->first.holds(M) || Locks.heldOnEntry().holds(M))
      continue;
    KeptLock K;
    K.Function = Callable;
    K.IsReturn = Ret != nullptr;
    K.Out = Ret ? Ret->getBeginLoc() : BodyStmt->getRBracLoc();
    K.Recursive = true;
    for (const LockStart &L : Starts)
      if (L.Mutex == M) {
        K.Mutex = L.Name;
        K.Sites.push_back({L.Site->getBeginLoc(), true});
      }
    for (const ReleaseSite &R : Releases)
      if (R.Mutex == M)
        K.Sites.push_back({R.Site->getBeginLoc(), false});
    if (K.Mutex.empty())
      K.Mutex = M.spelling();
    llvm::sort(K.Sites, [&](const auto &A, const auto &B) {
      return SM.isBeforeInTranslationUnit(A.first, B.first);
    });
    Kept.push_back(std::move(K));
  }
}

void UnbalancedLockCheck::checkThreadExits(const LockStart &L,
                                           llvm::ArrayRef<ThreadExit> ExitCalls,
                                           const model::BodyCFG &Body,
                                           const model::BodyEffects &Effects) {
  auto Releases = [&](const CFGElement &E) {
    return Effects.releases(E, L.Mutex);
  };
  for (const auto &[Call, Exit] : ExitCalls) {
    if (Call == L.Site ||
        !model::reachesAvoiding(Body, L.Start, Call, Releases))
      continue;
    const SourceLocation Loc = Call->getBeginLoc();
    if (!firstReport(Loc, "exit:" + L.Mutex.str()))
      continue;
    if (Exit == Call)
      diag(Loc, "'%0' ends the thread with mutex '%1' still locked: no "
                "other thread can unlock it")
          << nameOf(Call->getDirectCallee()) << L.Name;
    else
      diag(Loc, "call to '%0' ends the thread with mutex '%1' still locked: "
                "no other thread can unlock it")
          << nameOf(Call->getDirectCallee()) << L.Name;
    reportNote(L);
    if (Exit != Call)
      diag(Exit->getBeginLoc(), "the thread exits here", DiagnosticIDs::Note);
  }
}

/// Whether \p S mentions \p Root (a variable), or 'this' when \p Root is
/// null.
static bool mentions(const Stmt *S, const ValueDecl *Root) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && Root)
    return DRE->getDecl() == Root;
  if (isa<CXXThisExpr>(S))
    return !Root;
  if (isa<LambdaExpr>(S))
    return false;
  return llvm::any_of(S->children(),
                      [&](const Stmt *C) { return mentions(C, Root); });
}

/// Whether the element \p E may take \p Mutex where the translation unit
/// does not show it: a call of a function with no body here (outside the
/// system's headers) or through a pointer, that can reach the mutex. Any
/// such call can reach a global of external linkage (another unit may lock
/// it); a call through a pointer can reach any global; otherwise the call
/// must be handed the mutex's root (an argument naming the variable, or
/// 'this').
static bool mayLockUnseen(const CFGElement &E, const AccessPath &Mutex,
                          model::SummaryModel &Summaries,
                          const SourceManager &SM) {
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  if (!S)
    return false;
  const Expr *Ex = dyn_cast<Expr>(S->getStmt());
  const FunctionDecl *Callee = nullptr;
  if (const auto *Call = dyn_cast_or_null<CallExpr>(Ex)) {
    if (Summaries.calleeOf(Call))
      return false; // its summary tells
    Callee = Call->getDirectCallee();
    if (!Callee && isa<CXXPseudoDestructorExpr>(Call->getCallee()))
      return false;
  } else if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Ex)) {
    Callee = CE->getConstructor();
  } else {
    return false;
  }
  if (Callee && (Callee->hasBody() || Callee->getBuiltinID() ||
                 SM.isInSystemHeader(Callee->getLocation())))
    return false;
  const auto *Global = dyn_cast_or_null<VarDecl>(Mutex.root());
  if (Global && Global->hasGlobalStorage() && !Global->isStaticLocal() &&
      (!Callee || Global->hasExternalFormalLinkage()))
    return true;
  return mentions(Ex, Mutex.isThisRooted() ? nullptr : Mutex.root());
}

/// Whether \p E may take \p Mutex: a lock of it, or of an element of the
/// same array that a variable indexes (`a[i]` may be `a[0]`).
static bool mayRetake(const model::BodyEffects &Effects, const CFGElement &E,
                      const AccessPath &Mutex) {
  llvm::SmallVector<model::Effect, 2> Found;
  Effects.of(E, Found, model::BodyEffects::Locks);
  std::optional<AccessPath::Step> Ignored;
  const AccessPath Elements = Mutex.anyElement(Ignored);
  return llvm::any_of(Found, [&](const model::Effect &Eff) {
    if (Eff.Asserted ||
        (Eff.K != model::Effect::Acquire && Eff.K != model::Effect::TryAcquire))
      return false;
    if (Eff.Lock.Mutex == Mutex)
      return true;
    std::optional<AccessPath::Step> Index;
    return Eff.Lock.Mutex.anyElement(Index) == Elements && Index &&
           Index->Kind != AccessPath::StepKind::Index;
  });
}

void UnbalancedLockCheck::analyze(const FunctionDecl *Callable,
                                  const LockScan &Scan, ASTContext &Ctx) {
  // The tasks this function starts: their bodies have no caller to hand a
  // lock to.
  for (const model::Task &T : model().tasks().tasksOf(Callable))
    if (T.S.Body && !T.S.runsGraph())
      TaskStarts.try_emplace(T.S.Body->getCanonicalDecl(), T.S.madeAt());

  // A lockable or guard type's own lock()/unlock() forward to the inner mutex
  // by design, and so do functions annotated as acquiring or releasing.
  if (isLockImplementation(Callable))
    return;
  if (Scan.Ops.empty() && !model().lockOrders().mayLock(Callable))
    return;
  const model::BodyCFG *Body = model::getBodyCFG(Callable);
  if (!Body)
    return;
  // What each element does to locks, lock and unlock helpers included.
  const model::BodyEffects Effects(lockModel(), nullptr, &summaries(), Callable,
                                   nullptr);

  // The manual locks, the calls of lock helpers and the releases.
  std::vector<LockStart> Starts;
  std::vector<ReleaseSite> Releases;
  // The recursive mutexes the body locks itself.
  llvm::SmallVector<AccessPath, 1> Reentrant;
  auto WrittenName = [&](const Expr *Site, const AccessPath &Mutex) {
    for (const LockOp &Op : Scan.Ops)
      if (Op.Site == Site)
        return mutexName(Op, Ctx);
    return Mutex.spelling();
  };
  for (const LockOp &Lock : Scan.Ops) {
    if (!isManualLock(Lock, Scan, Ctx) || !Lock.Mutex)
      continue;
    std::optional<model::CFGPoint> Point = Body->pointOf(Lock.Site);
    if (!Point)
      continue;
    LockStart L{Lock.Site, *Lock.Mutex, mutexName(Lock, Ctx), nullptr,
                model::PathStart{*Point, std::nullopt, Lock.Site}};
    if (Lock.K == LockOp::TryAcquire) {
      if (Lock.Function == "std::try_lock")
        continue; // -1 means success: no branch to follow
      L.Start.Successor =
          model::branchWhenCallReturns(*Body, Lock.Site, Lock.SuccessIsNonZero);
      if (!L.Start.Successor)
        continue; // the success path is not a branch we can follow
    } else if (Lock.ReturnsStatus) {
      // `if (pthread_mutex_lock(&m) != 0) return -1;`: the error path
      // holds nothing.
      L.Start.Successor =
          model::branchWhenCallReturns(*Body, Lock.Site, Lock.SuccessIsNonZero);
    }
    Starts.push_back(std::move(L));
  }
  const SourceManager &SM = Ctx.getSourceManager();
  for (const CFGBlock *B : Body->cfg())
    for (const CFGElement &E : *B) {
      llvm::SmallVector<model::Effect, 2> Found;
      Effects.of(E, Found, model::BodyEffects::Locks);
      for (const model::Effect &Eff : Found) {
        if (!Eff.Site)
          continue;
        const auto *Call = dyn_cast<CallExpr>(Eff.Site);
        const FunctionDecl *Helper =
            Eff.Via && Call ? summaries().calleeOf(Call) : nullptr;
        if (Eff.K == model::Effect::Release) {
          Releases.push_back({Eff.Site, Eff.Lock.Mutex,
                              WrittenName(Eff.Site, Eff.Lock.Mutex), Helper});
          continue;
        }
        if (Eff.K == model::Effect::Acquire && !Eff.Adopt && !Eff.Asserted &&
            !llvm::is_contained(Reentrant, Eff.Lock.Mutex) &&
            model::mayBeReentrant(Eff.MutexType, Eff.Lock.Mutex, Ctx))
          Reentrant.push_back(Eff.Lock.Mutex);
        // A lock helper's call: one whose summary leaves the mutex held on
        // every return, and returns nothing that could tell otherwise (a
        // status, the locked object, a guard).
        if (Eff.K != model::Effect::Acquire || !Helper || Eff.Adopt ||
            Eff.Asserted || !Call->getType()->isVoidType())
          continue;
        if (ignoreMacros() &&
            (Call->getBeginLoc().isMacroID() || Call->getEndLoc().isMacroID()))
          continue;
        std::optional<model::CFGPoint> Point = Body->pointOf(Call);
        if (!Point)
          continue;
        Starts.push_back({Call, Eff.Lock.Mutex, Eff.Lock.Mutex.spelling(),
                          Helper,
                          model::PathStart{*Point, std::nullopt, Call}});
      }
    }
  // The calls that end the thread, here or in what they call.
  std::vector<ThreadExit> ExitCalls;
  if (!Starts.empty())
    for (const CFGBlock *B : Body->cfg())
      for (const CFGElement &E : *B)
        if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
          if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
            if (const CallExpr *Exit = threadExitOf(Call))
              ExitCalls.push_back({Call, Exit});
  llvm::sort(Releases, [&](const ReleaseSite &A, const ReleaseSite &B) {
    return SM.isBeforeInTranslationUnit(A.Site->getBeginLoc(),
                                        B.Site->getBeginLoc());
  });

  llvm::StringMap<bool> HeldOnEntry;
  // The mutexes a path from one of their locks was followed out for.
  llvm::StringSet<> Followed;
  for (const LockStart &L : Starts) {
    const AccessPath &Mutex = L.Mutex;
    auto ReleasesMutex = [&](const CFGElement &E) {
      return Effects.releases(E, Mutex);
    };
    checkThreadExits(L, ExitCalls, *Body, Effects);
    // A function that never releases what it locks hands the lock to its
    // caller on purpose (a lock helper, a hand-written guard's constructor),
    // unless it has none: a task's body.
    const llvm::DenseSet<const Stmt *> Reached = model::reachedAvoiding(
        *Body, L.Start, [](const CFGElement &) { return false; });
    const bool ReleasedLater =
        llvm::any_of(Releases, [&](const ReleaseSite &R) {
          return R.Mutex == Mutex && Reached.contains(R.Site);
        });
    // Entered with the mutex held, the function gives it back held: a path
    // from a re-lock to the exit is the contract, not a leak. (One answer
    // per mutex, however many times the function locks it.)
    auto [Held, New] = HeldOnEntry.try_emplace(Mutex.str(), false);
    if (New)
      Held->second = heldOnEntry(Callable, Mutex, Releases, *Body, Effects);
    if (Held->second || !ReleasedLater)
      Followed.insert(Mutex.str());
    if (Held->second)
      continue;
    if (!ReleasedLater) {
      keepLock(L, Callable, *Body, Effects);
      continue;
    }
    const std::optional<model::CFGPoint> Point = Body->pointOf(L.Site);
    const llvm::SmallVector<model::Escape, 2> Escapes =
        model::findEscapes(*Body, L.Start, ReleasesMutex);
    if (!Escapes.empty())
      Followed.insert(Mutex.str());
    // Kept on success only, released on failure: the caller learns from the
    // result that it holds the lock (extstore_write_request's `return 0`).
    // A task's body has no caller: its first such return is kept for the
    // end of the unit, which reports it if the function is one.
    if (handsLockWithResult(Callable, Escapes)) {
      std::optional<KeptLock> First;
      for (const model::Escape &Esc : Escapes) {
        const SourceLocation Out = Esc.Jump->getBeginLoc();
        if (First && !SM.isBeforeInTranslationUnit(Out, First->Out))
          continue;
        First = KeptLock{Callable,
                         Out,
                         /*IsReturn=*/true,
                         L.Site->getBeginLoc(),
                         L.Name,
                         L.Helper ? nameOf(L.Helper) : std::string(),
                         /*Recursive=*/false,
                         {}};
      }
      if (First)
        Kept.push_back(std::move(*First));
      continue;
    }
    for (const model::Escape &Esc : Escapes) {
      if (Esc.Jump) {
        SourceLocation JumpLoc = Esc.Jump->getBeginLoc();
        if (!firstReport(JumpLoc, "leaves:" + Mutex.str()))
          continue;
        diag(JumpLoc, "'%0' leaves mutex '%1' locked")
            << model::jumpKeyword(Esc.Jump) << L.Name;
        reportNote(L);
        continue;
      }
      // Falling off the end: only when the lock runs on every path to that
      // end, so that correlated conditions (if (a) lock ... if (a) unlock)
      // are not mistaken for a leak.
      if (!Esc.LastBlock || !Point ||
          !Body->dominates(Point->Block, Esc.LastBlock))
        continue;
      const auto *BodyStmt =
          dyn_cast_or_null<CompoundStmt>(Callable->getBody());
      if (!BodyStmt)
        continue;
      SourceLocation End = BodyStmt->getRBracLoc();
      if (!firstReport(End, "end:" + Mutex.str()))
        continue;
      diag(End, "mutex '%0' may still be locked at the end of the function")
          << L.Name;
      reportNote(L);
      noteVia(*this, Esc.Via);
    }
  }

  // A recursive mutex whose every lock is released later on its own path
  // may still be held at the end: locked twice, released once.
  llvm::SmallVector<AccessPath, 1> Unfollowed;
  for (const AccessPath &M : Reentrant)
    if (!Followed.contains(M.str()))
      Unfollowed.push_back(M);
  if (!Unfollowed.empty())
    keepRecursive(Callable, *Body, Unfollowed, Starts, Releases);

  // An unlock on a path that already unlocked the same mutex and did not
  // take it again (nor called a function that may, unseen). Only for a
  // mutex the function names the same way throughout (not `cur->mu` of a
  // hand-over-hand walk).
  // Not for a recursive mutex: a path from one unlock to another may pass
  // no lock and still hold it, taken twice before.
  for (const ReleaseSite &First : Releases) {
    if (!model::AccessModel::namesOneObject(Callable, First.Mutex) ||
        llvm::is_contained(Reentrant, First.Mutex))
      continue;
    std::optional<model::CFGPoint> Point = Body->pointOf(First.Site);
    if (!Point)
      continue;
    const llvm::DenseSet<const Stmt *> Reached = model::reachedAvoiding(
        *Body, model::PathStart{*Point, std::nullopt, First.Site},
        [&](const CFGElement &E) {
          return mayRetake(Effects, E, First.Mutex) ||
                 mayLockUnseen(E, First.Mutex, summaries(), SM);
        });
    for (const ReleaseSite &Second : Releases) {
      if (Second.Mutex != First.Mutex || !Reached.contains(Second.Site))
        continue;
      const SourceLocation Loc = Second.Site->getBeginLoc();
      if (ignoreMacros() &&
          (Loc.isMacroID() || Second.Site->getEndLoc().isMacroID()))
        continue;
      if (!firstReport(Loc, "unlock-again:" + First.Mutex.str()))
        continue;
      if (Second.Helper)
        diag(Loc, "call to '%0' unlocks mutex '%1', which this path already "
                  "unlocked: unlocking a mutex that is not held is undefined "
                  "behaviour")
            << nameOf(Second.Helper) << Second.Name;
      else
        diag(Loc, "mutex '%0' unlocked again on a path that already unlocked "
                  "it: unlocking a mutex that is not held is undefined "
                  "behaviour")
            << Second.Name;
      if (First.Site == Second.Site)
        diag(Loc, "'%0' unlocked here first, on an earlier run of the loop",
             DiagnosticIDs::Note)
            << First.Name;
      else if (First.Helper)
        diag(First.Site->getBeginLoc(),
             "'%0' unlocked here first, by the call to '%1'",
             DiagnosticIDs::Note)
            << First.Name << nameOf(First.Helper);
      else
        diag(First.Site->getBeginLoc(), "'%0' unlocked here first",
             DiagnosticIDs::Note)
            << First.Name;
    }
  }
}

void UnbalancedLockCheck::onEndOfTranslationUnit() {
  for (const KeptLock &K : Kept) {
    auto It = TaskStarts.find(K.Function->getCanonicalDecl());
    if (It == TaskStarts.end())
      continue;
    if (!firstReport(K.Out, "task-ends:" + K.Mutex))
      continue;
    if (K.Recursive) {
      diag(K.Out, "%select{the task ends|'return' ends the task}0 with "
                  "recursive mutex '%1' locked more often than unlocked: no "
                  "other thread can unlock it")
          << K.IsReturn << K.Mutex;
      for (const auto &[Loc, IsLock] : K.Sites)
        diag(Loc, "'%0' %select{unlocked|locked}1 here", DiagnosticIDs::Note)
            << K.Mutex << IsLock;
      diag(It->second->getBeginLoc(), "task started here", DiagnosticIDs::Note);
      continue;
    }
    if (K.IsReturn)
      diag(K.Out, "'return' ends the task with mutex '%0' still locked: no "
                  "other thread can unlock it")
          << K.Mutex;
    else
      diag(K.Out, "the task ends with mutex '%0' still locked: no other "
                  "thread can unlock it")
          << K.Mutex;
    if (K.Helper.empty())
      diag(K.Locked, "'%0' locked here", DiagnosticIDs::Note) << K.Mutex;
    else
      diag(K.Locked, "'%0' locked here, by the call to '%1'",
           DiagnosticIDs::Note)
          << K.Mutex << K.Helper;
    diag(It->second->getBeginLoc(), "task started here", DiagnosticIDs::Note);
  }
  Kept.clear();
  TaskStarts.clear();
  Exits.clear();
}

} // namespace concheck
