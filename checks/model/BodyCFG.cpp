//===--- BodyCFG.cpp - One CFG per function body, shared by the checks ----===//

#include "BodyCFG.h"
#include "TranslationUnitState.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/CFGReachabilityAnalysis.h"

using namespace clang;

namespace concheck::model {

/// Whether \p Body holds an expression Clang could not make sense of (a
/// RecoveryExpr, or one built on it).
static bool containsErrors(const Stmt *Body) {
  struct Finder : RecursiveASTVisitor<Finder> {
    bool Found = false;
    bool VisitExpr(Expr *E) {
      Found = E->containsErrors();
      return !Found;
    }
  } F;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Found;
}

std::unique_ptr<BodyCFG> BodyCFG::build(const FunctionDecl *Callable) {
  if (!Callable || !Callable->hasBody())
    return nullptr;
  Stmt *Body = Callable->getBody();
  // Clang's CFG builder expects code that compiled: it crashes on some
  // bodies with errors (a call Clang could not resolve), so those have none.
  if (Callable->getASTContext().getDiagnostics().hasErrorOccurred() &&
      containsErrors(Body))
    return nullptr;
  // It also dereferences the destructor of each member and base a
  // destructor's end destroys, which Clang declares only when it needs it:
  // a class whose member's destructor was never declared has none.
  if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(Callable)) {
    auto Lacks = [](QualType T) {
      const CXXRecordDecl *RD =
          T->getBaseElementTypeUnsafe()->getAsCXXRecordDecl();
      return RD && (!RD->hasDefinition() || !RD->getDestructor());
    };
    const CXXRecordDecl *Class = Dtor->getParent();
    if (llvm::any_of(Class->fields(),
                     [&](const FieldDecl *F) { return Lacks(F->getType()); }) ||
        llvm::any_of(Class->bases(), [&](const CXXBaseSpecifier &B) {
          return Lacks(B.getType());
        }))
      return nullptr;
  }
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = true;
  Opts.AddInitializers = true;
  Opts.AddCXXDefaultInitExprInCtors = true;
  Opts.AddCXXNewAllocator = false;
  Opts.setAllAlwaysAdd();
  std::unique_ptr<CFG> Cfg =
      CFG::buildCFG(Callable, Body, &Callable->getASTContext(), Opts);
  if (!Cfg)
    return nullptr;
  std::unique_ptr<BodyCFG> Result(new BodyCFG());
  Result->Callable = Callable;
  for (const CFGBlock *B : *Cfg) {
    unsigned Index = 0;
    for (const CFGElement &E : *B) {
      if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
        Result->Points.try_emplace(S->getStmt(), CFGPoint{B, Index});
      ++Index;
    }
  }
  Result->Cfg = std::move(Cfg);
  return Result;
}

BodyCFG::~BodyCFG() = default;

std::optional<CFGPoint> BodyCFG::pointOf(const Stmt *S) const {
  auto It = Points.find(S);
  if (It == Points.end())
    return std::nullopt;
  return It->second;
}

bool BodyCFG::dominates(const CFGBlock *A, const CFGBlock *B) const {
  if (!DomTree)
    DomTree = std::make_unique<CFGDomTree>(Cfg.get());
  return DomTree->dominates(A, B);
}

const PostOrderCFGView &BodyCFG::reversePostOrder() const {
  if (!Order)
    Order = std::make_unique<PostOrderCFGView>(Cfg.get());
  return *Order;
}

bool BodyCFG::reaches(const CFGBlock *From, const CFGBlock *To) const {
  if (!Reach)
    Reach = std::make_unique<CFGReverseBlockReachabilityAnalysis>(*Cfg);
  return Reach->isReachable(From, To);
}

bool BodyCFG::inCycle(const CFGBlock *B) const {
  return llvm::any_of(B->succs(), [&](const CFGBlock::AdjacentBlock &S) {
    const CFGBlock *Next = S.getReachableBlock();
    return Next && (Next == B || reaches(Next, B));
  });
}

namespace {
/// The parents of a body's statements, in one walk (no AST-wide parent map:
/// that one walks the whole translation unit).
class ParentCollector : public RecursiveASTVisitor<ParentCollector> {
public:
  explicit ParentCollector(llvm::DenseMap<const Stmt *, const Stmt *> &Out)
      : Out(Out) {}
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    if (!Stack.empty())
      Out.try_emplace(S, Stack.back());
    Stack.push_back(S);
    bool R = RecursiveASTVisitor::TraverseStmt(S);
    Stack.pop_back();
    return R;
  }

private:
  llvm::DenseMap<const Stmt *, const Stmt *> &Out;
  llvm::SmallVector<const Stmt *, 16> Stack;
};
} // namespace

const Stmt *BodyCFG::parentOf(const Stmt *S) const {
  if (!Parents) {
    Parents = std::make_unique<llvm::DenseMap<const Stmt *, const Stmt *>>();
    ParentCollector(*Parents).TraverseStmt(Callable->getBody());
  }
  return Parents->lookup(S);
}

bool BodyCFG::isWithin(const Stmt *Inner, const Stmt *Outer) const {
  for (const Stmt *S = Inner; S; S = parentOf(S))
    if (S == Outer)
      return true;
  return false;
}

bool isZeroOrFalse(const Expr *E) {
  E = E->IgnoreParenCasts(); // NULL is ((void *)0) in C
  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return IL->getValue() == 0;
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return !BL->getValue();
  // An enumerator whose value is 0 (C11's thrd_success).
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return EC->getInitVal() == 0;
  return isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E);
}

const Expr *testedValue(const Expr *Cond, bool &TrueWhenNonZero) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    const Expr *V = testedValue(UO->getSubExpr(), TrueWhenNonZero);
    TrueWhenNonZero = !TrueWhenNonZero;
    return V;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    const Expr *Var = BO->getLHS(), *Other = BO->getRHS();
    if (isZeroOrFalse(Var))
      std::swap(Var, Other);
    if (!isZeroOrFalse(Other))
      return nullptr;
    TrueWhenNonZero = BO->getOpcode() == BO_NE;
    return Var->IgnoreParenImpCasts();
  }
  if (isa<DeclRefExpr, MemberExpr>(Cond)) {
    TrueWhenNonZero = true;
    return Cond;
  }
  return nullptr;
}

const VarDecl *testedVariable(const Expr *Cond, bool &TrueWhenNonZero) {
  const auto *DRE =
      dyn_cast_or_null<DeclRefExpr>(testedValue(Cond, TrueWhenNonZero));
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

std::optional<int64_t> integerConstant(const Expr *E, const ASTContext &C) {
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->EvaluateAsInt(R, C) ||
      R.Val.getInt().getSignificantBits() > 64)
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

std::optional<ConstantTest>
constantTest(const Expr *Cond, const ASTContext &C,
             llvm::function_ref<bool(const Expr *)> IsOperand) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    std::optional<ConstantTest> T =
        constantTest(UO->getSubExpr(), C, IsOperand);
    if (T)
      T->Equal = !T->Equal;
    return T;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
    const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
    if (!IsOperand(L))
      std::swap(L, R);
    if (!IsOperand(L))
      return std::nullopt;
    std::optional<int64_t> V = integerConstant(R, C);
    if (!V)
      return std::nullopt;
    return ConstantTest{L, *V, BO->getOpcode() == BO_EQ};
  }
  if (IsOperand(Cond))
    return ConstantTest{Cond, 0, false};
  return std::nullopt;
}

namespace {
/// Drops from a set the variables the body can change other than by its
/// own statements: their address taken, a reference bound to them, a lambda
/// capturing them by reference.
class EscapingVariables : public RecursiveASTVisitor<EscapingVariables> {
public:
  explicit EscapingVariables(llvm::SmallPtrSetImpl<const VarDecl *> &Vars)
      : Vars(Vars) {}
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->getOpcode() == UO_AddrOf)
      drop(UO->getSubExpr());
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
        if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
          Vars.erase(VD);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getType()->isReferenceType() && VD->getInit())
      drop(VD->getInit());
    return true;
  }

private:
  void drop(const Expr *E) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Vars.erase(VD);
  }
  llvm::SmallPtrSetImpl<const VarDecl *> &Vars;
};
} // namespace

const llvm::SmallPtrSetImpl<const VarDecl *> &BodyCFG::branchVariables() const {
  if (BranchVariables)
    return *BranchVariables;
  BranchVariables = std::make_unique<llvm::SmallPtrSet<const VarDecl *, 4>>();
  for (const CFGBlock *B : *Cfg) {
    if (!B || B->succ_size() != 2)
      continue;
    const Expr *Cond = B->getLastCondition();
    bool NonZero = false;
    if (const VarDecl *V = Cond ? testedVariable(Cond, NonZero) : nullptr)
      if (V->hasLocalStorage() && !V->getType()->isReferenceType() &&
          !V->getType().isVolatileQualified() && V->getType()->isScalarType())
        BranchVariables->insert(V);
  }
  if (!BranchVariables->empty())
    EscapingVariables(*BranchVariables).TraverseStmt(Callable->getBody());
  return *BranchVariables;
}

const llvm::DenseMap<const Expr *, const AccessPath *> &
BodyCFG::branchFields() const {
  if (BranchFields)
    return *BranchFields;
  BranchFields =
      std::make_unique<llvm::DenseMap<const Expr *, const AccessPath *>>();
  std::vector<std::pair<const Expr *, AccessPath>> Tested;
  for (const CFGBlock *B : *Cfg) {
    if (!B || B->succ_size() != 2 ||
        !isa_and_nonnull<IfStmt>(B->getTerminatorStmt()))
      continue;
    const Expr *Cond = B->getLastCondition();
    bool NonZero = false;
    const auto *ME = dyn_cast_or_null<MemberExpr>(
        Cond ? testedValue(Cond, NonZero) : nullptr);
    if (!ME || ME->getType().isVolatileQualified() ||
        !ME->getType()->isScalarType())
      continue;
    if (std::optional<AccessPath> P = AccessPath::of(ME))
      Tested.push_back({ME, std::move(*P)});
  }
  for (const auto &Test : Tested) {
    const AccessPath &P = Test.second;
    if (llvm::count_if(Tested, [&](const auto &T) { return T.second == P; }) <
        2)
      continue;
    const AccessPath *Key = nullptr;
    for (const AccessPath &K : FieldKeys)
      if (K == P)
        Key = &K;
    if (!Key)
      Key = &FieldKeys.emplace_back(P);
    (*BranchFields)[Test.first] = Key;
  }
  return *BranchFields;
}

const BodyCFG *getBodyCFG(const FunctionDecl *Callable) {
  if (!Callable)
    return nullptr;
  TranslationUnitState &State =
      TranslationUnitState::of(Callable->getASTContext());
  auto [It, Inserted] = State.CFGs.try_emplace(Callable);
  if (Inserted)
    It->second = BodyCFG::build(Callable);
  return It->second.get();
}

const FunctionDecl *enclosingCallable(const Stmt *S, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*S);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (const auto *Lambda = P.get<LambdaExpr>())
      return Lambda->getCallOperator();
    if (const auto *FD = P.get<FunctionDecl>())
      return FD;
    if (P.get<Decl>() && !P.get<VarDecl>() && !P.get<DeclStmt>())
      return nullptr; // a class, namespace, ...: not inside a body
    Parents = Ctx.getParents(P);
  }
  return nullptr;
}

CallOperands operandsOf(const CallExpr *Call, const FunctionDecl *Callee) {
  CallOperands Out;
  Out.Args.append(Call->arg_begin(), Call->arg_end());
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
    Out.Object = MCE->getImplicitObjectArgument();
  } else if (isa<CXXOperatorCallExpr>(Call) &&
             isa_and_nonnull<CXXMethodDecl>(Callee) && !Out.Args.empty()) {
    Out.Object = Out.Args.front();
    Out.Args.erase(Out.Args.begin());
  }
  return Out;
}

const Expr *stripWrappers(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<ExprWithCleanups>(Next))
      Next = C->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

const Expr *stripValueCasts(const Expr *E) {
  while (E) {
    E = E->IgnoreParens();
    const auto *Cast = dyn_cast<CastExpr>(E);
    if (!Cast)
      return E;
    switch (Cast->getCastKind()) {
    case CK_LValueToRValue:
    case CK_NoOp:
    case CK_IntegralCast:
    case CK_IntegralToPointer:
    case CK_PointerToIntegral:
    case CK_BitCast:
      E = Cast->getSubExpr();
      break;
    default:
      return E;
    }
  }
  return E;
}

const Expr *movedFrom(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(stripWrappers(E));
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (FD && FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
      (FD->getName() == "move" || FD->getName() == "forward") &&
      Call->getNumArgs() == 1)
    return Call->getArg(0);
  return nullptr;
}

llvm::SmallVector<const Expr *, 4> memberInitializers(const FunctionDecl *FD,
                                                      const FieldDecl *Of) {
  llvm::SmallVector<const Expr *, 4> Out;
  if (const auto *Ctor = dyn_cast_or_null<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isAnyMemberInitializer() && Init->getInit() &&
          (!Of || (Init->getMember() == Of && Init->isWritten())))
        Out.push_back(Init->getInit());
  return Out;
}

} // namespace concheck::model
