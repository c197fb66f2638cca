//===--- AccessPath.cpp - Canonical names for memory locations ------------===//

#include "AccessPath.h"
#include "BodyCFG.h"
#include "TranslationUnitState.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/raw_ostream.h"
#include <tuple>

using namespace clang;

namespace concheck::model {

static const Expr *strip(const Expr *E) {
  while (true) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
      E = Cleanups->getSubExpr();
    else if (const auto *Mat = dyn_cast<MaterializeTemporaryExpr>(E))
      E = Mat->getSubExpr();
    else
      return E;
  }
}

std::optional<AccessPath> AccessPath::ofObject(const Expr *E,
                                              const Bindings *B) {
  if (!E)
    return std::nullopt;
  return E->getType()->isPointerType() ? ofPointee(E, B) : of(E, B);
}

AccessPath AccessPath::ofDecl(const ValueDecl *D) {
  AccessPath P;
  P.Root = D;
  return P;
}

/// The variable \p E names, if it is a plain reference to one.
static const VarDecl *namedVar(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? strip(E) : nullptr);
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// For `for (T &x : range)`, the path of range's element x names: the
/// range followed by an index step on x itself, whose value is different in
/// every iteration (as `range[i]` with the loop's counter).
static std::optional<AccessPath> rangeElement(const VarDecl *LoopVar,
                                              const Bindings *B) {
  // x = *__begin (a pointer or an iterator's operator*).
  const Expr *Init = strip(LoopVar->getInit());
  const Expr *Iter = nullptr;
  if (const auto *UO = dyn_cast<UnaryOperator>(Init);
      UO && UO->getOpcode() == UO_Deref)
    Iter = UO->getSubExpr();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Init);
           Op && Op->getOperator() == OO_Star && Op->getNumArgs() == 1)
    Iter = Op->getArg(0);
  const VarDecl *Begin = namedVar(Iter);
  if (!Begin || !Begin->getInit())
    return std::nullopt;
  // __begin = __range (an array), __range.begin() or begin(__range).
  const Expr *BeginInit = strip(Begin->getInit());
  const VarDecl *Range = namedVar(BeginInit);
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(BeginInit))
    Range = namedVar(MCE->getImplicitObjectArgument());
  else if (const auto *Call = dyn_cast<CallExpr>(BeginInit);
           Call && Call->getNumArgs() == 1)
    Range = namedVar(Call->getArg(0));
  if (!Range || !Range->getInit() || Range->getInit()->isTypeDependent())
    return std::nullopt;
  std::optional<AccessPath> P = AccessPath::of(Range->getInit(), B);
  if (!P)
    return std::nullopt;
  return P->withIndexVar(LoopVar);
}

// A local reference bound once to an lvalue names that lvalue: references
// cannot be reseated, so following the initializer is exact. When the
// lvalue has no name of its own (an element a container's operator[]
// returns), the reference itself names it: every use of the reference is the
// same object.
static std::optional<AccessPath> ofVar(const VarDecl *VD, const Bindings *B) {
  if (B)
    if (const AccessPath *Target = B->referent(VD))
      return *Target;
  if (VD->getType()->isReferenceType() && !isa<ParmVarDecl>(VD) &&
      VD->hasLocalStorage() && VD->getInit() &&
      !VD->getInit()->isTypeDependent()) {
    if (VD->isCXXForRangeDecl())
      if (std::optional<AccessPath> Element = rangeElement(VD, B))
        return Element;
    if (std::optional<AccessPath> Referent = AccessPath::of(VD->getInit(), B))
      return Referent;
  }
  return AccessPath::ofDecl(VD);
}

AccessPath AccessPath::prefix(size_t N) const {
  AccessPath Out = *this;
  if (N < Out.Steps.size())
    Out.Steps.resize(N);
  return Out;
}

AccessPath AccessPath::rebase(const AccessPath &Prefix, size_t Skip) const {
  AccessPath Out = Prefix;
  if (Skip < Steps.size())
    Out.Steps.append(Steps.begin() + Skip, Steps.end());
  return Out;
}

std::optional<AccessPath> AccessPath::substitute(const Bindings &B) const {
  // The callee's index parameters become what the call passes them:
  // lru_locks[i] in `void done(int i)` is the caller's lru_locks[j] at
  // done(j), its lru_locks[2] at done(2).
  auto Then = [&](const AccessPath &Prefix, size_t Skip) {
    AccessPath Out = rebase(Prefix, Skip);
    for (Step &S : Out.Steps)
      if (S.Kind == StepKind::IndexVar)
        if (const Bindings::IndexValue *V = B.indexValue(S.Decl))
          S = V->Var ? Step{StepKind::IndexVar, V->Var, 0}
                     : Step{StepKind::Index, nullptr, V->Const};
    return Out;
  };
  if (!Root) {
    if (const AccessPath *Object = B.thisObject())
      return Then(*Object, 0);
    return std::nullopt;
  }
  if (const AccessPath *Target = B.referent(Root))
    return Then(*Target, 0);
  if (const AccessPath *Pointee = B.pointee(Root))
    if (!Steps.empty() && Steps.front().Kind == StepKind::Deref)
      return Then(*Pointee, 1);
  const auto *VD = dyn_cast<VarDecl>(Root);
  if (VD && VD->hasGlobalStorage())
    return Then(*this, Steps.size());
  // A lambda's captured 'this' is its maker's where the maker calls, and
  // stays itself on the way there.
  if (const CXXRecordDecl *Lambda = capturedThisOf()) {
    if (const AccessPath *This = B.makerThis(Lambda->getDeclContext()))
      return Then(*This, 0);
    return *this;
  }
  return std::nullopt;
}

std::optional<AccessPath>
AccessPath::capturedThis(const CXXRecordDecl *Lambda) {
  if (!Lambda || !Lambda->isLambda())
    return std::nullopt;
  llvm::DenseMap<const ValueDecl *, FieldDecl *> Fields;
  FieldDecl *This = nullptr;
  Lambda->getCaptureFields(Fields, This);
  // [*this] copies the object: the lambda's own, named by nobody else.
  if (!This || !This->getType()->isPointerType())
    return std::nullopt;
  return ofDecl(This);
}

const CXXRecordDecl *AccessPath::capturedThisOf() const {
  const auto *FD = dyn_cast_or_null<FieldDecl>(Root);
  const auto *Lambda = FD ? dyn_cast<CXXRecordDecl>(FD->getParent()) : nullptr;
  if (!Lambda || !Lambda->isLambda())
    return nullptr;
  std::optional<AccessPath> This = capturedThis(Lambda);
  return This && This->Root == Root ? Lambda : nullptr;
}

AccessPath AccessPath::withDeref() const {
  AccessPath Out = *this;
  Out.Steps.push_back({StepKind::Deref});
  return Out;
}

std::optional<AccessPath> AccessPath::inCallee(const FunctionDecl *Callee,
                                               const Bindings &B) const {
  // The caller's index variables are the callee's index parameters they
  // are passed as (locks[i] at done(i) is locks[b] in done(int b)).
  auto Indices = [&](AccessPath P) -> std::optional<AccessPath> {
    for (Step &S : P.Steps) {
      if (S.Kind != StepKind::IndexVar)
        continue;
      const ParmVarDecl *Found = nullptr;
      for (const ParmVarDecl *Param : Callee->parameters())
        if (const Bindings::IndexValue *V = B.indexValue(Param);
            V && V->Var == S.Decl)
          Found = Param;
      if (!Found)
        return std::nullopt;
      S.Decl = Found;
    }
    return P;
  };
  const auto *VD = dyn_cast_or_null<VarDecl>(Root);
  if (VD && VD->hasGlobalStorage())
    return Indices(*this);
  auto Under = [&](const AccessPath *Base) {
    return Base && Base->Root == Root && Base->Steps.size() <= Steps.size() &&
           llvm::ArrayRef(Steps).take_front(Base->Steps.size()) ==
               llvm::ArrayRef(Base->Steps);
  };
  for (const ParmVarDecl *Param : Callee->parameters()) {
    if (const AccessPath *Target = B.referent(Param); Under(Target))
      return Indices(rebase(ofDecl(Param), Target->Steps.size()));
    if (const AccessPath *Pointee = B.pointee(Param); Under(Pointee))
      return Indices(rebase(ofDecl(Param).withDeref(), Pointee->Steps.size()));
  }
  return std::nullopt;
}

AccessPath AccessPath::withIndexVar(const ValueDecl *Index) const {
  AccessPath Out = *this;
  Out.Steps.push_back({StepKind::IndexVar, Index});
  return Out;
}

void Bindings::bindReference(const ValueDecl *D, const AccessPath &Target) {
  Refs[D] = Targets.size();
  Targets.push_back(Target);
}

void Bindings::bindPointer(const ValueDecl *D, const AccessPath &Pointee) {
  Ptrs[D] = Targets.size();
  Targets.push_back(Pointee);
}

void Bindings::bindThis(const AccessPath &Object) {
  HasThis = true;
  ThisIndex = Targets.size();
  Targets.push_back(Object);
}

const AccessPath *Bindings::thisObject() const {
  return HasThis ? &Targets[ThisIndex] : nullptr;
}

void Bindings::bindMaker(const FunctionDecl *FD, const AccessPath &This) {
  Maker = FD;
  MakerIndex = Targets.size();
  Targets.push_back(This);
}

const AccessPath *Bindings::makerThis(const DeclContext *LambdaContext) const {
  return Maker && LambdaContext == Maker ? &Targets[MakerIndex] : nullptr;
}

void Bindings::merge(const Bindings &Other) {
  for (const auto &[D, I] : Other.Refs)
    if (!Refs.count(D))
      bindReference(D, Other.Targets[I]);
  for (const auto &[D, I] : Other.Ptrs)
    if (!Ptrs.count(D))
      bindPointer(D, Other.Targets[I]);
  if (!HasThis && Other.HasThis)
    bindThis(Other.Targets[Other.ThisIndex]);
  if (!Maker && Other.Maker)
    bindMaker(Other.Maker, Other.Targets[Other.MakerIndex]);
  for (const auto &[D, V] : Other.Indices)
    Indices.try_emplace(D, V);
}

const AccessPath *Bindings::referent(const ValueDecl *D) const {
  auto It = Refs.find(D);
  return It == Refs.end() ? nullptr : &Targets[It->second];
}

const AccessPath *Bindings::pointee(const ValueDecl *D) const {
  auto It = Ptrs.find(D);
  return It == Ptrs.end() ? nullptr : &Targets[It->second];
}

static std::optional<AccessPath> ofGetterCall(const Expr *E, const Bindings *B,
                                              bool Pointee);

std::optional<AccessPath> AccessPath::ofPointee(const Expr *E,
                                               const Bindings *B) {
  E = strip(E);
  // A pointer cast to another pointer type points to the same object
  // (static_cast<int *>(arg) in a pthread routine).
  while (const auto *Cast = dyn_cast<ExplicitCastExpr>(E)) {
    if (!Cast->getType()->isPointerType() ||
        !Cast->getSubExpr()->getType()->isPointerType())
      break;
    E = strip(Cast->getSubExpr());
  }
  // A pointer parameter or capture bound to an address in the spawner.
  if (B)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const AccessPath *Target = B->pointee(DRE->getDecl()))
        return *Target;
  // 'this' points to the object that a this-rooted path without steps names
  // (or to the spawner's object a member-function task runs on).
  if (isa<CXXThisExpr>(E))
    return of(E, B);
  // &x points to x.
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    return of(UO->getSubExpr(), B);
  // An array decays to a pointer to its first element; keep the array itself.
  if (E->getType()->isArrayType())
    return of(E, B);
  // A getter returning a pointer to one object: `instance()->count`.
  if (isa<CallExpr>(E) && !isa<CXXOperatorCallExpr>(E) &&
      E->getType()->isPointerType())
    return ofGetterCall(E, B, /*Pointee=*/true);
  std::optional<AccessPath> P = of(E, B);
  if (!P)
    return std::nullopt;
  if (E->getType()->isPointerType() || E->getType()->isReferenceType() ||
      E->getType()->isRecordType()) // smart pointer: operator-> / operator*
    P->Steps.push_back({StepKind::Deref});
  else
    return std::nullopt;
  return P;
}

/// The object every return of getter \p Def names (through the pointer it
/// returns, for a pointer), in Def's terms: a global or static, or a part of
/// the object it is called on. Cached per translation unit; a getter that
/// reaches itself while its returns are being named is no getter.
static std::optional<AccessPath> returnedObject(const FunctionDecl *Def) {
  auto &Getters = TranslationUnitState::of(Def->getASTContext()).Getters;
  if (auto It = Getters.find(Def); It != Getters.end())
    return It->second;
  Getters.try_emplace(Def, std::nullopt); // in progress: not a getter
  struct Returns : RecursiveASTVisitor<Returns> {
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
    bool VisitReturnStmt(ReturnStmt *R) {
      Found.push_back(R->getRetValue());
      return true;
    }
    std::vector<const Expr *> Found;
  } R;
  R.TraverseStmt(Def->getBody());
  const bool Pointer = Def->getReturnType()->isPointerType();
  std::optional<AccessPath> Named;
  for (const Expr *Value : R.Found) {
    std::optional<AccessPath> P =
        Value ? (Pointer ? AccessPath::ofPointee(Value) : AccessPath::of(Value))
              : std::nullopt;
    const auto *VD = P ? dyn_cast_or_null<VarDecl>(P->root()) : nullptr;
    if (!P ||
        (!P->isThisRooted() &&
         !(VD && VD->hasGlobalStorage() && !VD->getTLSKind())) ||
        (Named && *Named != *P)) {
      Named.reset();
      break;
    }
    Named = std::move(P);
  }
  Getters[Def] = Named;
  return Named;
}

/// For a call of a getter that returns a reference (\p Pointee false) or a
/// pointer (\p Pointee true) to one object on every call, that object in
/// the caller's terms: `instance()->count`, `get_state().field`,
/// `account().balance`. Virtual calls, calls through pointers, functions
/// with no body in the translation unit and the standard library's are
/// not followed.
static std::optional<AccessPath> ofGetterCall(const Expr *E, const Bindings *B,
                                              bool Pointee) {
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || isa<CXXOperatorCallExpr>(Call))
    return std::nullopt;
  const FunctionDecl *FD = Call->getDirectCallee();
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() || Def->isDependentContext())
    return std::nullopt;
  QualType Ret = Def->getReturnType();
  if (Pointee ? !Ret->isPointerType() : !Ret->isReferenceType())
    return std::nullopt;
  const auto *MD = dyn_cast<CXXMethodDecl>(Def);
  if (MD && MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
      !MD->getParent()->hasAttr<FinalAttr>())
    return std::nullopt;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(Def->getLocation()))
    return std::nullopt;
  std::optional<AccessPath> Named = returnedObject(Def);
  if (!Named || !Named->isThisRooted())
    return Named;
  // A part of the object the member function is called on.
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Obj = MCE ? MCE->getImplicitObjectArgument() : nullptr;
  if (!Obj || (MD && MD->isStatic()))
    return std::nullopt;
  std::optional<AccessPath> Object = AccessPath::ofObject(Obj, B);
  if (!Object)
    return std::nullopt;
  return Named->rebase(*Object, 0);
}

std::optional<AccessPath> AccessPath::of(const Expr *E, const Bindings *B) {
  if (!E)
    return std::nullopt;
  E = strip(E);

  if (isa<CallExpr>(E) && !isa<CXXOperatorCallExpr>(E))
    return ofGetterCall(E, B, /*Pointee=*/false);

  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return ofVar(VD, B);
    if (const auto *BD = dyn_cast<BindingDecl>(DRE->getDecl()))
      return AccessPath::ofDecl(BD);
    return std::nullopt;
  }

  if (isa<CXXThisExpr>(E)) {
    // 'this' as a value: the object it points to is the root itself, or the
    // spawner's object a member-function task runs on.
    if (B)
      if (const AccessPath *Object = B->thisObject())
        return *Object;
    return AccessPath();
  }

  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const ValueDecl *Member = ME->getMemberDecl();
    if (const auto *Static = dyn_cast<VarDecl>(Member))
      return ofVar(Static, B);
    const auto *Field = dyn_cast<FieldDecl>(Member);
    if (!Field)
      return std::nullopt;
    std::optional<AccessPath> Base;
    const Expr *BaseExpr = strip(ME->getBase());
    if (ME->isArrow()) {
      if (isa<CXXThisExpr>(BaseExpr))
        Base = of(BaseExpr, B); // the object 'this' points to
      else
        Base = ofPointee(BaseExpr, B);
    } else {
      Base = of(BaseExpr, B);
    }
    if (!Base)
      return std::nullopt;
    Base->Steps.push_back({StepKind::Field, Field});
    return Base;
  }

  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_Deref)
      return ofPointee(UO->getSubExpr(), B);
    return std::nullopt;
  }

  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    std::optional<AccessPath> Base = ofPointee(ASE->getBase(), B);
    if (!Base)
      return std::nullopt;
    // An index cast from another integer or pointer type is the same value
    // (`slots[(long)arg]`).
    const Expr *Idx = stripValueCasts(strip(ASE->getIdx()));
    if (const auto *IL = dyn_cast<IntegerLiteral>(Idx)) {
      Base->Steps.push_back(
          {StepKind::Index, nullptr, IL->getValue().getSExtValue()});
      return Base;
    }
    if (const auto *IdxRef = dyn_cast<DeclRefExpr>(Idx)) {
      Base->Steps.push_back({StepKind::IndexVar, IdxRef->getDecl()});
      return Base;
    }
    return std::nullopt;
  }

  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    // Smart pointers: *p and p-> name the pointee of p.
    if ((Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) &&
        Op->getNumArgs() == 1)
      return ofPointee(Op->getArg(0), B);
    return std::nullopt;
  }

  return std::nullopt;
}

AccessPath AccessPath::anyElement(std::optional<Step> &FirstIndex) const {
  AccessPath Out = *this;
  FirstIndex.reset();
  for (Step &S : Out.Steps)
    if (S.Kind == StepKind::Index || S.Kind == StepKind::IndexVar) {
      if (!FirstIndex)
        FirstIndex = S;
      S = Step{StepKind::AnyIndex};
    }
  return Out;
}

bool operator<(const AccessPath &A, const AccessPath &B) {
  if (A.Root != B.Root)
    return std::less<const ValueDecl *>()(A.Root, B.Root);
  if (A.Steps.size() != B.Steps.size())
    return A.Steps.size() < B.Steps.size();
  for (size_t I = 0; I < A.Steps.size(); ++I) {
    const auto &X = A.Steps[I], &Y = B.Steps[I];
    if (std::tie(X.Kind, X.Index) != std::tie(Y.Kind, Y.Index))
      return std::tie(X.Kind, X.Index) < std::tie(Y.Kind, Y.Index);
    if (X.Decl != Y.Decl)
      return std::less<const ValueDecl *>()(X.Decl, Y.Decl);
  }
  return false;
}

llvm::hash_code hash_value(const AccessPath &P) {
  llvm::hash_code H = llvm::hash_value(P.Root);
  for (const auto &S : P.Steps)
    H = llvm::hash_combine(H, static_cast<unsigned>(S.Kind), S.Decl, S.Index);
  return H;
}

std::string AccessPath::str() const {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  // A lambda's captured 'this' reads as 'this', as in the lambda's body.
  const bool ThisLike = !Root || capturedThisOf();
  OS << (ThisLike ? llvm::StringRef("this") : Root->getName());
  bool PendingDeref = ThisLike;
  for (const Step &S : Steps) {
    switch (S.Kind) {
    case StepKind::Deref:
      PendingDeref = true;
      break;
    case StepKind::Field:
      OS << (PendingDeref ? "->" : ".") << S.Decl->getName();
      PendingDeref = false;
      break;
    case StepKind::Index:
      OS << '[' << S.Index << ']';
      break;
    case StepKind::IndexVar:
      OS << '[' << S.Decl->getName() << ']';
      break;
    case StepKind::AnyIndex:
      OS << "[]";
      break;
    }
  }
  // A bare 'this' path is the object itself, spelled "this"; a pointer
  // reached from it and dereferenced is "*this->p".
  if (PendingDeref && (!ThisLike || !Steps.empty()))
    Out.insert(0, "*");
  return Out;
}

std::string AccessPath::spelling() const {
  std::string Out = str();
  llvm::StringRef Member(Out);
  if (Member.consume_front("this->"))
    return Member.str();
  return Out;
}

} // namespace concheck::model
