//===--- Effects.cpp - What one element of a body's CFG does --------------===//

#include "Effects.h"
#include "BodyCFG.h"
#include "Summary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace concheck::model {

BodyEffects::BodyEffects(const LockModel &LockM, const WaitGroupModel *GroupM,
                         SummaryModel *Summaries, const FunctionDecl *Body,
                         const Bindings *B, llvm::ArrayRef<DoneGuard> Guards)
    : LockM(LockM), GroupM(GroupM), Summaries(Summaries), Body(Body), B(B),
      DoneGuards(Guards.begin(), Guards.end()) {}

void BodyEffects::of(const CFGElement &E, llvm::SmallVectorImpl<Effect> &Out,
                     unsigned Want) const {
  if (Want & Locks)
    lockEffects(E, Out);
  if ((Want & Groups) && GroupM)
    groupEffects(E, Out);
}

static Effect lockEffect(Effect::Kind K, const HeldLock &L,
                         const Expr *Site = nullptr,
                         const CallExpr *Via = nullptr) {
  Effect Eff{K};
  Eff.Lock = L;
  Eff.Site = Site;
  Eff.Via = Via;
  return Eff;
}

static Effect varEffect(Effect::Kind K, const VarDecl *Var,
                        const Expr *Site = nullptr) {
  Effect Eff{K};
  Eff.Var = Var;
  Eff.Site = Site;
  return Eff;
}

/// The type of the mutex \p Op locks: the one it names, else its operand's
/// (a pointer's pointee for the C functions).
static QualType mutexTypeOf(const LockOp &Op) {
  if (!Op.MutexType.isNull())
    return Op.MutexType;
  if (!Op.MutexExpr)
    return QualType();
  QualType T = Op.MutexExpr->getType().getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T;
}

/// The guard variable a member call is made on (lk in lk.unlock()).
static const VarDecl *guardVarOf(const CXXMemberCallExpr *Call) {
  const Expr *Obj = Call->getImplicitObjectArgument();
  if (!Obj)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts());
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

void BodyEffects::lockEffects(const CFGElement &E,
                              llvm::SmallVectorImpl<Effect> &Out) const {
  if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
    Out.push_back(varEffect(Effect::ScopeEnd, D->getVarDecl()));
    return;
  }
  if (std::optional<CFGTemporaryDtor> T = E.getAs<CFGTemporaryDtor>()) {
    // An unnamed guard unlocks at the end of its full-expression.
    const CXXBindTemporaryExpr *Bind = T->getBindTemporaryExpr();
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
            Bind ? Bind->getSubExpr()->IgnoreParenImpCasts() : nullptr))
      for (const LockOp &Op : LockM.classify(CE, B))
        if (Op.Mutex && Op.K != LockOp::GuardDefer)
          Out.push_back(lockEffect(Effect::GuardEnd, {*Op.Mutex, Op.Shared}));
    return;
  }
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();

  // A guard variable's declaration binds it to the mutexes its
  // initialization took (the construction or call is an element of its own,
  // just before): a known guard type; a guard returned by a function; a
  // variable of a class whose constructor locks what it is handed and whose
  // destructor lets go (a lock wrapper, whatever it is named).
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || !VD->getInit())
        continue;
      const Expr *Init = stripWrappers(VD->getInit());
      const auto *CE = dyn_cast<CXXConstructExpr>(Init);
      auto Bind = [&](const HeldLock &L) {
        Effect Eff = varEffect(Effect::GuardBind, VD, Init);
        Eff.Lock = L;
        Out.push_back(std::move(Eff));
      };
      if (LockM.isGuardType(VD->getType())) {
        if (CE)
          for (const LockOp &Op : LockM.classify(CE, B))
            if (Op.Mutex)
              Bind({*Op.Mutex, Op.Shared});
        if (const auto *Call = dyn_cast<CallExpr>(Init); Call && Summaries)
          if (std::optional<HeldLock> L = Summaries->returnedGuardOf(Call, B))
            Bind(*L);
        continue;
      }
      const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
      llvm::SmallVector<HeldLock, 2> Acquired;
      if (CE && RD && !RD->hasTrivialDestructor() && Summaries &&
          Summaries->constructorEffectOf(CE, B, Acquired))
        for (const HeldLock &L : Acquired)
          Bind(L);
    }
    return;
  }

  const auto *Ex = dyn_cast<Expr>(St);
  if (!Ex)
    return;

  // std::unique_lock / std::shared_lock members.
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Ex)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    if (MD && MD->getDeclName().isIdentifier() &&
        LockM.isMovableGuardRecord(MD->getParent())) {
      const VarDecl *Guard = guardVarOf(MCE);
      StringRef Name = MD->getName();
      // try_lock() takes it on its success edge only, which the guard's own
      // owns_lock() would tell: not followed.
      if (Guard && Name == "unlock")
        Out.push_back(varEffect(Effect::GuardUnlock, Guard, MCE));
      else if (Guard && Name == "lock")
        Out.push_back(varEffect(Effect::GuardRelock, Guard, MCE));
      else if (Guard && Name == "release")
        Out.push_back(varEffect(Effect::GuardForget, Guard, MCE));
      return;
    }
  }

  if (!isa<CallExpr, CXXConstructExpr>(Ex))
    return;
  // One-shot claims of atomic flags count for the lock sets.
  llvm::SmallVector<LockOp, 1> Ops = LockM.classify(Ex, B, /*WithClaims=*/true);
  if (Ops.empty()) {
    // A call's own effect, from its callee's summary: what a lock helper
    // leaves held, what an unlock helper releases, the lock of a returned
    // guard (bound to its variable by the declaration that follows).
    if (!Summaries)
      return;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Ex)) {
      llvm::SmallVector<HeldLock, 2> Acquired;
      if (Summaries->constructorEffectOf(CE, B, Acquired))
        for (const HeldLock &L : Acquired)
          Out.push_back(lockEffect(Effect::Acquire, L, CE));
      return;
    }
    const auto *Call = cast<CallExpr>(Ex);
    llvm::SmallVector<AccessPath, 2> Released;
    llvm::SmallVector<HeldLock, 2> Acquired;
    if (Summaries->lockEffectOf(Call, B, Released, Acquired)) {
      for (const AccessPath &M : Released)
        Out.push_back(lockEffect(Effect::Release, {M, false}, Call, Call));
      for (const HeldLock &L : Acquired)
        Out.push_back(lockEffect(Effect::Acquire, L, Call, Call));
    }
    if (std::optional<HeldLock> L = Summaries->returnedGuardOf(Call, B))
      Out.push_back(lockEffect(Effect::Acquire, *L, Call, Call));
    return;
  }
  for (const LockOp &Op : Ops) {
    if (!Op.Mutex)
      continue;
    const HeldLock L{*Op.Mutex, Op.Shared};
    switch (Op.K) {
    case LockOp::Acquire:
    case LockOp::GuardAcquire: {
      Effect Eff = lockEffect(Effect::Acquire, L, Op.Site);
      Eff.MutexType = mutexTypeOf(Op);
      Eff.Branches = Op.ReturnsStatus;
      Eff.SuccessIsNonZero = Op.SuccessIsNonZero;
      Out.push_back(std::move(Eff));
      break;
    }
    case LockOp::GuardAdopt: {
      Effect Eff = lockEffect(Effect::Acquire, L, Op.Site);
      Eff.Adopt = true;
      Out.push_back(std::move(Eff));
      break;
    }
    case LockOp::Release:
      Out.push_back(lockEffect(Effect::Release, L, Op.Site));
      break;
    case LockOp::TryAcquire:
    case LockOp::GuardTryAcquire: {
      Effect Eff = lockEffect(Effect::TryAcquire, L, Op.Site);
      Eff.MutexType = mutexTypeOf(Op);
      // std::try_lock returns -1 on success: no branch to follow; a guard's
      // try_to_lock tells through owns_lock(), not followed either.
      Eff.Branches =
          Op.K == LockOp::TryAcquire && Op.Function != "std::try_lock";
      Eff.SuccessIsNonZero = Op.SuccessIsNonZero;
      Out.push_back(std::move(Eff));
      break;
    }
    case LockOp::Assert: {
      Effect Eff = lockEffect(Effect::Acquire, L, Op.Site);
      Eff.Asserted = true;
      Out.push_back(std::move(Eff));
      break;
    }
    case LockOp::GuardDefer:
      break;
    }
  }
}

llvm::ArrayRef<Effect>
BodyEffects::callGroupEffects(const CallExpr *Call) const {
  auto [It, Inserted] = CallGroups.try_emplace(Call);
  if (Inserted && Summaries)
    for (FunctionSummary::GroupEffect &GE :
         Summaries->groupEffectsOf(Call, Body, B)) {
      Effect Eff{GE.K == GroupOp::Done ? Effect::Done : Effect::Wait};
      Eff.Group = std::move(GE.Group);
      Eff.Site = GE.Op;
      Eff.Via = Call;
      It->second.push_back(std::move(Eff));
    }
  return It->second;
}

void BodyEffects::groupEffects(const CFGElement &E,
                               llvm::SmallVectorImpl<Effect> &Out) const {
  if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
    for (const DoneGuard &DG : DoneGuards)
      if (DG.Var == D->getVarDecl()) {
        Effect Eff{Effect::Done};
        Eff.Group = DG.Group;
        Eff.Var = DG.Var;
        Out.push_back(std::move(Eff));
      }
    return;
  }
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  if (!S)
    return;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S->getStmt()))
    if (std::optional<GroupOp> Op = GroupM->classify(MCE, B)) {
      if (!Op->Group)
        return;
      for (Effect::Kind K : {Effect::Done, Effect::Wait})
        if (K == Effect::Done ? Op->counts() : Op->waits()) {
          Effect Eff{K};
          Eff.Group = *Op->Group;
          Eff.Site = MCE;
          Out.push_back(std::move(Eff));
        }
      return;
    }
  if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
    Out.append(callGroupEffects(Call).begin(), callGroupEffects(Call).end());
}

bool BodyEffects::countsDown(const CFGElement &E, const AccessPath &G) const {
  llvm::SmallVector<Effect, 2> Found;
  of(E, Found, Groups);
  return llvm::any_of(Found, [&](const Effect &Eff) {
    return Eff.K == Effect::Done && Eff.Group == G;
  });
}

bool BodyEffects::releases(const CFGElement &E, const AccessPath &Mutex) const {
  llvm::SmallVector<Effect, 2> Found;
  lockEffects(E, Found);
  return llvm::any_of(Found, [&](const Effect &Eff) {
    return Eff.Lock.Mutex == Mutex && (Eff.K == Effect::Release ||
                                       (Eff.K == Effect::Acquire && Eff.Adopt));
  });
}

bool BodyEffects::locks(const CFGElement &E, const AccessPath &Mutex) const {
  llvm::SmallVector<Effect, 2> Found;
  lockEffects(E, Found);
  return llvm::any_of(Found, [&](const Effect &Eff) {
    return Eff.Lock.Mutex == Mutex && !Eff.Asserted &&
           (Eff.K == Effect::Acquire || Eff.K == Effect::TryAcquire);
  });
}

} // namespace concheck::model
