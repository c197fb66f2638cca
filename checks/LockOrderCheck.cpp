//===--- LockOrderCheck.cpp - concheck-lock-order -------------------------===//
//
// Part of concheck.
//
// Three ways for threads to wait on each other forever over mutexes:
//  * an inversion: one path takes B while holding A, another takes A while
//    holding B (directly or in the functions they call; the lock-order
//    model). Two paths can run at once when they take mutexes every thread
//    can name alike: globals, the members of one object (two member
//    functions of a class are taken to run on several threads, as its
//    mutexes say they do), or a spawner's locals that two of its tasks are
//    handed. A gate lock held around both, a shared lock on both sides of
//    a mutex, and a function that takes both orders itself (choosing by
//    address or id) rule it out; try_lock never waits, and std::lock and
//    std::scoped_lock order nothing.
//  * a double lock: a non-recursive mutex taken again by a path that holds
//    it on every way there, directly or in a callee.
//  * a join, a future's get or a group's wait while holding a mutex that
//    the awaited task takes.
//
//===----------------------------------------------------------------------===//

#include "LockOrderCheck.h"
#include "ModelOptions.h"
#include "model/AccessModel.h"
#include "model/BodyCFG.h"
#include "model/Reentrancy.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/StringExtras.h"
#include <map>
#include <tuple>

using namespace clang;
using concheck::model::AccessPath;
using concheck::model::HeldLock;

namespace concheck {

void LockOrderCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &OptionMap) {
  TaskCheckBase::storeOptions(OptionMap);
  storeLockModelOptions(Options, OptionMap, modelOptions().Locks);
}

void LockOrderCheck::onStartOfTranslationUnit() {
  TaskCheckBase::onStartOfTranslationUnit();
  Edges.clear();
  EdgeIndex.clear();
  SyncOf = nullptr;
  SpawnerLocks.reset();
  Sync.reset();
  Ctx = nullptr;
}

void LockOrderCheck::checkFunction(const FunctionDecl *FD, ASTContext &C) {
  Ctx = &C;
  const model::LockOrderSummary &S = model().lockOrders().of(FD);
  checkDoubleLocks(FD, S);
  collect(S, FD, nullptr);
}

void LockOrderCheck::checkDoubleLocks(const FunctionDecl *FD,
                                      const model::LockOrderSummary &S) {
  for (const model::DoubleLock &D : S.DoubleLocks) {
    const model::Acquisition &A = D.A;
    // Shared on both sides is a reader taking a read lock again; that
    // mutex's own business.
    bool HeldShared = false;
    for (const HeldLock &H : A.Held.locks())
      if (H.Mutex == A.Lock.Mutex)
        HeldShared = H.Shared;
    if ((A.Lock.Shared && HeldShared) || A.MutexType.isNull() ||
        model::mayBeReentrant(A.MutexType, A.Lock.Mutex, *Ctx) ||
        !model::AccessModel::namesOneObject(FD, A.Lock.Mutex))
      continue;
    const std::string Name = A.Lock.Mutex.spelling();
    if (A.Chain.empty()) {
      SourceLocation Loc = A.Site->getBeginLoc();
      if (!firstReport(Loc, "double:" + Name))
        continue;
      diag(Loc, "mutex '%0' locked again while this path already holds it: "
                "it waits for itself forever")
          << Name;
    } else {
      const CallExpr *Call = A.Chain.front();
      SourceLocation Loc = Call->getBeginLoc();
      if (!firstReport(Loc, "double:" + Name))
        continue;
      const FunctionDecl *Callee = Call->getDirectCallee();
      diag(Loc, "call to '%0' locks mutex '%1', which this path already "
                "holds: it waits for itself forever")
          << (Callee ? Callee->getNameAsString() : std::string("function"))
          << Name;
      diag(A.Site->getBeginLoc(), "'%0' locked here", DiagnosticIDs::Note)
          << Name;
    }
    if (D.FirstSite)
      diag(D.FirstSite->getBeginLoc(), "'%0' locked here first",
           DiagnosticIDs::Note)
          << Name;
  }
}

std::optional<const Decl *> LockOrderCheck::frameOf(const AccessPath &P,
                                                    const FunctionDecl *Terms,
                                                    bool FromTask) const {
  if (P.capturedThisOf())
    return std::nullopt;
  if (P.isThisRooted()) {
    const auto *MD = dyn_cast<CXXMethodDecl>(Terms);
    if (!MD || MD->isStatic() || MD->getParent()->isLambda())
      return std::nullopt;
    return MD->getParent()->getCanonicalDecl();
  }
  const auto *VD = dyn_cast_or_null<VarDecl>(P.root());
  if (!VD)
    return std::nullopt;
  if (VD->hasGlobalStorage())
    return static_cast<const Decl *>(nullptr);
  // A local or a parameter: the same object only for the tasks one run of
  // the function starts.
  if (!FromTask)
    return std::nullopt;
  const auto *Owner =
      dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  if (!Owner)
    return std::nullopt;
  return Owner->getCanonicalDecl();
}

void LockOrderCheck::collect(const model::LockOrderSummary &S,
                             const FunctionDecl *Terms, const Expr *Start) {
  for (const model::OrderEdge &E : S.Edges) {
    if (E.Chosen)
      continue;
    std::optional<const Decl *> F1 = frameOf(E.First.Mutex, Terms, Start);
    std::optional<const Decl *> F2 = frameOf(E.Second.Mutex, Terms, Start);
    if (!F1 || !F2)
      continue;
    // Globals fit any frame; a function's locals are the narrowest.
    const Decl *Frame = *F1;
    if (!Frame || (*F2 && isa<FunctionDecl>(*F2)))
      Frame = *F2;
    if (*F1 && *F2 && *F1 != *F2 && !isa<FunctionDecl>(Frame))
      continue;
    // One entry per edge, whichever roots reach it (a lambda is a function
    // and a task).
    auto [Slot, New] = EdgeIndex.try_emplace(
        std::make_tuple(Frame, E.First.Mutex.str(), E.Second.Mutex.str(),
                        E.FirstSite, E.SecondSite),
        Edges.size());
    if (New)
      Edges.push_back({E, Frame, {}});
    RootEdge *It = &Edges[Slot->second];
    if (Start && !llvm::is_contained(It->Starts, Start))
      It->Starts.push_back(Start);
  }
}

void LockOrderCheck::checkTask(const model::Task &T, ASTContext &C) {
  Ctx = &C;
  if (!T.S.Body || !T.S.Body->hasBody())
    return;
  const model::LockOrderSummary TS = model().lockOrders().mapped(
      model().lockOrders().of(T.S.Body), T.B, T.S.Body);
  collect(TS, T.Spawner, T.S.Site);
  checkJoins(T, TS);
}

void LockOrderCheck::checkJoins(const model::Task &T,
                                const model::LockOrderSummary &TS) {
  if (TS.Acquisitions.empty() || !T.Spawner)
    return;
  const model::BodyCFG *Body = model::getBodyCFG(T.Spawner);
  if (!Body)
    return;
  if (SyncOf != T.Spawner) {
    SyncOf = T.Spawner;
    // Both keep a reference to the bindings.
    SpawnerLocks.reset();
    Sync.reset();
    SpawnerLocals = model::SpawnModel::localPointerBindings(T.Spawner);
    Sync = std::make_unique<model::SpawnerSync>(model(), T.Spawner, *Body,
                                                SpawnerLocals);
    SpawnerLocks.emplace(*Body, model().locks(), &SpawnerLocals,
                         &model().summaries());
  }
  const model::LockOrderSummary &Own = model().lockOrders().of(T.Spawner);
  for (const CFGBlock *Blk : Body->cfg()) {
    if (!Blk)
      continue;
    for (const CFGElement &E : *Blk) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS || !Sync->isJoin(T, E))
        continue;
      const Stmt *Join = CS->getStmt();
      std::optional<model::LockSet> Held = SpawnerLocks->heldAt(Join);
      if (!Held)
        continue;
      for (const model::Acquisition &A : TS.Acquisitions) {
        bool HeldShared = false, Holds = false;
        for (const HeldLock &H : Held->locks())
          if (H.Mutex == A.Lock.Mutex) {
            Holds = true;
            HeldShared = H.Shared;
          }
        if (!Holds || (HeldShared && A.Lock.Shared))
          continue;
        const std::string Name = A.Lock.Mutex.spelling();
        SourceLocation Loc = Join->getBeginLoc();
        if (!firstReport(Loc, "join:" + Name))
          continue;
        const auto *JoinExpr = dyn_cast<Expr>(Join);
        diag(Loc, "'%0' waits for a task while holding mutex '%1', which the "
                  "task locks: the wait can deadlock")
            << (JoinExpr ? text(JoinExpr, *Ctx) : std::string("join")) << Name;
        // Where the spawner took it: its nearest acquisition before.
        const model::Acquisition *First = nullptr;
        const SourceManager &SM = Ctx->getSourceManager();
        for (const model::Acquisition &O : Own.Acquisitions)
          if (O.Lock.Mutex == A.Lock.Mutex &&
              SM.isBeforeInTranslationUnit(O.anchor()->getBeginLoc(), Loc) &&
              (!First ||
               SM.isBeforeInTranslationUnit(First->anchor()->getBeginLoc(),
                                            O.anchor()->getBeginLoc())))
            First = &O;
        if (First)
          diag(First->Site->getBeginLoc(), "'%0' locked here",
               DiagnosticIDs::Note)
              << Name;
        diag(A.Site->getBeginLoc(), "the task locks '%0' here",
             DiagnosticIDs::Note)
            << Name;
        noteSpawn(T);
      }
    }
  }
}

void LockOrderCheck::onEndOfTranslationUnit() {
  if (!Ctx || Edges.empty())
    return;
  const SourceManager &SM = Ctx->getSourceManager();
  auto Before = [&](const Expr *A, const Expr *B) {
    if (!A || !B)
      return A == nullptr && B != nullptr;
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  };
  auto FirstStart = [](const RootEdge &R) -> const Expr * {
    return R.Starts.empty() ? nullptr : R.Starts.front();
  };
  // A total order on the edges, by where they are taken.
  auto Less = [&](const RootEdge &A, const RootEdge &B) {
    for (auto [X, Y] : {std::make_pair(A.E.SecondSite, B.E.SecondSite),
                        std::make_pair(A.E.FirstSite, B.E.FirstSite),
                        std::make_pair(FirstStart(A), FirstStart(B))}) {
      if (Before(X, Y))
        return true;
      if (Before(Y, X))
        return false;
    }
    return std::make_pair(A.E.First.Mutex, A.E.Second.Mutex) <
           std::make_pair(B.E.First.Mutex, B.E.Second.Mutex);
  };
  for (RootEdge &R : Edges)
    llvm::sort(R.Starts, Before);
  llvm::sort(Edges, Less);

  // The edges by frame and pair.
  std::map<std::tuple<const Decl *, std::string, std::string>,
           llvm::SmallVector<unsigned, 2>>
      ByPair;
  for (unsigned I = 0; I < Edges.size(); ++I)
    ByPair[{Edges[I].Frame, Edges[I].E.First.Mutex.str(),
            Edges[I].E.Second.Mutex.str()}]
        .push_back(I);

  // Whether the two edges, one each way, can deadlock.
  auto Deadlocks = [&](const RootEdge &R, const RootEdge &O) {
    // Two tasks of one spawner, or two runs of one (locals of the spawner
    // are one object in each of its runs).
    if (isa_and_nonnull<FunctionDecl>(R.Frame) &&
        (R.Starts.empty() || O.Starts.empty() ||
         (R.Starts.size() == 1 && O.Starts.size() == 1 &&
          R.Starts.front() == O.Starts.front())))
      return false;
    // A gate lock held around both: only one of them runs at a time.
    for (const HeldLock &G : R.E.Held.locks())
      if (G.Mutex != R.E.First.Mutex && G.Mutex != R.E.Second.Mutex &&
          O.E.Held.holds(G.Mutex))
        return false;
    // A mutex held shared on one side and wanted shared on the other does
    // not block.
    if ((R.E.First.Shared && O.E.Second.Shared) ||
        (O.E.First.Shared && R.E.Second.Shared))
      return false;
    return true;
  };

  for (unsigned I = Edges.size(); I-- > 0;) {
    const RootEdge &R = Edges[I];
    auto It =
        ByPair.find({R.Frame, R.E.Second.Mutex.str(), R.E.First.Mutex.str()});
    if (It == ByPair.end())
      continue;
    // The other side: the first edge the other way that precedes this one
    // (each inversion is reported once, at the later side).
    const RootEdge *O = nullptr;
    for (unsigned J : It->second)
      if (J < I && Deadlocks(R, Edges[J])) {
        O = &Edges[J];
        break;
      }
    if (!O)
      continue;
    const std::string Held = R.E.First.Mutex.spelling();
    const std::string Taken = R.E.Second.Mutex.spelling();
    SourceLocation Loc = R.E.SecondSite->getBeginLoc();
    if (!firstReport(Loc, "order:" + Held + "," + Taken))
      continue;
    diag(Loc, "mutex '%0' locked while holding '%1', the reverse of the order "
              "another path takes: the two can deadlock")
        << Taken << Held;
    if (R.E.FirstSite)
      diag(R.E.FirstSite->getBeginLoc(), "'%0' locked here",
           DiagnosticIDs::Note)
          << Held;
    diag(O->E.SecondSite->getBeginLoc(),
         "the other path locks '%0' while holding '%1' here",
         DiagnosticIDs::Note)
        << Held << Taken;
    if (O->E.FirstSite)
      diag(O->E.FirstSite->getBeginLoc(), "'%0' locked here",
           DiagnosticIDs::Note)
          << Taken;
    // Where each side starts, when tasks take them.
    llvm::SmallVector<const Expr *, 4> Starts;
    if (!R.Starts.empty())
      Starts.push_back(R.Starts.front());
    if (!O->Starts.empty() && !llvm::is_contained(Starts, O->Starts.front()))
      Starts.push_back(O->Starts.front());
    llvm::sort(Starts, Before);
    for (const Expr *S : Starts)
      diag(S->getBeginLoc(), "task started here", DiagnosticIDs::Note);
  }
}

} // namespace concheck
