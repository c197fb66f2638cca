//===--- Summary.cpp - What a function does, for its callers --------------===//

#include "Summary.h"
#include "BodyCFG.h"
#include "PathQuery.h"
#include "TaskModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/GraphTraits.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/ScopeExit.h"

using namespace clang;

namespace concheck::model {

/// A function in the call graph that summaries are computed over: the part
/// of the translation unit's call graph that the requested functions reach,
/// built as it is walked.
struct SummaryModel::Node {
  const FunctionDecl *FD = nullptr;
  SummaryModel *Owner = nullptr;
  bool Expanded = false;
  llvm::SmallVector<Node *, 4> Callees;
};

} // namespace concheck::model

namespace llvm {
template <> struct GraphTraits<concheck::model::SummaryModel::Node *> {
  using NodeRef = concheck::model::SummaryModel::Node *;
  using ChildIteratorType = NodeRef const *;
  static NodeRef getEntryNode(NodeRef N) { return N; }
  static ChildIteratorType child_begin(NodeRef N) {
    return N->Owner->calleesOf(N).begin();
  }
  static ChildIteratorType child_end(NodeRef N) {
    return N->Owner->calleesOf(N).end();
  }
};
} // namespace llvm

namespace concheck::model {

SummaryModel::SummaryModel(const SpawnModel &Spawns, const LockModel &Locks,
                           const AccessModel &Accesses,
                           const WaitGroupModel &Groups)
    : Spawns(Spawns), Locks(Locks), Accesses(Accesses), Groups(Groups) {}

/// The direct calls of the functions of the main file, each with the
/// function (or lambda) it is made in, and the functions used otherwise: their
/// address taken, or named outside any function body.
struct SummaryModel::CallSites : RecursiveASTVisitor<SummaryModel::CallSites> {
  struct Site {
    const CallExpr *Call;
    const FunctionDecl *In;
  };
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<Site, 2>> Calls;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Escapes;

  explicit CallSites(ASTContext &Ctx) {
    const SourceManager &SM = Ctx.getSourceManager();
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
        TraverseDecl(D);
  }

  bool TraverseDecl(Decl *D) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return RecursiveASTVisitor::TraverseDecl(D);
    Within.push_back(FD);
    bool Go = RecursiveASTVisitor::TraverseDecl(D);
    Within.pop_back();
    return Go;
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Within.push_back(L->getCallOperator());
    bool Go = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Within.pop_back();
    return Go;
  }
  // Visited before its callee's DeclRefExpr (pre-order).
  bool VisitCallExpr(CallExpr *Call) {
    const auto *Ref =
        dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
    const auto *FD = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
    if (!FD)
      return true;
    if (Within.empty())
      Escapes.insert(FD->getCanonicalDecl());
    else
      Calls[FD->getCanonicalDecl()].push_back({Call, Within.back()});
    Callees.insert(Ref);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl()))
      if (!Callees.contains(Ref))
        Escapes.insert(FD->getCanonicalDecl());
    return true;
  }

private:
  llvm::SmallVector<const FunctionDecl *, 4> Within;
  llvm::SmallPtrSet<const DeclRefExpr *, 32> Callees;
};

SummaryModel::~SummaryModel() = default;

llvm::ArrayRef<HeldLock>
SummaryModel::lockedByEveryCaller(const FunctionDecl *FD) {
  if (!FD || isa<CXXMethodDecl>(FD) || FD->isExternallyVisible() ||
      FD->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
      !FD->isThisDeclarationADefinition())
    return {};
  ASTContext &Ctx = FD->getASTContext();
  const SourceManager &SM = Ctx.getSourceManager();
  if (!SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
    return {};
  const FunctionDecl *Key = FD->getCanonicalDecl();
  if (auto It = CallerLocks.find(Key); It != CallerLocks.end())
    return It->second;
  llvm::SmallVector<HeldLock, 1> &Out = CallerLocks[Key];
  if (!Sites)
    Sites = std::make_unique<CallSites>(Ctx);
  auto Found = Sites->Calls.find(Key);
  if (Sites->Escapes.contains(Key) || Found == Sites->Calls.end())
    return {};
  std::optional<LockSet> Every;
  // One analysis per calling function, made without summaries: a caller's
  // analysis never asks for another function's callers (no recursion).
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<LockSetAnalysis>>
      Callers;
  for (const CallSites::Site &S : Found->second) {
    if (S.In == FD)
      return {}; // recursion: its own calls hold what it holds
    const BodyCFG *Body = getBodyCFG(S.In);
    if (!Body)
      return {};
    std::unique_ptr<LockSetAnalysis> &LS = Callers[S.In];
    if (!LS)
      LS = std::make_unique<LockSetAnalysis>(*Body, Locks);
    std::optional<LockSet> Held = LS->heldAt(S.Call);
    if (!Held)
      continue; // never reached
    Bindings B = bindingsAt(S.Call, FD, S.In, nullptr);
    LockSet Here;
    for (const HeldLock &L : Held->locks())
      if (std::optional<AccessPath> M = L.Mutex.inCallee(FD, B))
        Here.add({std::move(*M), L.Shared});
    if (Every)
      Every->intersect(Here);
    else
      Every = std::move(Here);
    if (Every->empty())
      return {};
  }
  if (Every)
    Out.assign(Every->locks().begin(), Every->locks().end());
  return CallerLocks[Key];
}

static LockSet mapLocks(const LockSet &S, const Bindings &B,
                        const FunctionDecl *Callee);

/// The definition of \p FD that a summary can stand for: defined in this
/// translation unit, outside system headers, not a template pattern.
static const FunctionDecl *summarizable(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def->isDependentContext())
    return nullptr;
  if (Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return nullptr;
  return Def;
}

const FunctionDecl *SummaryModel::calleeOf(const CallExpr *Call) {
  auto [It, New] = Callees.try_emplace(Call, nullptr);
  if (!New)
    return It->second;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return nullptr; // a function pointer: the code does not show the target
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->isVirtual()) {
    // A virtual call runs the declared function only when the call fixes it:
    // a qualified call, a final method or class, an object (not a pointer or
    // reference) whose dynamic type is its static type.
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
    const auto *ME =
        MCE ? dyn_cast<MemberExpr>(MCE->getCallee()->IgnoreParens()) : nullptr;
    if (!ME)
      return nullptr;
    if (!ME->hasQualifier()) {
      FD = MD->getDevirtualizedMethod(ME->getBase(), /*IsAppleKext=*/false);
      if (!FD)
        return nullptr;
    }
  }
  const FunctionDecl *Def = summarizable(FD);
  if (!Def || isa<CXXConstructorDecl, CXXDestructorDecl>(Def))
    return nullptr;
  ASTContext &Ctx = Def->getASTContext();
  // Lock operations and spawns are the lock and spawn models' business.
  if (!Locks.classify(Call).empty() || Spawns.classify(Call, Ctx))
    return nullptr;
  Callees[Call] = Def;
  return Def;
}

/// Whether \p D is declared inside function \p FD (a local or a parameter
/// of FD, or of a block or lambda nested in it).
static bool isDeclaredIn(const Decl *D, const FunctionDecl *FD) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (DC == FD)
      return true;
  return false;
}

/// The lambda whose call operator \p FD is, if it is one.
static const CXXRecordDecl *lambdaOf(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda() ? MD->getParent() : nullptr;
}

Bindings SummaryModel::bindingsAt(const CallExpr *Call,
                                  const FunctionDecl *Callee,
                                  const FunctionDecl *CallerFD,
                                  const Bindings *Caller) {
  static const Bindings None;
  const Bindings &CallerB = Caller ? *Caller : None;
  // The 'this' of a lambda made in the caller, in the caller's terms: what
  // the caller's own bindings say (a task's capture of the spawner's
  // object), or its own 'this'.
  const AccessPath CallerThis =
      CallerB.thisObject() ? *CallerB.thisObject() : AccessPath();
  const CXXRecordDecl *Lambda = lambdaOf(Callee);
  if (!Lambda) {
    Bindings Out = bindCall(Call, Callee, CallerB);
    // A lambda the caller made and handed to the callee (`with([this] {
    // ... })`) captured the caller's 'this'.
    if (CallerFD)
      Out.bindMaker(CallerFD, CallerThis);
    return Out;
  }
  // A lambda's call operator: its parameters as in any call; 'this' and the
  // variables it captures by reference are those of the function that made
  // the lambda. In the caller's terms they are what the caller's own
  // bindings say, or themselves.
  Bindings Out = bindArguments(Callee, nullptr, operandsOf(Call, Callee).Args,
                               Caller, Passing::Call);
  if (CallerFD)
    Out.bindMaker(CallerFD, CallerThis);
  for (const LambdaCapture &C : Lambda->captures()) {
    if (C.capturesThis()) {
      if (Lambda->getDeclContext() == CallerFD)
        Out.bindThis(CallerThis);
      else if (!CallerFD) {
        if (const AccessPath *Object = CallerB.thisObject())
          Out.bindThis(*Object);
      } else if (std::optional<AccessPath> This =
                     AccessPath::capturedThis(Lambda)) {
        // Made elsewhere and handed to the caller: its maker's 'this', which
        // the maker's call of the caller names again.
        Out.bindThis(*This);
      }
      continue;
    }
    if (!C.capturesVariable())
      continue;
    const ValueDecl *V = C.getCapturedVar();
    if (const AccessPath *Target = CallerB.referent(V))
      Out.bindReference(V, *Target);
    if (const AccessPath *Pointee = CallerB.pointee(V))
      Out.bindPointer(V, *Pointee);
  }
  return Out;
}

/// Whether \p Loc, a location \p FD accesses, can be named by FD's callers:
/// rooted at 'this' (for a lambda: its maker's), a global, a reference
/// parameter or what a pointer parameter points to, or a variable of
/// another function that a lambda captured by reference. FD's own locals,
/// by-value parameters and a lambda's copies are its own.
static bool callerCanName(const FunctionDecl *FD, const AccessPath &Loc) {
  const ValueDecl *Root = Loc.root();
  if (!Root)
    return isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic();
  // The 'this' a lambda handed to FD captured: its maker's.
  if (Loc.capturedThisOf())
    return true;
  const auto *VD = dyn_cast<VarDecl>(Root);
  if (!VD)
    return false;
  if (VD->hasGlobalStorage() && !VD->isStaticLocal())
    return true;
  if (VD->isStaticLocal())
    return true; // one object for every call
  bool Derefs = !Loc.steps().empty() &&
                Loc.steps().front().Kind == AccessPath::StepKind::Deref;
  if (const auto *P = dyn_cast<ParmVarDecl>(VD); P && isDeclaredIn(P, FD))
    return P->getType()->isReferenceType() ||
           (P->getType()->isPointerType() && Derefs);
  if (isDeclaredIn(VD, FD))
    return false;
  if (const CXXRecordDecl *Lambda = lambdaOf(FD))
    for (const LambdaCapture &C : Lambda->captures())
      if (C.capturesVariable() && C.getCapturedVar() == VD)
        return C.getCaptureKind() == LCK_ByRef || Derefs;
  return true;
}

/// The path of \p Loc in a caller whose call binds \p B to \p Callee's
/// parameters: none when the caller cannot name it, or it grew too long.
static std::optional<AccessPath>
mapPath(const AccessPath &Loc, const Bindings &B, const FunctionDecl *Callee) {
  std::optional<AccessPath> Out = Loc.substitute(B);
  if (!Out) {
    // A variable of another function, captured by reference by a lambda
    // that the callee calls, stays itself until the caller is that function.
    const auto *VD = dyn_cast_or_null<VarDecl>(Loc.root());
    if (!VD || !VD->hasLocalStorage() || isDeclaredIn(VD, Callee))
      return std::nullopt;
    Out = Loc;
  }
  if (Out->steps().size() > SummaryModel::MaxPathSteps)
    return std::nullopt;
  return Out;
}

std::optional<AccessPath>
SummaryModel::mapToCaller(const AccessPath &Loc, const Bindings &B,
                          const FunctionDecl *Callee) {
  return mapPath(Loc, B, Callee);
}

/// The variable (or constant) a callee's index parameter \p IndexDecl
/// receives at \p Call.
static void mapIndex(Access &A, const CallExpr *Call,
                     const FunctionDecl *Callee,
                     llvm::ArrayRef<const ValueDecl *> PerRun) {
  const ValueDecl *D = A.IndexDecl;
  const bool Computed = A.IndexExpr != nullptr;
  A.IndexDecl = nullptr;
  A.IndexExpr = nullptr;
  A.PerRunSlot = false;
  const auto *P = dyn_cast_or_null<ParmVarDecl>(D);
  if (Computed || !P || P->getDeclContext() != Callee)
    return;
  CallOperands Ops = operandsOf(Call, Callee);
  unsigned I = P->getFunctionScopeIndex();
  if (I >= Ops.Args.size())
    return;
  const Expr *Arg = Ops.Args[I]->IgnoreParenImpCasts();
  if (const auto *IL = dyn_cast<IntegerLiteral>(Arg)) {
    A.ConstIndex = IL->getValue().getSExtValue();
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg)) {
    A.IndexDecl = DRE->getDecl();
    A.PerRunSlot = llvm::is_contained(PerRun, A.IndexDecl);
  }
}

/// A set of lock-set entries mapped into a caller's terms: the ones that
/// cannot be named there are dropped (a lock the caller cannot see orders
/// nothing it can).
static LockSet mapLocks(const LockSet &S, const Bindings &B,
                        const FunctionDecl *Callee) {
  LockSet Out;
  for (const HeldLock &L : S.locks())
    if (std::optional<AccessPath> M = mapPath(L.Mutex, B, Callee))
      Out.add({*M, L.Shared});
  return Out;
}

const FunctionDecl *SummaryModel::constructorOf(const CXXConstructExpr *CE) {
  auto [It, New] = Callees.try_emplace(CE, nullptr);
  if (!New)
    return It->second;
  const FunctionDecl *Def = summarizable(CE->getConstructor());
  if (!Def || !Locks.classify(CE).empty())
    return nullptr;
  Callees[CE] = Def;
  return Def;
}

bool SummaryModel::constructorEffectOf(
    const CXXConstructExpr *CE, const Bindings *B,
    llvm::SmallVectorImpl<HeldLock> &Acquired) {
  const FunctionDecl *Ctor = constructorOf(CE);
  const FunctionSummary *S = Ctor ? summaryOf(Ctor) : nullptr;
  if (!S || S->HeldOnReturn.empty())
    return false;
  llvm::SmallVector<const Expr *, 4> Args(CE->arg_begin(), CE->arg_end());
  // The object under construction is new: locks on its own members are its
  // own, and only what it was handed can be named.
  Bindings CB = bindArguments(Ctor, nullptr, Args, B, Passing::Call);
  const LockSet CtorHeld = mapLocks(S->HeldOnReturn, CB, Ctor);
  for (const HeldLock &L : CtorHeld.locks())
    Acquired.push_back(L);
  return !Acquired.empty();
}

std::vector<LocatedAccess>
SummaryModel::accessesOf(const FunctionDecl *Body, const Bindings *B,
                         llvm::ArrayRef<const ValueDecl *> PerRun,
                         const LockSetAnalysis &LockSets, bool ForSummary) {
  std::vector<LocatedAccess> Out;
  const BodyCFG *Cfg = getBodyCFG(Body);
  // The calls with a summary, and what they are handed by reference (an
  // argument bound to a reference parameter, the object of a member call):
  // handing it over touches nothing; the callee's summary says what does.
  llvm::SmallVector<std::pair<const CallExpr *, const FunctionDecl *>, 8> Calls;
  llvm::SmallPtrSet<const Expr *, 8> Handed;
  if (Cfg)
    for (const CFGBlock *Blk : Cfg->cfg()) {
      if (!Blk)
        continue;
      for (const CFGElement &E : *Blk) {
        std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
        const auto *Call = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
        const FunctionDecl *Callee = Call ? calleeOf(Call) : nullptr;
        if (!Callee || !summaryOf(Callee))
          continue;
        Calls.push_back({Call, Callee});
        CallOperands Ops = operandsOf(Call, Callee);
        if (Ops.Object)
          Handed.insert(Ops.Object->IgnoreParenImpCasts());
        for (unsigned I = 0; I < Ops.Args.size(); ++I)
          if (I < Callee->getNumParams() &&
              Callee->getParamDecl(I)->getType()->isReferenceType())
            Handed.insert(Ops.Args[I]->IgnoreParenImpCasts());
      }
    }

  // What the body's tests say of mode flags at each point: a callee's access
  // that needs a flag value the call site rules out is not reached.
  std::optional<FlagFacts> Flags;
  if (Cfg)
    Flags.emplace(*Cfg, this);

  for (Access &A : Accesses.collect(Body, B, PerRun)) {
    if (Handed.count(A.E->IgnoreParenImpCasts()))
      continue;
    if (Flags && Flags->infeasible(A.Anchor))
      continue;
    LocatedAccess LA;
    if (Flags)
      LA.Requires = Flags->onEntryAt(A.Anchor);
    if (std::optional<std::pair<LockSet, LockSet>> L =
            LockSets.locksAt(A.Anchor)) {
      LA.Held = std::move(L->first);
      LA.Released = std::move(L->second);
    }
    LA.InnerBody = Body;
    LA.InnerAnchor = A.Anchor;
    LA.A = std::move(A);
    Out.push_back(std::move(LA));
  }

  for (const auto &[Call, Callee] : Calls) {
    const FunctionSummary *S = summaryOf(Callee);
    if (!S || S->Accesses.empty())
      continue;
    std::optional<std::pair<LockSet, LockSet>> AtCall = LockSets.locksAt(Call);
    if (!AtCall || Flags->infeasible(Call))
      continue; // unreachable
    Bindings CB = bindingsAt(Call, Callee, Body, B);
    for (const FunctionSummary::Entry &SE : S->Accesses) {
      // Needs a mode this call is not made in, or a parameter value it
      // does not pass: not reached from here.
      std::optional<FlagTests> Requires =
          Flags->requiredAt(Call, Callee, SE.Requires);
      if (!Requires)
        continue;
      std::optional<AccessPath> Loc = mapPath(SE.A.Location, CB, Callee);
      // The members of a lambda's maker, when the lambda was handed to this
      // body by someone else: named only on the way up to its maker.
      if (!Loc || (!ForSummary && Loc->capturedThisOf()))
        continue;
      LocatedAccess LA;
      LA.A = SE.A;
      LA.A.Location = std::move(*Loc);
      LA.A.Anchor = Call;
      mapIndex(LA.A, Call, Callee, PerRun);
      // The caller's locks at the call, less those the callee released
      // before the access, plus those it took; a release of a lock the
      // caller did not hold is one the caller's own callers may hold.
      LockSet Held = AtCall->first;
      LA.Released = AtCall->second;
      const LockSet CalleeReleased = mapLocks(SE.Released, CB, Callee);
      for (const HeldLock &R : CalleeReleased.locks()) {
        if (!Held.holds(R.Mutex))
          LA.Released.add(R);
        Held.remove(R.Mutex);
      }
      const LockSet CalleeHeld = mapLocks(SE.Held, CB, Callee);
      for (const HeldLock &L : CalleeHeld.locks()) {
        Held.add(L);
        LA.Released.remove(L.Mutex);
      }
      LA.Held = std::move(Held);
      LA.Chain.push_back(Call);
      LA.Chain.append(SE.Chain.begin(), SE.Chain.end());
      LA.InnerBody = SE.InnerBody;
      LA.InnerAnchor = SE.InnerAnchor;
      LA.Requires = std::move(*Requires);
      Out.push_back(std::move(LA));
    }
  }
  return Out;
}

bool SummaryModel::lockEffectOf(const CallExpr *Call, const Bindings *B,
                                llvm::SmallVectorImpl<AccessPath> &Released,
                                llvm::SmallVectorImpl<HeldLock> &Acquired) {
  const FunctionDecl *Callee = calleeOf(Call);
  const FunctionSummary *S = Callee ? summaryOf(Callee) : nullptr;
  if (!S || (S->HeldOnReturn.empty() && S->ReleasedUnheld.empty()))
    return false;
  Bindings CB = bindingsAt(Call, Callee, nullptr, B);
  const LockSet ReleasedThere = mapLocks(S->ReleasedUnheld, CB, Callee);
  for (const HeldLock &L : ReleasedThere.locks())
    Released.push_back(L.Mutex);
  const LockSet HeldThere = mapLocks(S->HeldOnReturn, CB, Callee);
  for (const HeldLock &L : HeldThere.locks())
    Acquired.push_back(L);
  return true;
}

std::optional<HeldLock> SummaryModel::returnedGuardOf(const CallExpr *Call,
                                                      const Bindings *B) {
  const FunctionDecl *Callee = calleeOf(Call);
  if (!Callee || !Locks.isGuardType(Callee->getReturnType()))
    return std::nullopt;
  const FunctionSummary *S = summaryOf(Callee);
  if (!S || !S->ReturnedGuard)
    return std::nullopt;
  std::optional<AccessPath> M = mapPath(
      S->ReturnedGuard->Mutex, bindingsAt(Call, Callee, nullptr, B), Callee);
  if (!M)
    return std::nullopt;
  return HeldLock{*M, S->ReturnedGuard->Shared};
}

namespace {
/// The calls in a body (not in the bodies of lambdas it makes: those are
/// functions of their own, called where they are called).
struct CallFinder : RecursiveASTVisitor<CallFinder> {
  llvm::SmallVector<const CallExpr *, 8> Calls;
  llvm::SmallVector<const CXXConstructExpr *, 4> Constructions;
  llvm::SmallVector<const ReturnStmt *, 2> Returns;
  bool VisitCallExpr(CallExpr *C) {
    Calls.push_back(C);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    Constructions.push_back(C);
    return true;
  }
  bool VisitReturnStmt(ReturnStmt *R) {
    Returns.push_back(R);
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
};
} // namespace

SummaryModel::Node *SummaryModel::nodeFor(const FunctionDecl *FD) {
  std::unique_ptr<Node> &N = Nodes[FD];
  if (!N) {
    N = std::make_unique<Node>();
    N->FD = FD;
    N->Owner = this;
  }
  return N.get();
}

llvm::ArrayRef<SummaryModel::Node *> SummaryModel::calleesOf(Node *N) {
  // A function already summarized is a leaf of the walk.
  auto It = Slots.find(N->FD);
  if (It != Slots.end())
    return {};
  if (!N->Expanded) {
    N->Expanded = true;
    CallFinder F;
    F.TraverseStmt(N->FD->getBody());
    // A constructor's member initializers run its members' constructors.
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(N->FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->isWritten() || Init->isMemberInitializer())
          F.TraverseStmt(Init->getInit());
    llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
    auto Add = [&](const FunctionDecl *Callee) {
      if (Callee && Seen.insert(Callee).second)
        N->Callees.push_back(nodeFor(Callee));
    };
    for (const CallExpr *C : F.Calls)
      Add(calleeOf(C));
    for (const CXXConstructExpr *C : F.Constructions)
      Add(constructorOf(C));
  }
  return N->Callees;
}

const FunctionSummary *SummaryModel::summaryOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (const FunctionDecl *Def = FD->getDefinition())
    FD = Def;
  auto It = Slots.find(FD);
  if (It == Slots.end()) {
    if (Walking)
      return nullptr;
    computeBottomUp(FD);
    It = Slots.find(FD);
  }
  // In progress: the current approximation of a function on a cycle.
  return It == Slots.end() ? nullptr : It->second.Summary.get();
}

static bool sameSummary(const FunctionSummary *A, const FunctionSummary *B) {
  if (!A || !B)
    return A == B;
  auto SameGuard = [](const std::optional<HeldLock> &X,
                      const std::optional<HeldLock> &Y) {
    return X.has_value() == Y.has_value() && (!X || *X == *Y);
  };
  return A->Accesses.size() == B->Accesses.size() &&
         llvm::all_of(llvm::zip(A->Accesses, B->Accesses),
                      [](const auto &P) {
                        return std::get<0>(P).Requires ==
                               std::get<1>(P).Requires;
                      }) &&
         A->GroupOps.size() == B->GroupOps.size() &&
         A->HeldOnReturn == B->HeldOnReturn &&
         A->ReleasedUnheld == B->ReleasedUnheld &&
         SameGuard(A->ReturnedGuard, B->ReturnedGuard);
}

void SummaryModel::computeBottomUp(const FunctionDecl *Root) {
  // Callees before callers, one strongly connected component at a time
  // (Tarjan's algorithm, as LLVM's scc_iterator runs it).
  Walking = true;
  auto Done = llvm::make_scope_exit([&] { Walking = false; });
  for (auto I = llvm::scc_begin(nodeFor(Root)); !I.isAtEnd(); ++I) {
    const std::vector<Node *> &SCC = *I;
    llvm::SmallVector<const FunctionDecl *, 4> Members;
    for (Node *N : SCC)
      if (!Slots.count(N->FD))
        Members.push_back(N->FD);
    if (Members.empty())
      continue;
    // Start every member of a cycle from nothing, then recompute until no
    // summary changes (accesses only grow, and paths are bounded).
    for (const FunctionDecl *FD : Members)
      Slots.try_emplace(FD);
    const bool Cycle = I.hasCycle();
    unsigned Round = 0;
    bool Changed = true;
    while (Changed) {
      Changed = false;
      for (const FunctionDecl *FD : Members) {
        std::unique_ptr<FunctionSummary> S = compute(FD);
        Slot &Sl = Slots[FD];
        if (!sameSummary(S.get(), Sl.Summary.get()))
          Changed = true;
        Sl.Summary = std::move(S);
      }
      if (!Cycle)
        break;
      if (++Round == MaxCycleRounds && Changed) {
        for (const FunctionDecl *FD : Members)
          if (FunctionSummary *S = Slots[FD].Summary.get())
            S->Truncated = true;
        break;
      }
    }
  }
}

namespace {
/// Keeps a summary's entries unique (one per location, kind and locks) and
/// within MaxAccesses.
class EntrySet {
public:
  explicit EntrySet(FunctionSummary &S) : S(S) {}
  void add(FunctionSummary::Entry E) {
    size_t H = llvm::hash_combine(
        hash_value(E.A.Location), E.A.Write, E.A.Element, E.A.ShapeOnly,
        E.A.ConstIndex.value_or(-1), E.A.IndexDecl, E.Held.locks().size(),
        E.Released.locks().size());
    for (unsigned I : Buckets[H]) {
      const FunctionSummary::Entry &O = S.Accesses[I];
      if (O.A.Location == E.A.Location && O.A.Write == E.A.Write &&
          O.A.Element == E.A.Element && O.A.ShapeOnly == E.A.ShapeOnly &&
          O.A.ConstIndex == E.A.ConstIndex && O.A.IndexDecl == E.A.IndexDecl &&
          O.Held == E.Held && O.Released == E.Released) {
        // Reached two ways: only what both need is needed.
        S.Accesses[I].Requires = commonTests(O.Requires, E.Requires);
        return;
      }
    }
    if (S.Accesses.size() >= SummaryModel::MaxAccesses) {
      S.Truncated = true;
      return;
    }
    Buckets[H].push_back(S.Accesses.size());
    S.Accesses.push_back(std::move(E));
  }

private:
  FunctionSummary &S;
  llvm::DenseMap<size_t, llvm::SmallVector<unsigned, 1>> Buckets;
};
} // namespace

/// \p Held, with each lock reached through a member that constructor
/// \p Ctor initializes from one of its parameters (a reference member from a
/// reference, a pointer member from a pointer or an address) named through
/// that parameter instead.
static LockSet throughKeptMembers(const CXXConstructorDecl *Ctor,
                                  const LockSet &Held) {
  llvm::DenseMap<const FieldDecl *, AccessPath> Kept; // member -> pointee
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    const FieldDecl *F = Init->getMember();
    if (!F || !Init->getInit())
      continue;
    const Expr *E = Init->getInit()->IgnoreParenImpCasts();
    bool AddressOf = false;
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf) {
      E = UO->getSubExpr()->IgnoreParenImpCasts();
      AddressOf = true;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!P || P->getDeclContext() != Ctor)
      continue;
    QualType FT = F->getType(), PT = P->getType();
    if (FT->isReferenceType() && PT->isReferenceType() && !AddressOf)
      Kept.try_emplace(F, AccessPath::ofDecl(P));
    else if (FT->isPointerType() && AddressOf && PT->isReferenceType())
      Kept.try_emplace(F, AccessPath::ofDecl(P));
  }
  if (Kept.empty())
    return Held;
  LockSet Out;
  for (const HeldLock &L : Held.locks()) {
    llvm::ArrayRef<AccessPath::Step> Steps = L.Mutex.steps();
    if (L.Mutex.isThisRooted() && !Steps.empty() &&
        Steps.front().Kind == AccessPath::StepKind::Field) {
      auto It = Kept.find(dyn_cast<FieldDecl>(Steps.front().Decl));
      if (It != Kept.end()) {
        // s_ (a reference) names the object itself; p_ (a pointer) is
        // followed by the step that dereferences it.
        size_t Skip = 1;
        if (Steps.size() > 1 && Steps[1].Kind == AccessPath::StepKind::Deref &&
            cast<FieldDecl>(Steps.front().Decl)->getType()->isPointerType())
          Skip = 2;
        Out.add({L.Mutex.rebase(It->second, Skip), L.Shared});
        continue;
      }
    }
    Out.add(L);
  }
  return Out;
}

std::unique_ptr<FunctionSummary> SummaryModel::compute(const FunctionDecl *FD) {
  const BodyCFG *Cfg = getBodyCFG(FD);
  if (!Cfg)
    return nullptr;
  ++Computed;
  auto S = std::make_unique<FunctionSummary>();
  const Bindings Locals = SpawnModel::localPointerBindings(FD);
  LockSetAnalysis LockSets(*Cfg, Locks, &Locals, this);
  if (LockSets.truncated())
    S->Truncated = true;

  // The accesses callers can name, own ones first (shortest chains).
  std::vector<LocatedAccess> Found =
      accessesOf(FD, &Locals, {}, LockSets, /*ForSummary=*/true);
  std::vector<unsigned> Order(Found.size());
  for (unsigned I = 0; I < Order.size(); ++I)
    Order[I] = I;
  llvm::sort(Order, [&](unsigned A, unsigned B) {
    return std::make_pair(Found[A].Chain.size(), A) <
           std::make_pair(Found[B].Chain.size(), B);
  });
  EntrySet Entries(*S);
  for (unsigned I : Order) {
    LocatedAccess &LA = Found[I];
    if (!LA.Held || !callerCanName(FD, LA.A.Location))
      continue;
    FunctionSummary::Entry E;
    E.Held = std::move(*LA.Held);
    E.Released = std::move(LA.Released);
    E.A = std::move(LA.A);
    E.Chain = std::move(LA.Chain);
    E.InnerBody = LA.InnerBody;
    E.InnerAnchor = LA.InnerAnchor;
    E.Requires = std::move(LA.Requires);
    Entries.add(std::move(E));
  }

  // Its wait-group operations, its own and its callees', on groups its
  // callers can name (a group it makes itself is a new one in every call).
  auto AddGroupEffect = [&](FunctionSummary::GroupEffect E) {
    if (!callerCanName(FD, E.Group))
      return;
    for (const FunctionSummary::GroupEffect &O : S->GroupOps)
      if (O.K == E.K && O.Group == E.Group && O.Op == E.Op &&
          O.AfterDone == E.AfterDone &&
          (O.Chain.empty() ? nullptr : O.Chain.front()) ==
              (E.Chain.empty() ? nullptr : E.Chain.front()))
        return;
    if (S->GroupOps.size() >= MaxAccesses) {
      S->Truncated = true;
      return;
    }
    S->GroupOps.push_back(std::move(E));
  };
  {
    llvm::SmallVector<GroupOp, 4> Ops;
    llvm::SmallVector<DoneGuard, 1> Guards;
    scanGroupCalls(Spawns, Groups, FD, Locals, Ops, Guards);
    CallGroupEffects CallEffects = callGroupEffects(FD, &Locals);
    // A done on G: a done call, a done guard's end of scope, a call whose
    // summary counts G down.
    const BodyEffects Effects(Locks, &Groups, this, FD, &Locals, Guards);
    auto IsDoneOn = [&](const AccessPath &G) {
      return [&, G](const CFGElement &E) { return Effects.countsDown(E, G); };
    };
    auto ReachedFirst = [&](const Stmt *At, const AccessPath &G) {
      return reachesAvoiding(*Cfg, entryOf(*Cfg), At, IsDoneOn(G));
    };
    for (const GroupOp &Op : Ops) {
      if (!Op.Group || (!Op.counts() && Op.K != GroupOp::Wait))
        continue;
      FunctionSummary::GroupEffect GE;
      GE.K = Op.counts() ? GroupOp::Done : GroupOp::Wait;
      GE.Group = *Op.Group;
      GE.Op = Op.Call;
      GE.AfterDone = GE.K == GroupOp::Wait && !ReachedFirst(Op.Call, GE.Group);
      AddGroupEffect(std::move(GE));
    }
    for (const DoneGuard &DG : Guards)
      AddGroupEffect({GroupOp::Done, DG.Group, nullptr, {}, false});
    for (auto &[Call, Effects] : CallEffects)
      for (FunctionSummary::GroupEffect &GE : Effects) {
        if (GE.K == GroupOp::Wait && !GE.AfterDone)
          GE.AfterDone = !ReachedFirst(Call, GE.Group);
        AddGroupEffect(std::move(GE));
      }
  }

  if (std::optional<std::pair<LockSet, LockSet>> Exit = LockSets.atExit()) {
    S->HeldOnReturn = Exit->first;
    // What its callers hold for it is theirs, not a lock it leaves held.
    for (const HeldLock &L : LockSets.heldOnEntry().locks())
      S->HeldOnReturn.remove(L.Mutex);
    for (const HeldLock &L : LockSets.asserted().locks())
      S->HeldOnReturn.remove(L.Mutex);
    S->ReleasedUnheld = Exit->second;
  }
  // A constructor that keeps what it is handed in a member (s_(s)) and
  // locks it through that member has locked what it was handed.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    S->HeldOnReturn = throughKeptMembers(Ctor, S->HeldOnReturn);

  // A guard returned by value, holding the same mutex on every return.
  if (Locks.isGuardType(FD->getReturnType())) {
    CallFinder F;
    F.TraverseStmt(FD->getBody());
    std::optional<HeldLock> Guard;
    bool Agree = !F.Returns.empty();
    for (const ReturnStmt *R : F.Returns) {
      std::optional<HeldLock> L;
      const Expr *V =
          R->getRetValue() ? stripWrappers(R->getRetValue()) : nullptr;
      // return std::unique_lock<std::mutex>(m): a functional cast.
      if (const auto *Cast = dyn_cast_or_null<CXXFunctionalCastExpr>(V))
        V = stripWrappers(Cast->getSubExpr());
      // return l: a move out of the local guard.
      if (const auto *Move = dyn_cast_or_null<CXXConstructExpr>(V);
          Move && Move->getNumArgs() == 1 &&
          Move->getConstructor()->isCopyOrMoveConstructor() &&
          isa<DeclRefExpr>(Move->getArg(0)->IgnoreParenImpCasts()))
        V = Move->getArg(0)->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(V))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && VD->hasLocalStorage() && VD->getInit())
          V = stripWrappers(VD->getInit());
      if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(V)) {
        for (const LockOp &Op : Locks.classify(CE, &Locals))
          if (Op.Mutex &&
              (Op.K == LockOp::GuardAcquire || Op.K == LockOp::GuardAdopt))
            L = HeldLock{*Op.Mutex, Op.Shared};
      } else if (const auto *Call = dyn_cast_or_null<CallExpr>(V)) {
        L = returnedGuardOf(Call, &Locals);
      }
      if (!L || (Guard && !(*Guard == *L))) {
        Agree = false;
        break;
      }
      Guard = L;
    }
    if (Agree && Guard && callerCanName(FD, Guard->Mutex))
      S->ReturnedGuard = Guard;
  }
  return S;
}

std::vector<FunctionSummary::GroupEffect>
SummaryModel::groupEffectsOf(const CallExpr *Call, const FunctionDecl *CallerFD,
                             const Bindings *B) {
  std::vector<FunctionSummary::GroupEffect> Out;
  const FunctionDecl *Callee = calleeOf(Call);
  const FunctionSummary *S = Callee ? summaryOf(Callee) : nullptr;
  if (!S || S->GroupOps.empty())
    return Out;
  const Bindings CB = bindingsAt(Call, Callee, CallerFD, B);
  for (const FunctionSummary::GroupEffect &E : S->GroupOps) {
    std::optional<AccessPath> G = mapPath(E.Group, CB, Callee);
    if (!G)
      continue;
    FunctionSummary::GroupEffect Mapped;
    Mapped.K = E.K;
    Mapped.Group = std::move(*G);
    Mapped.Op = E.Op;
    Mapped.Chain.push_back(Call);
    Mapped.Chain.append(E.Chain.begin(), E.Chain.end());
    Mapped.AfterDone = E.AfterDone;
    Out.push_back(std::move(Mapped));
  }
  return Out;
}

SummaryModel::CallGroupEffects
SummaryModel::callGroupEffects(const FunctionDecl *Body, const Bindings *B) {
  CallGroupEffects Out;
  llvm::SmallPtrSet<const CallExpr *, 8> Seen;
  if (const BodyCFG *Cfg = getBodyCFG(Body))
    for (const CFGBlock *Blk : Cfg->cfg())
      if (Blk)
        for (const CFGElement &E : *Blk)
          if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
            if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
              if (std::vector<FunctionSummary::GroupEffect> Effects =
                      groupEffectsOf(Call, Body, B);
                  !Effects.empty() && Seen.insert(Call).second)
                Out.push_back({Call, std::move(Effects)});
  return Out;
}

} // namespace concheck::model
