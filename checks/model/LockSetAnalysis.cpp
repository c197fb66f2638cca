//===--- LockSetAnalysis.cpp - Locks held at each point of a body ---------===//

#include "LockSetAnalysis.h"
#include "PathQuery.h"
#include "Summary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>

using namespace clang;

namespace concheck::model {

void LockSet::add(const HeldLock &L) {
  for (HeldLock &H : Locks)
    if (H.Mutex == L.Mutex) {
      H.Shared = H.Shared && L.Shared;
      return;
    }
  auto It = llvm::lower_bound(Locks, L, [](const HeldLock &A, const HeldLock &B) {
    return A.Mutex < B.Mutex;
  });
  Locks.insert(It, L);
}

void LockSet::remove(const AccessPath &Mutex) {
  llvm::erase_if(Locks, [&](const HeldLock &H) { return H.Mutex == Mutex; });
}

bool LockSet::holds(const AccessPath &Mutex, bool Exclusive) const {
  for (const HeldLock &H : Locks)
    if (H.Mutex == Mutex)
      return !Exclusive || !H.Shared;
  return false;
}

void LockSet::intersect(const LockSet &Other) {
  llvm::SmallVector<HeldLock, 2> Kept;
  for (const HeldLock &H : Locks)
    for (const HeldLock &O : Other.Locks)
      if (H.Mutex == O.Mutex) {
        Kept.push_back({H.Mutex, H.Shared || O.Shared});
        break;
      }
  Locks = std::move(Kept);
}

LockSetAnalysis::LockSetAnalysis(const BodyCFG &Body, const LockModel &Model,
                                 const Bindings *B, SummaryModel *Summaries)
    : Body(Body), Model(Model), B(B), Summaries(Summaries) {
  run();
}

void LockSetAnalysis::acquire(State &S, const HeldLock &L) const {
  S.Held.add(L);
  S.Released.remove(L.Mutex);
}

void LockSetAnalysis::release(State &S, const AccessPath &Mutex) const {
  if (S.Held.holds(Mutex))
    S.Held.remove(Mutex);
  else
    S.Released.add({Mutex, false});
}

/// The guard variable a member call is made on (lk in lk.unlock()).
static const VarDecl *guardVarOf(const CXXMemberCallExpr *Call) {
  const Expr *Obj = Call->getImplicitObjectArgument();
  if (!Obj)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts());
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

void LockSetAnalysis::transfer(const CFGElement &E, State &S) const {
  if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
    // A guard's end of scope releases what it holds.
    for (const auto &[Var, Lock] : S.Guards)
      if (Var == D->getVarDecl())
        S.Held.remove(Lock.Mutex);
    return;
  }
  if (std::optional<CFGTemporaryDtor> T = E.getAs<CFGTemporaryDtor>()) {
    // An unnamed guard unlocks at the end of its full-expression.
    const CXXBindTemporaryExpr *Bind = T->getBindTemporaryExpr();
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
            Bind ? Bind->getSubExpr()->IgnoreParenImpCasts() : nullptr))
      for (const LockOp &Op : Model.classify(CE, B))
        if (Op.Mutex && Op.K != LockOp::GuardDefer)
          S.Held.remove(*Op.Mutex);
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
      if (Model.isGuardType(VD->getType())) {
        if (CE)
          for (const LockOp &Op : Model.classify(CE, B))
            if (Op.Mutex)
              S.Guards.push_back({VD, HeldLock{*Op.Mutex, Op.Shared}});
        if (const auto *Call = dyn_cast<CallExpr>(Init); Call && Summaries)
          if (std::optional<HeldLock> L = Summaries->returnedGuardOf(Call, B))
            S.Guards.push_back({VD, *L});
        continue;
      }
      const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
      llvm::SmallVector<HeldLock, 2> Acquired;
      if (CE && RD && !RD->hasTrivialDestructor() && Summaries &&
          Summaries->constructorEffectOf(CE, B, Acquired))
        for (const HeldLock &L : Acquired)
          S.Guards.push_back({VD, L});
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
        Model.isMovableGuardRecord(MD->getParent())) {
      const VarDecl *Guard = guardVarOf(MCE);
      StringRef Name = MD->getName();
      for (const auto &[Var, Lock] : S.Guards) {
        if (Var != Guard)
          continue;
        if (Name == "unlock")
          S.Held.remove(Lock.Mutex);
        else if (Name == "lock")
          acquire(S, Lock);
        // release() hands the mutex back still locked: it stays held, now
        // manually; try_lock() takes it on its success edge only.
      }
      if (Name == "release")
        llvm::erase_if(S.Guards, [&](const auto &G) { return G.first == Guard; });
      return;
    }
  }

  if (!isa<CallExpr, CXXConstructExpr>(Ex))
    return;
  llvm::SmallVector<LockOp, 1> Ops = Model.classify(Ex, B);
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
          acquire(S, L);
      return;
    }
    const auto *Call = cast<CallExpr>(Ex);
    llvm::SmallVector<AccessPath, 2> Released;
    llvm::SmallVector<HeldLock, 2> Acquired;
    if (Summaries->lockEffectOf(Call, B, Released, Acquired)) {
      for (const AccessPath &M : Released)
        release(S, M);
      for (const HeldLock &L : Acquired)
        acquire(S, L);
    }
    if (std::optional<HeldLock> L = Summaries->returnedGuardOf(Call, B))
      acquire(S, *L);
    return;
  }
  for (const LockOp &Op : Ops) {
    if (!Op.Mutex)
      continue;
    switch (Op.K) {
    case LockOp::Acquire:
    case LockOp::GuardAcquire:
    case LockOp::GuardAdopt:
      acquire(S, {*Op.Mutex, Op.Shared});
      break;
    case LockOp::Release:
      release(S, *Op.Mutex);
      break;
    case LockOp::TryAcquire:      // on its success edge (EdgeLocks)
    case LockOp::GuardTryAcquire: // owns_lock() unknown: not held
    case LockOp::GuardDefer:
      break;
    }
  }
}

LockSetAnalysis::State LockSetAnalysis::entryState(const CFGBlock *Blk) const {
  State Result;
  bool First = true;
  for (auto PI = Blk->pred_begin(), PE = Blk->pred_end(); PI != PE; ++PI) {
    const CFGBlock *P = PI->getReachableBlock();
    if (!P)
      continue;
    const State &PO = Out[P->getBlockID()];
    if (!PO.Reached)
      continue;
    State Edge = PO;
    // Which successor of P is Blk (for try_lock success edges).
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : P->succs()) {
      if (Succ.getReachableBlock() == Blk) {
        auto It = EdgeLocks.find({P->getBlockID(), Index});
        if (It != EdgeLocks.end())
          acquire(Edge, It->second);
        break;
      }
      ++Index;
    }
    if (First) {
      Result = std::move(Edge);
      First = false;
      continue;
    }
    Result.Held.intersect(Edge.Held);
    Result.Released.intersect(Edge.Released);
    for (const auto &G : Edge.Guards)
      if (llvm::find(Result.Guards, G) == Result.Guards.end())
        Result.Guards.push_back(G);
  }
  Result.Reached = !First;
  return Result;
}

void LockSetAnalysis::run() {
  const CFG &G = Body.cfg();
  const unsigned N = G.getNumBlockIDs();
  In.assign(N, State());
  Out.assign(N, State());

  // try_lock success edges.
  for (const CFGBlock *Blk : G) {
    if (!Blk || Blk->succ_size() != 2)
      continue;
    const Expr *Cond = Blk->getLastCondition();
    if (!Cond)
      continue;
    for (const CFGElement &E : *Blk) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const auto *Call = dyn_cast<CallExpr>(CS->getStmt());
      if (!Call)
        continue;
      for (const LockOp &Op : Model.classify(Call, B)) {
        if (Op.K != LockOp::TryAcquire || !Op.Mutex ||
            Op.Function == "std::try_lock")
          continue;
        if (std::optional<unsigned> Succ =
                branchWhenCallReturns(Body, Call, Op.SuccessIsNonZero))
          EdgeLocks[{Blk->getBlockID(), *Succ}] = {*Op.Mutex, Op.Shared};
      }
    }
  }

  // Reverse post-order, iterated to a fixed point. Must-sets only shrink once
  // a block is reached, so this terminates.
  // Reverse post-order by hand: the CFG's graph traits hand out null
  // successors for pruned edges, which LLVM's generic traversal cannot skip.
  std::vector<const CFGBlock *> RPO;
  {
    llvm::SmallPtrSet<const CFGBlock *, 32> Seen;
    llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 32> Stack;
    Stack.push_back({&G.getEntry(), 0});
    Seen.insert(&G.getEntry());
    while (!Stack.empty()) {
      auto &[Blk, Next] = Stack.back();
      if (Next < Blk->succ_size()) {
        const CFGBlock *Succ = (Blk->succ_begin() + Next)->getReachableBlock();
        ++Next;
        if (Succ && Seen.insert(Succ).second)
          Stack.push_back({Succ, 0});
        continue;
      }
      RPO.push_back(Blk);
      Stack.pop_back();
    }
    std::reverse(RPO.begin(), RPO.end());
  }
  bool Changed = true;
  unsigned Rounds = 0;
  while (Changed) {
    if (Rounds++ == MaxRounds) {
      Truncated = true; // said, not silent: see truncated()
      break;
    }
    Changed = false;
    for (const CFGBlock *Blk : RPO) {
      State S;
      if (Blk == &G.getEntry()) {
        S.Reached = true;
      } else {
        S = entryState(Blk);
        if (!S.Reached)
          continue;
      }
      In[Blk->getBlockID()] = S;
      for (const CFGElement &E : *Blk)
        transfer(E, S);
      State &O = Out[Blk->getBlockID()];
      if (!O.Reached || O.Held != S.Held || O.Released != S.Released ||
          O.Guards.size() != S.Guards.size()) {
        O = std::move(S);
        Changed = true;
      }
    }
  }
}

std::optional<LockSetAnalysis::State>
LockSetAnalysis::stateAt(const Stmt *St) const {
  std::optional<CFGPoint> P = Body.pointOf(St);
  if (!P)
    return std::nullopt;
  State S = In[P->Block->getBlockID()];
  if (!S.Reached)
    return std::nullopt;
  for (unsigned I = 0; I < P->Index; ++I)
    transfer((*P->Block)[I], S);
  return S;
}

std::optional<LockSet> LockSetAnalysis::heldAt(const Stmt *St) const {
  if (std::optional<State> S = stateAt(St))
    return std::move(S->Held);
  return std::nullopt;
}

std::optional<std::pair<LockSet, LockSet>>
LockSetAnalysis::locksAt(const Stmt *St) const {
  if (std::optional<State> S = stateAt(St))
    return std::make_pair(std::move(S->Held), std::move(S->Released));
  return std::nullopt;
}

std::optional<std::pair<LockSet, LockSet>> LockSetAnalysis::atExit() const {
  const State &S = In[Body.cfg().getExit().getBlockID()];
  if (!S.Reached)
    return std::nullopt;
  return std::make_pair(S.Held, S.Released);
}

} // namespace concheck::model
