//===--- LockSetAnalysis.cpp - Locks held at each point of a body ---------===//

#include "LockSetAnalysis.h"
#include "PathQuery.h"
#include "Reentrancy.h"
#include "Summary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>

using namespace clang;

namespace concheck::model {

void LockSet::add(const HeldLock &L, bool Again) {
  for (unsigned I = 0; I < Locks.size(); ++I)
    if (Locks[I].Mutex == L.Mutex) {
      Locks[I].Shared = Locks[I].Shared && L.Shared;
      if (Again)
        ++Extra[I];
      return;
    }
  auto It = llvm::lower_bound(Locks, L, [](const HeldLock &A, const HeldLock &B) {
    return A.Mutex < B.Mutex;
  });
  Extra.insert(Extra.begin() + (It - Locks.begin()), 0);
  Locks.insert(It, L);
}

void LockSet::remove(const AccessPath &Mutex) {
  for (unsigned I = 0; I < Locks.size(); ++I)
    if (Locks[I].Mutex == Mutex) {
      Locks.erase(Locks.begin() + I);
      Extra.erase(Extra.begin() + I);
      return;
    }
}

bool LockSet::releaseOne(const AccessPath &Mutex) {
  for (unsigned I = 0; I < Locks.size(); ++I)
    if (Locks[I].Mutex == Mutex) {
      if (Extra[I] > 0) {
        --Extra[I];
        return true;
      }
      Locks.erase(Locks.begin() + I);
      Extra.erase(Extra.begin() + I);
      return false;
    }
  return false;
}

bool LockSet::holds(const AccessPath &Mutex, bool Exclusive) const {
  for (const HeldLock &H : Locks)
    if (H.Mutex == Mutex)
      return !Exclusive || !H.Shared;
  return false;
}

unsigned LockSet::extraHolds(const AccessPath &Mutex) const {
  for (unsigned I = 0; I < Locks.size(); ++I)
    if (Locks[I].Mutex == Mutex)
      return Extra[I];
  return 0;
}

void LockSet::intersect(const LockSet &Other) {
  llvm::SmallVector<HeldLock, 2> Kept;
  llvm::SmallVector<unsigned, 2> KeptExtra;
  for (unsigned I = 0; I < Locks.size(); ++I)
    for (unsigned J = 0; J < Other.Locks.size(); ++J)
      if (Locks[I].Mutex == Other.Locks[J].Mutex) {
        Kept.push_back(
            {Locks[I].Mutex, Locks[I].Shared || Other.Locks[J].Shared});
        KeptExtra.push_back(std::min(Extra[I], Other.Extra[J]));
        break;
      }
  Locks = std::move(Kept);
  Extra = std::move(KeptExtra);
}

LockSetAnalysis::LockSetAnalysis(const BodyCFG &Body, const LockModel &Model,
                                 const Bindings *B, SummaryModel *Summaries)
    : Body(Body), Effects(Model, nullptr, Summaries, Body.callable(), B) {
  for (const HeldLock &L : Model.requiredOnEntry(Body.callable(), B))
    Entry.add(L);
  // The locks every caller holds, when the translation unit shows every
  // call (a static function).
  if (Summaries)
    for (const HeldLock &L : Summaries->lockedByEveryCaller(Body.callable())) {
      // In the terms \p B gives the body where it binds the lock's root (as
      // requiredOnEntry reads an attribute's argument).
      std::optional<AccessPath> M = B ? L.Mutex.substitute(*B) : std::nullopt;
      Entry.add({M ? std::move(*M) : L.Mutex, L.Shared});
    }
  run();
}

void LockSetAnalysis::acquire(State &S, const HeldLock &L, bool Again) const {
  S.Held.add(L, Again);
  S.Released.remove(L.Mutex);
}

void LockSetAnalysis::release(State &S, const AccessPath &Mutex) const {
  // A recursive mutex taken again is still held after one release.
  if (S.Held.extraHolds(Mutex) > 0) {
    S.Held.releaseOne(Mutex);
    return;
  }
  // A lock held on entry is the caller's: releasing it releases theirs.
  if (!S.Held.holds(Mutex) || Entry.holds(Mutex))
    S.Released.add({Mutex, false});
  S.Held.remove(Mutex);
}

bool LockSetAnalysis::again(const Effect &Eff) const {
  return !Eff.Adopt && !Eff.Asserted &&
         mayBeReentrant(Eff.MutexType, Eff.Lock.Mutex,
                        Body.callable()->getASTContext());
}

void LockSetAnalysis::transfer(const CFGElement &E, State &S) const {
  llvm::SmallVector<Effect, 2> Found;
  Effects.of(E, Found, BodyEffects::Locks);
  for (const Effect &Eff : Found) {
    switch (Eff.K) {
    case Effect::Acquire:
      if (Eff.Branches && TestedAcquires.contains(Eff.Site))
        break; // on its success edge (EdgeLocks)
      acquire(S, Eff.Lock, again(Eff));
      if (Eff.Asserted)
        Asserted.add(Eff.Lock);
      break;
    case Effect::Release:
      release(S, Eff.Lock.Mutex);
      break;
    case Effect::TryAcquire: // on its success edge (EdgeLocks)
      break;
    case Effect::GuardEnd:
      S.Held.releaseOne(Eff.Lock.Mutex);
      break;
    case Effect::GuardBind:
      S.Guards.push_back({Eff.Var, Eff.Lock});
      break;
    case Effect::GuardUnlock:
    case Effect::GuardRelock:
    case Effect::ScopeEnd:
      // A guard's end of scope releases what it holds, and so does its own
      // unlock(); its lock() takes it again.
      for (const auto &[Var, Lock] : S.Guards)
        if (Var == Eff.Var) {
          if (Eff.K == Effect::GuardRelock)
            acquire(S, Lock);
          else
            S.Held.releaseOne(Lock.Mutex);
        }
      break;
    case Effect::GuardForget:
      // release() hands the mutex back still locked: it stays held, now
      // manually.
      llvm::erase_if(S.Guards,
                     [&](const auto &G) { return G.first == Eff.Var; });
      break;
    case Effect::Done:
    case Effect::Wait:
      break;
    }
  }
}

LockSetAnalysis::State LockSetAnalysis::entryState(const CFGBlock *Blk,
                                                   bool SkipNoReturn) const {
  State Result;
  bool First = true;
  for (auto PI = Blk->pred_begin(), PE = Blk->pred_end(); PI != PE; ++PI) {
    const CFGBlock *P = PI->getReachableBlock();
    if (!P || (SkipNoReturn && P->hasNoReturnElement()))
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
          acquire(Edge, It->second.first, It->second.second);
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
    if (!Blk || Blk->succ_size() != 2 || !Blk->getLastCondition())
      continue;
    for (const CFGElement &E : *Blk) {
      llvm::SmallVector<Effect, 2> Found;
      Effects.of(E, Found, BodyEffects::Locks);
      for (const Effect &Eff : Found) {
        const auto *Call = dyn_cast_or_null<CallExpr>(Eff.Site);
        if ((Eff.K != Effect::TryAcquire && Eff.K != Effect::Acquire) ||
            !Eff.Branches || !Call)
          continue;
        if (std::optional<unsigned> Succ =
                branchWhenCallReturns(Body, Call, Eff.SuccessIsNonZero)) {
          EdgeLocks[{Blk->getBlockID(), *Succ}] = {Eff.Lock, again(Eff)};
          // A C lock whose status is tested: held on success only.
          if (Eff.K == Effect::Acquire)
            TestedAcquires.insert(Call);
        }
      }
    }
  }

  // Reverse post-order, iterated to a fixed point. Must-sets only shrink once
  // a block is reached, so this terminates.
  const PostOrderCFGView &RPO = Body.reversePostOrder();
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
        S.Held = Entry;
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
  // The returns only: a call that never returns (a failed assert's abort)
  // also leads to the CFG's exit, with whatever it held.
  const State S = entryState(&Body.cfg().getExit(), /*SkipNoReturn=*/true);
  if (!S.Reached)
    return std::nullopt;
  return std::make_pair(S.Held, S.Released);
}

} // namespace concheck::model
