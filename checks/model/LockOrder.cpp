//===--- LockOrder.cpp - Which mutexes a function takes, and in what order ===//

#include "LockOrder.h"
#include "BodyCFG.h"
#include "Effects.h"
#include "SpawnModel.h"
#include "Summary.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"
#include <optional>
#include <set>
#include <string>
#include <tuple>

using namespace clang;

namespace concheck::model {

namespace {
/// The map of one callee's paths into a caller's terms.
struct PathMap {
  const Bindings &B;
  const FunctionDecl *Callee;
  std::optional<AccessPath> operator()(const AccessPath &P) const {
    return SummaryModel::mapToCaller(P, B, Callee);
  }
  std::optional<HeldLock> operator()(const HeldLock &L) const {
    if (std::optional<AccessPath> M = (*this)(L.Mutex))
      return HeldLock{std::move(*M), L.Shared};
    return std::nullopt;
  }
  LockSet operator()(const LockSet &S) const {
    LockSet Out;
    for (const HeldLock &L : S.locks())
      if (std::optional<HeldLock> M = (*this)(L))
        Out.add(*M);
    return Out;
  }
};

/// Gathers one function's summary, keeping its lists unique and bounded.
class Builder {
public:
  explicit Builder(LockOrderSummary &S) : S(S) {}

  void acquisition(Acquisition A) {
    auto Key = std::make_tuple(A.Lock.Mutex.str(), A.Site,
                               static_cast<const void *>(A.anchor()));
    if (S.Acquisitions.size() >= LockOrderModel::MaxEntries ||
        !SeenAcq.insert(Key).second)
      return;
    S.Acquisitions.push_back(std::move(A));
  }
  /// Returns the index of the edge, or none when it was there already.
  std::optional<size_t> edge(OrderEdge E) {
    auto Key = std::make_tuple(E.First.Mutex.str(), E.Second.Mutex.str(),
                               E.FirstSite, E.SecondSite);
    if (S.Edges.size() >= LockOrderModel::MaxEntries ||
        !SeenEdge.insert(Key).second)
      return std::nullopt;
    S.Edges.push_back(std::move(E));
    return S.Edges.size() - 1;
  }

private:
  LockOrderSummary &S;
  std::set<std::tuple<std::string, const Expr *, const void *>> SeenAcq;
  std::set<std::tuple<std::string, std::string, const Expr *, const Expr *>>
      SeenEdge;
};
} // namespace

const LockOrderSummary &LockOrderModel::of(const FunctionDecl *FD) {
  if (!FD)
    return Empty;
  FD = FD->getDefinition() ? FD->getDefinition() : FD;
  auto It = Cache.find(FD);
  if (It != Cache.end())
    return It->second ? *It->second : Empty;
  // On the walk: a cycle says nothing more (see the header).
  Cache[FD] = nullptr;
  std::unique_ptr<LockOrderSummary> S = compute(FD);
  std::unique_ptr<LockOrderSummary> &Slot = Cache[FD];
  Slot = std::move(S);
  return Slot ? *Slot : Empty;
}

LockOrderSummary LockOrderModel::mapped(const LockOrderSummary &S,
                                        const Bindings &B,
                                        const FunctionDecl *Callee) const {
  const PathMap Map{B, Callee};
  LockOrderSummary Out;
  Builder Add(Out);
  for (const Acquisition &A : S.Acquisitions) {
    std::optional<HeldLock> L = Map(A.Lock);
    if (!L)
      continue;
    Acquisition M = A;
    M.Lock = std::move(*L);
    M.Held = Map(A.Held);
    M.Released = Map(A.Released);
    Add.acquisition(std::move(M));
  }
  for (const OrderEdge &E : S.Edges) {
    std::optional<HeldLock> First = Map(E.First), Second = Map(E.Second);
    if (!First || !Second || First->Mutex == Second->Mutex)
      continue;
    OrderEdge M = E;
    M.First = std::move(*First);
    M.Second = std::move(*Second);
    M.Held = Map(E.Held);
    Add.edge(std::move(M));
  }
  return Out;
}

/// Whether \p A comes before \p B in the translation unit.
static bool before(const ASTContext &Ctx, const Stmt *A, const Stmt *B) {
  return Ctx.getSourceManager().isBeforeInTranslationUnit(A->getBeginLoc(),
                                                          B->getBeginLoc());
}

bool LockOrderModel::mayLock(const FunctionDecl *FD) {
  auto [It, New] = MayLock.try_emplace(FD, false);
  if (!New)
    return It->second; // known, or on the walk (a cycle adds nothing)
  if (!FD->hasBody())
    return false;
  // A walk of the body's syntax, far cheaper than its CFG and effects: a
  // lock operation, a guard, or a call of a function that may lock.
  struct Finder : RecursiveASTVisitor<Finder> {
    LockOrderModel &M;
    bool Found = false;
    explicit Finder(LockOrderModel &M) : M(M) {}
    bool VisitCallExpr(CallExpr *C) {
      if (const FunctionDecl *Callee = M.Summaries.calleeOf(C)) {
        Found = M.mayLock(Callee);
        return !Found;
      }
      const FunctionDecl *Direct = C->getDirectCallee();
      if (!Direct)
        return true;
      const IdentifierInfo *Id = Direct->getIdentifier();
      if (Direct->hasAttrs() ||
          (Id &&
           llvm::is_contained(LockModel::lockFunctionNames(), Id->getName())))
        Found = !M.Locks.classify(C).empty();
      return !Found;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
      if (M.Locks.isGuardType(CE->getType()))
        Found = true;
      else if (const FunctionDecl *Ctor = M.Summaries.constructorOf(CE))
        Found = M.mayLock(Ctor);
      return !Found;
    }
    // A lambda's body is a function of its own, called where it is called.
    bool TraverseLambdaExpr(LambdaExpr *L) {
      for (Expr *Init : L->capture_inits())
        if (Init)
          TraverseStmt(Init);
      return true;
    }
  } F(*this);
  F.TraverseStmt(FD->getBody());
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (!F.Found && Init->getInit())
        F.TraverseStmt(Init->getInit());
  MayLock[FD] = F.Found;
  return F.Found;
}

std::unique_ptr<LockOrderSummary>
LockOrderModel::compute(const FunctionDecl *FD) {
  if (!mayLock(FD))
    return nullptr;
  const BodyCFG *Cfg = getBodyCFG(FD);
  if (!Cfg)
    return nullptr;
  const ASTContext &Ctx = FD->getASTContext();
  auto S = std::make_unique<LockOrderSummary>();
  const Bindings Locals = SpawnModel::localPointerBindings(FD);
  const BodyEffects Effects(Locks, nullptr, &Summaries, FD, &Locals);
  // The lock sets, made on first need: most functions take no lock.
  std::optional<LockSetAnalysis> LockSets;
  auto LocksAt = [&](const Stmt *St) {
    if (!LockSets)
      LockSets.emplace(*Cfg, Locks, &Locals, &Summaries);
    return LockSets->locksAt(St);
  };

  Builder Add(*S);
  // The edges this function makes itself, with the statement of its own
  // body where the second lock is taken (for finding the first's site).
  struct Pending {
    size_t Edge;
    const Stmt *Anchor;
  };
  llvm::SmallVector<Pending, 8> Own;
  llvm::SmallVector<std::pair<Acquisition, const Stmt *>, 2> Doubles;
  // A new acquisition, seen from this function: \p Outer are the locks this
  // function itself holds where its statement \p Anchor runs (A.Held also
  // has those a callee took on the way).
  auto Record = [&](Acquisition A, const LockSet &Outer, const Stmt *Anchor) {
    for (const HeldLock &H : Outer.locks()) {
      if (A.Released.holds(H.Mutex))
        continue; // the callee let go of it first
      if (H.Mutex == A.Lock.Mutex) {
        // Held on entry, it is the callers' lock: each call that holds it
        // is the double lock (see the caller's summary).
        if (!LockSets->heldOnEntry().holds(H.Mutex))
          Doubles.push_back({A, Anchor});
        continue;
      }
      OrderEdge E;
      E.First = H;
      E.Second = A.Lock;
      E.SecondSite = A.Site;
      E.Held = A.Held;
      if (std::optional<size_t> I = Add.edge(std::move(E)))
        Own.push_back({*I, Anchor});
    }
    Add.acquisition(std::move(A));
  };

  for (const CFGBlock *Blk : Cfg->cfg()) {
    if (!Blk)
      continue;
    for (const CFGElement &E : *Blk) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      // A call of a function of this translation unit: what it takes.
      if (const auto *Call = dyn_cast<CallExpr>(St))
        if (const FunctionDecl *Callee = Summaries.calleeOf(Call)) {
          const LockOrderSummary &CalleeS = of(Callee);
          if (!CalleeS.Acquisitions.empty() || !CalleeS.Edges.empty()) {
            std::optional<std::pair<LockSet, LockSet>> At = LocksAt(Call);
            if (!At)
              continue; // unreachable
            const Bindings CB =
                SummaryModel::bindingsAt(Call, Callee, FD, &Locals);
            const LockOrderSummary M = mapped(CalleeS, CB, Callee);
            auto Outer = [&](const LockSet &Released) {
              LockSet H = At->first;
              for (const HeldLock &R : Released.locks())
                H.remove(R.Mutex);
              return H;
            };
            for (const OrderEdge &CE : M.Edges) {
              OrderEdge X = CE;
              for (const HeldLock &L : At->first.locks())
                X.Held.add(L);
              Add.edge(std::move(X));
            }
            for (const Acquisition &CA : M.Acquisitions) {
              Acquisition A = CA;
              const LockSet Held = Outer(CA.Released);
              for (const HeldLock &L : Held.locks())
                A.Held.add(L);
              for (const HeldLock &R : At->second.locks())
                A.Released.add(R);
              A.Chain.insert(A.Chain.begin(), Call);
              Record(std::move(A), Held, Call);
            }
          }
          continue;
        }
      llvm::SmallVector<Effect, 2> Found;
      Effects.of(E, Found, BodyEffects::Locks);
      bool Any = false;
      for (const Effect &Eff : Found)
        Any |=
            Eff.K == Effect::Acquire && !Eff.Adopt && !Eff.Asserted && !Eff.Via;
      if (!Any)
        continue;
      std::optional<std::pair<LockSet, LockSet>> At = LocksAt(St);
      if (!At)
        continue;
      for (const Effect &Eff : Found) {
        if (Eff.K != Effect::Acquire || Eff.Adopt || Eff.Asserted || Eff.Via)
          continue;
        Acquisition A;
        A.Lock = Eff.Lock;
        A.Held = At->first;
        A.Released = At->second;
        A.Site = Eff.Site;
        A.InnerBody = FD;
        A.MutexType = Eff.MutexType;
        // Several mutexes of one call (std::lock, scoped_lock) are taken
        // together: the held set is the one before the element.
        Record(std::move(A), At->first, St);
      }
    }
  }

  // Where this function took the mutex it holds: its nearest acquisition
  // before the statement (none: it was held on entry).
  auto FirstSiteOf = [&](const AccessPath &M, const Stmt *Anchor) {
    const Acquisition *Best = nullptr;
    for (const Acquisition &A : S->Acquisitions)
      if (A.Lock.Mutex == M && A.anchor() != Anchor &&
          before(Ctx, A.anchor(), Anchor) &&
          (!Best || before(Ctx, Best->anchor(), A.anchor())))
        Best = &A;
    return Best ? Best->Site : nullptr;
  };
  for (const Pending &P : Own)
    S->Edges[P.Edge].FirstSite =
        FirstSiteOf(S->Edges[P.Edge].First.Mutex, P.Anchor);
  for (auto &[A, Anchor] : Doubles)
    S->DoubleLocks.push_back({A, FirstSiteOf(A.Lock.Mutex, Anchor)});

  // Both orders of one pair, taken by this function itself: chosen at run
  // time.
  for (const Pending &P : Own)
    for (const Pending &Q : Own) {
      OrderEdge &E1 = S->Edges[P.Edge];
      OrderEdge &E2 = S->Edges[Q.Edge];
      if (E1.First.Mutex == E2.Second.Mutex &&
          E1.Second.Mutex == E2.First.Mutex)
        E1.Chosen = E2.Chosen = true;
    }
  return S;
}

} // namespace concheck::model
