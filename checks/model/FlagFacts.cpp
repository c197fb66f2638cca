//===--- FlagFacts.cpp - What a body's tests say of global mode flags -----===//

#include "FlagFacts.h"
#include "Summary.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"

using namespace clang;

namespace concheck::model {

bool operator<(const FlagTest &A, const FlagTest &B) {
  auto Key = [](const FlagTest &T) {
    return std::make_tuple(reinterpret_cast<uintptr_t>(T.Flag), T.Value,
                           T.Equal);
  };
  return Key(A) < Key(B);
}

bool contradicts(llvm::ArrayRef<FlagTest> Known,
                 llvm::ArrayRef<FlagTest> Required) {
  for (const FlagTest &R : Required)
    for (const FlagTest &K : Known)
      if (K.Flag == R.Flag && ((K.Value == R.Value && K.Equal != R.Equal) ||
                               (K.Equal && R.Equal && K.Value != R.Value)))
        return true;
  return false;
}

FlagTests commonTests(llvm::ArrayRef<FlagTest> A, llvm::ArrayRef<FlagTest> B) {
  FlagTests Out;
  for (const FlagTest &T : A)
    if (llvm::is_contained(B, T))
      Out.push_back(T);
  return Out;
}

/// Adds \p T to tests \p Known; false when they contradict it.
static bool addTest(FlagTests &Known, const FlagTest &T) {
  if (contradicts(Known, {T}))
    return false;
  if (T.Equal) {
    // Equal to one value: every other test of the flag is implied.
    llvm::erase_if(Known, [&](const FlagTest &K) { return K.Flag == T.Flag; });
  } else if (llvm::any_of(Known, [&](const FlagTest &K) {
               return K.Flag == T.Flag && (K.Equal || K.Value == T.Value);
             })) {
    return true; // implied by what is known
  }
  Known.insert(llvm::upper_bound(Known, T), T);
  return true;
}

static void forget(FlagTests &Known, const VarDecl *Flag) {
  llvm::erase_if(Known, [&](const FlagTest &K) { return K.Flag == Flag; });
}

/// A value \p Callable may treat as a mode flag: a plain (not atomic, not
/// const) integer, enum or bool variable of static storage, or a by-value
/// parameter of \p Callable of such a type.
static const VarDecl *flagOf(const Expr *E, const FunctionDecl *Callable) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V)
    return nullptr;
  if (const auto *P = dyn_cast<ParmVarDecl>(V)) {
    if (P->getDeclContext() != Callable)
      return nullptr;
  } else if (!V->hasGlobalStorage() || V->isStaticLocal()) {
    return nullptr;
  }
  const QualType T = V->getType();
  if (T.isConstQualified() || T.isVolatileQualified() ||
      !T->isIntegralOrEnumerationType())
    return nullptr;
  return V->getCanonicalDecl();
}

/// What \p Cond states when true, if it tests one flag against a constant.
static std::optional<FlagTest> flagTestOf(const Expr *Cond,
                                          const FunctionDecl *Callable) {
  std::optional<ConstantTest> T =
      constantTest(Cond, Callable->getASTContext(), [&](const Expr *E) {
        return flagOf(E, Callable) != nullptr;
      });
  if (!T)
    return std::nullopt;
  return FlagTest{flagOf(T->Operand, Callable), T->Value, T->Equal};
}

/// Whether \p T holds of the value \p V.
static bool holdsOf(const FlagTest &T, int64_t V) {
  return (V == T.Value) == T.Equal;
}

std::optional<FlagTest> FlagFacts::testOf(const Expr *Cond) const {
  std::optional<FlagTest> T = flagTestOf(Cond, Body.callable());
  if (T && !llvm::is_contained(Flags, T->Flag))
    return std::nullopt;
  return T;
}

const VarDecl *FlagFacts::argumentFlag(const CallExpr *Call,
                                       const FunctionDecl *Callee,
                                       const VarDecl *Flag,
                                       const Expr **Arg) const {
  const auto *P = dyn_cast<ParmVarDecl>(Flag);
  if (!P)
    return Flag; // a global is itself everywhere
  *Arg = nullptr;
  const CallOperands Ops = operandsOf(Call, Callee);
  const unsigned I = P->getFunctionScopeIndex();
  if (P->getDeclContext() != Callee || I >= Ops.Args.size())
    return nullptr;
  *Arg = Ops.Args[I];
  return flagOf(Ops.Args[I], Body.callable());
}

FlagFacts::FlagFacts(const BodyCFG &Body, SummaryModel *Summaries)
    : Body(Body), Summaries(Summaries) {
  const CFG &G = Body.cfg();
  const FunctionDecl *Callable = Body.callable();
  // The flags: those the body tests, and those its callees require (a
  // callee's parameter stands for what the call passes it). Not one whose
  // address the body takes: it may change through the pointer.
  llvm::SmallPtrSet<const VarDecl *, 4> AddressTaken;
  auto Track = [&](const VarDecl *F) {
    if (F && !llvm::is_contained(Flags, F))
      Flags.push_back(F);
  };
  for (const CFGBlock *B : G) {
    if (!B)
      continue;
    if (B->succ_size() == 2)
      if (const Expr *Cond = B->getLastCondition())
        if (std::optional<FlagTest> T = flagTestOf(Cond, Callable))
          Track(T->Flag);
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> S = E.getAs<CFGStmt>();
      if (!S)
        continue;
      if (const auto *UO = dyn_cast<UnaryOperator>(S->getStmt());
          UO && UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *F = flagOf(UO->getSubExpr(), Callable))
          AddressTaken.insert(F);
      const auto *Call = dyn_cast<CallExpr>(S->getStmt());
      const FunctionDecl *Callee =
          Call && Summaries ? Summaries->calleeOf(Call) : nullptr;
      const FunctionSummary *Sum =
          Callee ? Summaries->summaryOf(Callee) : nullptr;
      if (!Sum)
        continue;
      for (const FunctionSummary::Entry &En : Sum->Accesses)
        for (const FlagTest &T : En.Requires) {
          const Expr *Arg = nullptr;
          Track(argumentFlag(Call, Callee, T.Flag, &Arg));
        }
    }
  }
  llvm::erase_if(Flags,
                 [&](const VarDecl *F) { return AddressTaken.contains(F); });
  if (Flags.empty())
    return;

  // Reverse post-order to a fixed point: the known tests only shrink and the
  // written flags only grow once a block is reached.
  const unsigned N = G.getNumBlockIDs();
  In.assign(N, State());
  std::vector<State> Out(N);
  const PostOrderCFGView &RPO = Body.reversePostOrder();
  bool Changed = true;
  for (unsigned Round = 0; Changed; ++Round) {
    if (Round == MaxRounds)
      return; // stays Off: nothing is claimed
    Changed = false;
    for (const CFGBlock *Blk : RPO) {
      State S;
      if (Blk == &G.getEntry()) {
        S.Reached = true;
      } else {
        bool First = true;
        for (const CFGBlock *P : Blk->preds()) {
          if (!P || !Out[P->getBlockID()].Reached)
            continue;
          State Edge = Out[P->getBlockID()];
          // What the branch at the end of P says on the edge to Blk.
          if (P->succ_size() == 2)
            if (const Expr *Cond = P->getLastCondition())
              if (std::optional<FlagTest> T = testOf(Cond)) {
                const bool TrueEdge =
                    P->succ_begin()->getReachableBlock() == Blk;
                const bool FalseEdge =
                    (P->succ_begin() + 1)->getReachableBlock() == Blk;
                if (TrueEdge != FalseEdge) {
                  if (FalseEdge)
                    T->Equal = !T->Equal;
                  if (!addTest(Edge.Known, *T))
                    continue; // this side is never taken
                }
              }
          if (First) {
            S = std::move(Edge);
            First = false;
            continue;
          }
          S.Known = commonTests(S.Known, Edge.Known);
          for (const VarDecl *W : Edge.Written)
            if (!llvm::is_contained(S.Written, W))
              S.Written.insert(llvm::upper_bound(S.Written, W), W);
        }
        if (First)
          continue;
        S.Reached = true;
      }
      In[Blk->getBlockID()] = S;
      for (const CFGElement &E : *Blk)
        transfer(E, S);
      State &O = Out[Blk->getBlockID()];
      if (!O.Reached || O.Known != S.Known || O.Written != S.Written) {
        O = std::move(S);
        Changed = true;
      }
    }
  }
  Off = false;
}

void FlagFacts::written(State &S, const VarDecl *Flag) const {
  forget(S.Known, Flag);
  if (!llvm::is_contained(S.Written, Flag))
    S.Written.insert(llvm::upper_bound(S.Written, Flag), Flag);
}

void FlagFacts::transfer(const CFGElement &E, State &S) const {
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  auto Tracked = [&](const Expr *X) -> const VarDecl * {
    const VarDecl *F = flagOf(X, Body.callable());
    return F && llvm::is_contained(Flags, F) ? F : nullptr;
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (!BO->isAssignmentOp())
      return;
    if (const VarDecl *F = Tracked(BO->getLHS())) {
      written(S, F);
      if (BO->getOpcode() == BO_Assign)
        if (std::optional<int64_t> V =
                integerConstant(BO->getRHS(), Body.callable()->getASTContext()))
          addTest(S.Known, FlagTest{F, *V, true});
    }
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
      if (const VarDecl *F = Tracked(UO->getSubExpr()))
        written(S, F);
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(St);
  if (!Call || !Summaries)
    return;
  const FunctionDecl *Callee = Summaries->calleeOf(Call);
  const FunctionSummary *Sum = Callee ? Summaries->summaryOf(Callee) : nullptr;
  if (!Sum)
    return; // unseen: taken not to change a mode flag (see the header)
  for (const VarDecl *F : Flags)
    if (isa<ParmVarDecl>(F))
      continue; // a callee cannot reach it (its address is not taken)
    else if (Sum->Truncated ||
             llvm::any_of(Sum->Accesses, [&](const FunctionSummary::Entry &En) {
               return En.A.Write && En.A.Location.steps().empty() &&
                      En.A.Location.root() &&
                      En.A.Location.root()->getCanonicalDecl() == F;
             }))
      written(S, F);
}

const std::optional<FlagFacts::State> &
FlagFacts::stateAt(const Stmt *St) const {
  if (Off || St == CachedAt)
    return Cached; // none when Off
  CachedAt = St;
  Cached.reset();
  std::optional<CFGPoint> P = Body.pointOf(St);
  if (!P)
    return Cached;
  Cached = In[P->Block->getBlockID()];
  for (unsigned I = 0; Cached->Reached && I < P->Index; ++I)
    transfer((*P->Block)[I], *Cached);
  return Cached;
}

bool FlagFacts::infeasible(const Stmt *St) const {
  if (Off)
    return false;
  const std::optional<State> &S = stateAt(St);
  if (!S || S->Reached)
    return false;
  // Unreached: every way there takes a side its tests rule out; a block
  // the CFG never reaches at all is left to the others to judge.
  std::optional<CFGPoint> P = Body.pointOf(St);
  return P && Body.reaches(&Body.cfg().getEntry(), P->Block);
}

FlagTests FlagFacts::onEntryAt(const Stmt *St) const {
  const std::optional<State> &S = stateAt(St);
  FlagTests Out;
  if (!S || !S->Reached)
    return Out;
  for (const FlagTest &T : S->Known)
    if (!llvm::is_contained(S->Written, T.Flag))
      Out.push_back(T);
  return Out;
}

std::optional<FlagTests>
FlagFacts::requiredAt(const CallExpr *Call, const FunctionDecl *Callee,
                      llvm::ArrayRef<FlagTest> Required) const {
  const std::optional<State> &S = stateAt(Call);
  FlagTests Out;
  if (S && !S->Reached)
    return std::nullopt;
  if (S)
    for (const FlagTest &T : S->Known)
      if (!llvm::is_contained(S->Written, T.Flag))
        Out.push_back(T);
  for (FlagTest T : Required) {
    const Expr *Arg = nullptr;
    const VarDecl *F = argumentFlag(Call, Callee, T.Flag, &Arg);
    if (!F) {
      // A constant argument decides the test; anything else says nothing.
      if (Arg && !Arg->isValueDependent())
        if (std::optional<int64_t> V =
                integerConstant(Arg, Body.callable()->getASTContext()))
          if (!holdsOf(T, *V))
            return std::nullopt;
      continue;
    }
    T.Flag = F;
    if (!S || !llvm::is_contained(Flags, F))
      continue; // not followed here: no claim
    if (contradicts(S->Known, {T}))
      return std::nullopt;
    if (!llvm::is_contained(S->Written, F) && !llvm::is_contained(Out, T))
      Out.insert(llvm::upper_bound(Out, T), T);
  }
  return Out;
}

} // namespace concheck::model
