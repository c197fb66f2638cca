//===--- OpenMPModel.cpp - What an OpenMP parallel region runs at once ----===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "OpenMPModel.h"
#include "PathQuery.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/OpenMPKinds.h"

using namespace clang;

namespace concheck::model {

static bool isParallel(const OMPExecutableDirective *D) {
  return isOpenMPParallelDirective(D->getDirectiveKind());
}

/// Run by one thread of the team.
static bool isSerial(const OMPExecutableDirective *D) {
  return isa<OMPSingleDirective, OMPMasterDirective, OMPMaskedDirective,
             OMPSectionDirective>(D);
}

static bool isTaskLoop(const OMPExecutableDirective *D) {
  return isOpenMPTaskLoopDirective(D->getDirectiveKind());
}

/// A loop whose iterations the team shares out (or a taskloop's tasks).
static bool sharesIterations(const OMPExecutableDirective *D) {
  const OpenMPDirectiveKind K = D->getDirectiveKind();
  return isOpenMPLoopDirective(K) &&
         (isOpenMPWorksharingDirective(K) || isOpenMPTaskLoopDirective(K) ||
          isOpenMPDistributeDirective(K));
}

/// Where every thread of the team waits for the others.
static bool isBarrier(const OMPExecutableDirective *D) {
  if (isa<OMPBarrierDirective>(D) || isParallel(D))
    return true;
  if (isa<OMPSectionDirective>(D) ||
      !isOpenMPWorksharingDirective(D->getDirectiveKind()))
    return false;
  return !D->getSingleClause<OMPNowaitClause>();
}

static const OMPExecutableDirective *directiveOf(const CFGElement &E) {
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  return S ? dyn_cast<OMPExecutableDirective>(S->getStmt()) : nullptr;
}

namespace {
class DirectiveFinder : public RecursiveASTVisitor<DirectiveFinder> {
public:
  std::vector<const OMPExecutableDirective *> Found;
  std::vector<const VarDecl *> ThreadNumbers;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  bool VisitOMPExecutableDirective(OMPExecutableDirective *D) {
    Found.push_back(D);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    const auto *Call = dyn_cast_or_null<CallExpr>(
        VD->getInit() ? VD->getInit()->IgnoreParenImpCasts() : nullptr);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (Callee && Callee->getDeclName().isIdentifier() &&
        Callee->getName() == "omp_get_thread_num" &&
        !VD->getType()->isReferenceType())
      ThreadNumbers.push_back(VD);
    return true;
  }
};

/// The variables \p D's clauses of kind ClauseT name: in \p Out, or, for
/// an array section or element (reduction(+ : hist[:n])), its array in
/// \p Sections (each thread has a copy of the elements themselves).
template <class ClauseT>
void addVars(const OMPExecutableDirective *D,
             llvm::SmallPtrSetImpl<const VarDecl *> &Out,
             llvm::SmallPtrSetImpl<const VarDecl *> &Sections) {
  for (const ClauseT *C : D->getClausesOfKind<ClauseT>())
    for (const Expr *E : C->varlists()) {
      E = E->IgnoreParenImpCasts();
      bool Section = false;
      while (true) {
        if (const auto *AS = dyn_cast<ArraySectionExpr>(E))
          E = AS->getBase()->IgnoreParenImpCasts();
        else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
          E = ASE->getBase()->IgnoreParenImpCasts();
        else
          break;
        Section = true;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          (Section ? Sections : Out).insert(VD);
    }
}
} // namespace

std::unique_ptr<OpenMPRegions> OpenMPRegions::of(const BodyCFG &Body,
                                                 ASTContext &Ctx) {
  if (!Ctx.getLangOpts().OpenMP || !Body.callable()->hasBody())
    return nullptr;
  DirectiveFinder Finder;
  Finder.TraverseStmt(Body.callable()->getBody());
  if (llvm::none_of(Finder.Found, isParallel))
    return nullptr;
  std::unique_ptr<OpenMPRegions> R(new OpenMPRegions(Body, Ctx));
  R->Directives = std::move(Finder.Found);
  for (const OMPExecutableDirective *D : R->Directives) {
    if (D->hasAssociatedStmt())
      for (const Stmt *S = D->getAssociatedStmt();
           const auto *CS = dyn_cast_or_null<CapturedStmt>(S);
           S = CS->getCapturedStmt())
        R->CapturedBy[CS->getCapturedDecl()] = D;
    llvm::SmallPtrSet<const VarDecl *, 4> Vars, Sections;
    addVars<OMPPrivateClause>(D, Vars, Sections);
    addVars<OMPFirstprivateClause>(D, Vars, Sections);
    addVars<OMPLastprivateClause>(D, Vars, Sections);
    addVars<OMPReductionClause>(D, Vars, Sections);
    addVars<OMPTaskReductionClause>(D, Vars, Sections);
    addVars<OMPInReductionClause>(D, Vars, Sections);
    addVars<OMPLinearClause>(D, Vars, Sections);
    if (!Vars.empty())
      R->ClausePrivates[D] = std::move(Vars);
    if (!Sections.empty())
      R->SectionPrivates[D] = std::move(Sections);
    if (const auto *LD = dyn_cast<OMPLoopDirective>(D))
      for (const Expr *E : LD->counters())
        if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
                E ? E->IgnoreParenImpCasts() : nullptr))
          if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
            R->Counters.insert(VD);
            if (sharesIterations(D))
              R->PerThread.push_back(VD);
          }
  }
  for (const VarDecl *VD : Finder.ThreadNumbers)
    R->PerThread.push_back(VD);
  return R;
}

const OMPExecutableDirective *
OpenMPRegions::enclosing(const Stmt *S, const Stmt *Stop,
                         bool (*Is)(const OMPExecutableDirective *)) const {
  for (const Stmt *P = Body.parentOf(S); P && P != Stop; P = Body.parentOf(P))
    if (const auto *D = dyn_cast<OMPExecutableDirective>(P); D && Is(D))
      return D;
  return nullptr;
}

const OMPExecutableDirective *OpenMPRegions::regionOf(const Stmt *S) const {
  return enclosing(S, nullptr, isParallel);
}

OpenMPRegions::Sharing OpenMPRegions::sharingOf(const VarDecl *VD,
                                                const Stmt *At) const {
  if (VD->hasGlobalStorage())
    return VD->hasAttr<OMPThreadPrivateDeclAttr>() ? Sharing::Own
                                                   : Sharing::Shared;
  const OMPExecutableDirective *Region = regionOf(At);
  if (!Region)
    return Sharing::Shared;
  if (Counters.contains(VD))
    return Sharing::Own;
  // Declared in the region (or in a construct inside it).
  for (const DeclContext *DC = VD->getDeclContext(); DC; DC = DC->getParent()) {
    const auto *CD = dyn_cast<CapturedDecl>(DC);
    if (!CD)
      break;
    const OMPExecutableDirective *D = CapturedBy.lookup(CD);
    if (D && (D == Region || Body.isWithin(D, Region)))
      return Sharing::Own;
  }
  for (const Stmt *P = Body.parentOf(At); P; P = Body.parentOf(P)) {
    if (const auto *D = dyn_cast<OMPExecutableDirective>(P)) {
      auto It = ClausePrivates.find(D);
      if (It != ClausePrivates.end() && It->second.contains(VD))
        return Sharing::ClausePrivate;
      auto Sec = SectionPrivates.find(D);
      if (Sec != SectionPrivates.end() && Sec->second.contains(VD))
        return Sharing::Own;
    }
    if (P == Region)
      break;
  }
  return Sharing::Shared;
}

static bool isTask(const OMPExecutableDirective *D) {
  return isOpenMPTaskingDirective(D->getDirectiveKind());
}

const OMPExecutableDirective *OpenMPRegions::taskOf(const Stmt *S) const {
  return enclosing(S, regionOf(S), [](const OMPExecutableDirective *D) {
    return isTask(D) && !isTaskLoop(D);
  });
}

const OMPExecutableDirective *OpenMPRegions::serialOf(const Stmt *S) const {
  const Stmt *Stop = regionOf(S);
  for (const Stmt *P = Body.parentOf(S); P && P != Stop; P = Body.parentOf(P))
    if (const auto *D = dyn_cast<OMPExecutableDirective>(P)) {
      if (isSerial(D))
        return D;
      if (isTask(D))
        return nullptr; // whoever runs the task
    }
  return nullptr;
}

bool OpenMPRegions::runsMany(const Stmt *S) const {
  // Whether a loop lies between S and the construct that decides; for a
  // task, the loop creates many of it.
  const bool IsTask =
      isa<OMPExecutableDirective>(S) && isTask(cast<OMPExecutableDirective>(S));
  bool Loop = false;
  for (const Stmt *P = Body.parentOf(S); P; P = Body.parentOf(P)) {
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
      Loop = true;
    const auto *D = dyn_cast<OMPExecutableDirective>(P);
    if (!D)
      continue;
    if (isParallel(D) || isTaskLoop(D))
      return true;
    if (isTask(D))
      return IsTask ? Loop || runsMany(D) : runsMany(D);
    if (isSerial(D))
      return IsTask && Loop;
    if (sharesIterations(D))
      return true;
  }
  return true;
}

bool OpenMPRegions::samePhase(const Stmt *X, const Stmt *Y) const {
  if (!Phases) {
    Phases.emplace();
    auto Stops = [](const CFGElement &E) {
      const OMPExecutableDirective *D = directiveOf(E);
      return D && isBarrier(D);
    };
    Phases->push_back(reachedAvoiding(Body, entryOf(Body), Stops));
    for (const OMPExecutableDirective *D : Directives)
      if (isBarrier(D))
        if (std::optional<CFGPoint> P = Body.pointOf(D))
          Phases->push_back(
              reachedAvoiding(Body, PathStart{*P, std::nullopt}, Stops));
  }
  return llvm::any_of(*Phases, [&](const llvm::DenseSet<const Stmt *> &In) {
    return In.contains(X) && In.contains(Y);
  });
}

bool OpenMPRegions::beforeTaskWait(const OMPExecutableDirective *T,
                                   const Stmt *S) const {
  auto It = BeforeWait.find(T);
  if (It == BeforeWait.end()) {
    llvm::DenseSet<const Stmt *> Reached;
    if (std::optional<CFGPoint> P = Body.pointOf(T))
      Reached = reachedAvoiding(
          Body, PathStart{*P, std::nullopt}, [&](const CFGElement &E) {
            const OMPExecutableDirective *D = directiveOf(E);
            return D &&
                   (isa<OMPTaskwaitDirective>(D) || isBarrier(D) ||
                    (isa<OMPTaskgroupDirective>(D) && Body.isWithin(T, D)));
          });
    It = BeforeWait.try_emplace(T, std::move(Reached)).first;
  }
  return It->second.contains(S);
}

bool OpenMPRegions::mayRunTogether(const Stmt *X, const Stmt *Y) const {
  if (!samePhase(X, Y))
    return false;
  const OMPExecutableDirective *TX = taskOf(X), *TY = taskOf(Y);
  // Tasks one thread creates with depend clauses are taken to be ordered by
  // them (a chain: depend(in: d[i - 1]) depend(out: d[i])).
  auto Depends = [&](const OMPExecutableDirective *T) {
    return T && !T->getClausesOfKind<OMPDependClause>().empty() && serialOf(T);
  };
  if (TX == TY) {
    // One thread runs both in order, or one task instance does; other
    // instances run beside it.
    if (TX)
      return runsMany(TX) && !Depends(TX);
    if (X == Y)
      return runsMany(X);
    const OMPExecutableDirective *S = serialOf(X);
    return !(S && S == serialOf(Y));
  }
  // A task created by one thread, in order with that thread's own code and
  // its other tasks: they overlap from its creation to the taskwait.
  auto Creator = [&](const OMPExecutableDirective *T, const Stmt *S) {
    return T ? serialOf(T) : serialOf(S);
  };
  const OMPExecutableDirective *SX = Creator(TX, X), *SY = Creator(TY, Y);
  if (!SX || SX != SY)
    return true;
  if (Depends(TX) && Depends(TY))
    return false;
  if (TX && (runsMany(TX) || beforeTaskWait(TX, Y)))
    return true;
  if (TY && (runsMany(TY) || beforeTaskWait(TY, X)))
    return true;
  return false;
}

bool OpenMPRegions::excluded(const Stmt *X, const Stmt *Y) const {
  struct Held {
    llvm::SmallVector<std::string, 2> Critical;
    bool Atomic = false;
  };
  auto Of = [&](const Stmt *S) {
    Held H;
    const Stmt *Region = regionOf(S);
    for (const Stmt *P = Body.parentOf(S); P && P != Region;
         P = Body.parentOf(P)) {
      if (const auto *C = dyn_cast<OMPCriticalDirective>(P))
        H.Critical.push_back(C->getDirectiveName().getAsString());
      else if (isa<OMPOrderedDirective>(P))
        H.Critical.push_back("#ordered");
      else if (isa<OMPAtomicDirective>(P))
        H.Atomic = true;
    }
    return H;
  };
  const Held HX = Of(X), HY = Of(Y);
  if (HX.Atomic && HY.Atomic)
    return true;
  return llvm::any_of(HX.Critical, [&](const std::string &N) {
    return llvm::is_contained(HY.Critical, N);
  });
}

const Expr *OpenMPRegions::indexOf(const Expr *E) const {
  E = E->IgnoreParenImpCasts();
  for (const auto *ME = dyn_cast<MemberExpr>(E); ME && !ME->isArrow();
       ME = dyn_cast<MemberExpr>(E))
    E = ME->getBase()->IgnoreParenImpCasts();
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return ASE->getIdx();
  const Stmt *P = Body.parentOf(E);
  while (isa_and_nonnull<ImplicitCastExpr, ParenExpr>(P))
    P = Body.parentOf(P);
  if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(P);
      Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
      Op->getArg(0)->IgnoreParenImpCasts() == E)
    return Op->getArg(1);
  return nullptr;
}

static bool mentionsAny(const Stmt *S,
                        llvm::ArrayRef<const ValueDecl *> Decls) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return llvm::is_contained(Decls, DRE->getDecl());
  for (const Stmt *Child : S->children())
    if (Child && mentionsAny(Child, Decls))
      return true;
  return false;
}

bool OpenMPRegions::sameOwnElement(const Expr *A, const Expr *B) const {
  const Expr *IA = indexOf(A), *IB = indexOf(B);
  if (!IA || !IB || !mentionsAny(IA, PerThread))
    return false;
  llvm::FoldingSetNodeID FA, FB;
  IA->Profile(FA, Ctx, /*Canonical=*/true);
  IB->Profile(FB, Ctx, /*Canonical=*/true);
  return FA == FB;
}

} // namespace concheck::model
