//===--- UnguardedWriteCheck.cpp - concheck-unguarded-write ---------------===//
//
// Part of concheck.
//
// A lock-set race analysis for spawned tasks, in the spirit of Eraser and
// RacerD, over concheck's shared models:
//  * where tasks start and what they run (SpawnModel, TaskModel);
//  * which locations each side reads and writes (AccessModel): variables
//    captured by reference or reached through bound pointers and 'this',
//    globals and statics, container elements;
//  * which locks each access holds on every path to it (LockSetAnalysis);
//  * what runs concurrently: a task with itself when its spawn can run again
//    before it is joined, with the spawner from the spawn to the join (join(),
//    wait() on a group that counts it, future get()/wait(), a jthread's end of
//    scope), and with the spawner's other tasks whose windows overlap.
// A write and a concurrent access to one location with no common lock is a
// race, unless the location is atomic or a synchronization object.
//
//===----------------------------------------------------------------------===//

#include "UnguardedWriteCheck.h"
#include "ModelOptions.h"
#include "model/BodyCFG.h"
#include "model/LockSetAnalysis.h"
#include "model/PathQuery.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;
using concheck::model::Access;
using concheck::model::AccessPath;

namespace concheck {

UnguardedWriteCheck::UnguardedWriteCheck(StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      SpawnOptions(readSpawnModelOptions(Options)),
      GroupOptions(readWaitGroupModelOptions(Options)),
      LockOptions(readLockModelOptions(Options)),
      AccessOptions{Options.get("ThreadSafeTypes", "").str()},
      Spawns(SpawnOptions), Groups(GroupOptions), Locks(LockOptions),
      Accesses(AccessOptions), Tasks(Spawns, Groups) {}

void UnguardedWriteCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThreadSafeTypes", AccessOptions.ThreadSafeTypes);
  storeTaskModelOptions(Options, Opts, SpawnOptions, GroupOptions);
  storeLockModelOptions(Options, Opts, LockOptions);
}

void UnguardedWriteCheck::onStartOfTranslationUnit() {
  Visited.clear();
  Reported.clear();
  Tasks.reset();
  model::resetCFGCache();
}

void UnguardedWriteCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()))
                         .bind("spawner"),
                     this);
}

void UnguardedWriteCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Spawner = Result.Nodes.getNodeAs<FunctionDecl>("spawner");
  if (!Spawner || !Visited.insert(Spawner).second)
    return;
  if (Spawner->isDependentContext() || Spawner->isInvalidDecl())
    return;
  analyzeSpawner(Spawner, *Result.Context);
}

namespace {

/// What one task contributes: its shared accesses and its lock sets.
struct TaskSide {
  const model::Task *T = nullptr;
  const model::BodyCFG *Body = nullptr;
  std::unique_ptr<model::LockSetAnalysis> LockSets;
  std::vector<Access> Shared;
  /// Where the spawn is in the spawner's CFG, and what ends the task's window.
  std::optional<model::CFGPoint> SpawnPoint;
  const VarDecl *Holder = nullptr; // std::thread t(...), auto f = async(...)
  bool SelfConcurrent = false;
};

enum class Other { SameTask, Spawner, OtherTask };

} // namespace

/// The task's by-copy captures and parameters: different in every run.
static llvm::SmallVector<const ValueDecl *, 4> perRunDecls(const model::Task &T) {
  llvm::SmallVector<const ValueDecl *, 4> Out;
  if (T.S.Lambda)
    for (const LambdaCapture &C : T.S.Lambda->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByCopy)
        Out.push_back(C.getCapturedVar());
  if (T.S.Body)
    for (const ParmVarDecl *P : T.S.Body->parameters())
      Out.push_back(P);
  return Out;
}

/// Whether a task's access to \p Loc reaches memory the spawner (or other
/// runs) can see, rather than the task's own copy.
static bool isSharedForTask(const model::Task &T, const AccessPath &Loc) {
  const ValueDecl *Root = Loc.root();
  if (!Root) {
    // Rooted at 'this': the spawner's object when the lambda captured this by
    // reference, or a member function was started on a spawner's object.
    if (T.S.Lambda) {
      for (const LambdaCapture &C : T.S.Lambda->captures())
        if (C.capturesThis())
          return C.getCaptureKind() == LCK_This;
      return false;
    }
    return T.B.thisObject() != nullptr;
  }
  if (const auto *VD = dyn_cast<VarDecl>(Root)) {
    if (VD->hasGlobalStorage())
      return VD->getTLSKind() == VarDecl::TLS_None;
    // The task's own locals and parameters.
    if (VD->getDeclContext() == T.S.Body)
      return false;
    if (T.S.Lambda)
      for (const LambdaCapture &C : T.S.Lambda->captures())
        if (C.capturesVariable() && C.getCapturedVar() == VD)
          return C.getCaptureKind() == LCK_ByRef;
    // Reached through a bound pointer or reference parameter, or an
    // init-capture naming the spawner's object.
    return true;
  }
  return false;
}

/// Whether two accesses hold a common lock that orders them: one both hold,
/// exclusively on at least one side.
static bool commonLock(const std::optional<model::LockSet> &A,
                       const std::optional<model::LockSet> &B) {
  if (!A || !B)
    return false;
  for (const model::HeldLock &L : A->locks())
    for (const model::HeldLock &M : B->locks())
      if (L.Mutex == M.Mutex && (!L.Shared || !M.Shared))
        return true;
  return false;
}

static std::string sourceText(const Expr *E, const ASTContext &Ctx) {
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()),
      Ctx.getSourceManager(), Ctx.getLangOpts());
  std::string Text =
      Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
  return Text.empty() ? std::string("location") : Text;
}

/// The variable a spawn's thread or future is stored in, if any.
static const VarDecl *holderOf(const model::Task &T, model::TaskModel &Tasks) {
  const Stmt *S = T.S.Site;
  const Stmt *P = Tasks.parentOf(T, S);
  while (P && isa<Expr>(P)) {
    S = P;
    P = Tasks.parentOf(T, P);
  }
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() && model::stripWrappers(VD->getInit()) ==
                                 model::stripWrappers(cast<Expr>(S)))
          return VD;
  return nullptr;
}

static bool isStdRecordNamed(QualType T, llvm::ArrayRef<StringRef> Names) {
  const CXXRecordDecl *RD = model::recordOf(T, /*ThroughPointer=*/true);
  if (!RD || !RD->getDeclName().isIdentifier() || !RD->isInStdNamespace())
    return false;
  return llvm::is_contained(Names, RD->getName());
}

/// Whether \p E is a call on a synchronization object that publishes
/// (\p Release) or observes (!\p Release) what another thread did: the two
/// halves of message passing (send/receive, release/acquire, count_down/wait,
/// store/load, set_value/get, notify/wait).
static bool isSyncCall(const CFGElement &E, bool Release,
                       const model::AccessModel &Accesses) {
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return false;
  // cancel() of a context, a stop request through a callable: both halves.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(CS->getStmt());
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() >= 1)
    return Accesses.isThreadSafeType(Op->getArg(0)->getType());
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(CS->getStmt());
  if (!MCE)
    return false;
  const CXXMethodDecl *MD = MCE->getMethodDecl();
  const Expr *Obj = MCE->getImplicitObjectArgument();
  if (!MD || !Obj || !MD->getDeclName().isIdentifier())
    return false;
  QualType T = Obj->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  if (!Accesses.isThreadSafeType(T))
    return false;
  StringRef N = MD->getName();
  // A rendezvous send also observes its receiver; read-modify-writes both
  // publish and observe.
  const bool ReadModifyWrite =
      N == "send" || N == "receive" || N == "exchange" ||
      N.starts_with("fetch_") ||
      N.starts_with("compare_exchange") || N == "test_and_set" ||
      N == "arrive_and_wait";
  if (ReadModifyWrite)
    return true;
  if (Release)
    return N == "send" || N == "try_send" || N == "release" ||
           N == "count_down" || N == "arrive" || N.starts_with("notify") ||
           N == "set_value" || N == "set_exception" || N == "store" ||
           N == "done" || N == "Done" || N == "DecrementCount" ||
           N == "close" || N == "put" || N == "request_stop" || N == "clear";
  return N == "receive" || N == "try_receive" || N == "acquire" ||
         N.starts_with("try_acquire") || N.starts_with("wait") ||
         N == "Wait" || N == "get" || N == "join" || N == "load" ||
         N == "test" || N == "wait_idle" || N == "borrow" ||
         N == "cancelled" || N == "closed" || N == "stop_requested";
}

void UnguardedWriteCheck::analyzeSpawner(const FunctionDecl *Spawner,
                                         ASTContext &Ctx) {
  const std::vector<model::Task> &All = Tasks.tasksOf(Spawner);
  if (All.empty())
    return;
  const model::BodyCFG *SpawnerBody = model::getBodyCFG(Spawner);
  if (!SpawnerBody)
    return;
  const model::Bindings Locals = model::SpawnModel::localPointerBindings(Spawner);
  const std::vector<Access> SpawnerAccesses =
      Accesses.collect(Spawner, &Locals, {});
  model::LockSetAnalysis SpawnerLocks(*SpawnerBody, Locks, &Locals);

  std::vector<TaskSide> Sides;
  for (const model::Task &T : All) {
    if (!T.S.Body || !T.S.Body->hasBody() ||
        Ctx.getSourceManager().isInSystemHeader(T.S.Body->getLocation()))
      continue;
    TaskSide Side;
    Side.T = &T;
    Side.Body = model::getBodyCFG(T.S.Body);
    if (!Side.Body)
      continue;
    Side.LockSets =
        std::make_unique<model::LockSetAnalysis>(*Side.Body, Locks, &T.B);
    for (Access &A : Accesses.collect(T.S.Body, &T.B, perRunDecls(T)))
      if (isSharedForTask(T, A.Location))
        Side.Shared.push_back(std::move(A));
    Side.SpawnPoint = SpawnerBody->pointOf(T.S.Site);
    Side.Holder = holderOf(T, Tasks);
    Sides.push_back(std::move(Side));
  }

  // `for (auto &t : threads) t.join();` joins every thread in the container
  // even when the CFG's path through zero iterations skips the join call: its
  // range declaration, which every path runs, stands for the loop's joins.
  llvm::SmallPtrSet<const Stmt *, 4> JoinLoops;
  {
    struct LoopFinder : RecursiveASTVisitor<LoopFinder> {
      bool VisitCXXForRangeStmt(CXXForRangeStmt *L) {
        struct JoinFinder : RecursiveASTVisitor<JoinFinder> {
          bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
            if (const CXXMethodDecl *MD = C->getMethodDecl();
                MD && MD->getDeclName().isIdentifier() &&
                (MD->getName() == "join" || MD->getName() == "get" ||
                 MD->getName() == "wait"))
              Found = true;
            return !Found;
          }
          bool Found = false;
        } J;
        J.TraverseStmt(L->getBody());
        if (J.Found && L->getRangeStmt())
          Loops.insert(L->getRangeStmt());
        return true;
      }
      bool TraverseLambdaExpr(LambdaExpr *) { return true; }
      llvm::SmallPtrSet<const Stmt *, 4> Loops;
    } Finder;
    Finder.TraverseStmt(Spawner->getBody());
    JoinLoops = Finder.Loops;
  }

  // What ends a task's window in the spawner.
  auto IsJoin = [&](const TaskSide &Side, const CFGElement &E) -> bool {
    const model::Task &T = *Side.T;
    if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
        CS && !Side.Holder && JoinLoops.count(CS->getStmt()))
      return true;
    if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
      // A jthread (or a container of them) joins at its end of scope.
      const VarDecl *VD = D->getVarDecl();
      if (VD == Side.Holder)
        return T.S.K == model::Spawn::StdJThread;
      if (T.S.K == model::Spawn::StdJThread && !Side.Holder)
        if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(T.S.Site))
          if (std::optional<AccessPath> C =
                  AccessPath::of(MCE->getImplicitObjectArgument(), &Locals))
            return *C == AccessPath::ofDecl(VD);
      return false;
    }
    std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
    if (!CS)
      return false;
    const auto *Call = dyn_cast<CallExpr>(CS->getStmt());
    if (!Call)
      return false;
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *MD = MCE->getMethodDecl();
      if (!MD || !MD->getDeclName().isIdentifier())
        return false;
      StringRef Name = MD->getName();
      const Expr *Obj = MCE->getImplicitObjectArgument();
      auto OnHolder = [&] {
        if (!Side.Holder)
          return true; // a thread in a container: any join of a thread
        const auto *DRE =
            Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
        return DRE && DRE->getDecl() == Side.Holder;
      };
      if (Name == "join" &&
          isStdRecordNamed(Obj->getType(), {"thread", "jthread"}))
        return OnHolder();
      if ((Name == "get" || Name == "wait") &&
          isStdRecordNamed(Obj->getType(), {"future", "shared_future"}))
        return OnHolder();
      if ((Name == "wait_idle" || Name == "join") && T.S.K == model::Spawn::PoolSubmit)
        return model::qualifiedName(MD->getParent()) == "concheck::worker_pool";
      if (std::optional<model::GroupOp> Op = Groups.classify(MCE, &Locals);
          Op && Op->waits() && Op->Group) {
        for (const AccessPath &G : Tasks.doneGroups(T))
          if (G == *Op->Group)
            return true;
        return Tasks.countedByGo(T, *Op->Group) ||
               Tasks.pairedAdd(T, *Op->Group);
      }
      return false;
    }
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getDeclName().isIdentifier() && FD->getName() == "pthread_join")
      return T.S.K == model::Spawn::PthreadCreate;
    return false;
  };

  auto IsRelease = [&](const CFGElement &E) {
    return isSyncCall(E, /*Release=*/true, Accesses);
  };
  auto IsAcquire = [&](const CFGElement &E) {
    return isSyncCall(E, /*Release=*/false, Accesses);
  };
  // Message passing orders two accesses when the first is followed, on every
  // path, by a publishing call and the second is preceded by an observing
  // one: the usual hand-off through a channel, semaphore, latch, future or
  // atomic flag, which locks sets alone cannot see.
  auto FollowedByRelease = [&](const model::BodyCFG &Body, const Stmt *At) {
    std::optional<model::CFGPoint> P = Body.pointOf(At);
    return P && model::findEscapes(Body, model::PathStart{*P, std::nullopt},
                                   IsRelease)
                    .empty();
  };
  auto PrecededByAcquire = [&](const model::BodyCFG &Body,
                               const model::PathStart &From, const Stmt *At) {
    return !model::reachesAvoiding(Body, From, At, IsAcquire);
  };

  // Self-concurrency: the spawn can run again before this run is joined.
  for (TaskSide &Side : Sides)
    if (Side.SpawnPoint)
      Side.SelfConcurrent = model::reachesAvoiding(
          *SpawnerBody, model::PathStart{*Side.SpawnPoint, std::nullopt},
          Side.T->S.Site, [&](const CFGElement &E) { return IsJoin(Side, E); });

  auto Report = [&](const TaskSide &Side, const Access &W,
                    const std::optional<model::LockSet> &WLocks,
                    const Access &A, const std::optional<model::LockSet> &ALocks,
                    Other Kind, const TaskSide *OtherSide = nullptr) {
    // One report per location and spawn (per pair of spawns for two tasks),
    // at the unguarded side.
    std::string Key = W.Location.str();
    SourceLocation KeySite = Side.T->S.Site->getBeginLoc();
    if (OtherSide &&
        OtherSide->T->S.Site->getBeginLoc().getRawEncoding() <
            KeySite.getRawEncoding())
      KeySite = OtherSide->T->S.Site->getBeginLoc();
    if (!Reported.insert({KeySite.getRawEncoding(), Key}).second)
      return;
    const bool WriteGuarded = WLocks && !WLocks->empty();
    const bool OtherGuarded = ALocks && !ALocks->empty();
    const Access &At = (WriteGuarded && !OtherGuarded) ? A : W;
    const Access &Else = &At == &W ? A : W;
    static const char *const Others[] = {
        "another run of the same task", "the spawning function",
        "another task"};
    diag(At.E->getBeginLoc(),
         "data race on '%0': %select{written|read}1 %select{in a task|here}2 "
         "while %3 %select{writes|accesses}4 it, with no common lock")
        << sourceText(At.E, Ctx) << (At.Write ? 0 : 1) << (&At == &W ? 0 : 1)
        << (&At == &W ? Others[static_cast<int>(Kind)] : "a task")
        << (Else.Write ? 0 : 1);
    if (Else.E != At.E)
      diag(Else.E->getBeginLoc(), "concurrent %select{write|read}0 here",
           DiagnosticIDs::Note)
          << (Else.Write ? 0 : 1);
    diag(Side.T->S.Site->getBeginLoc(), "task started here",
         DiagnosticIDs::Note);
  };

  for (size_t I = 0; I < Sides.size(); ++I) {
    TaskSide &Side = Sides[I];
    for (const Access &W : Side.Shared) {
      if (!W.Write)
        continue;
      std::optional<model::LockSet> WLocks = Side.LockSets->heldAt(W.Anchor);
      // Another run of the same task.
      if (Side.SelfConcurrent)
        for (const Access &A : Side.Shared) {
          if (A.Location != W.Location || (W.PerRunSlot && A.PerRunSlot))
            continue;
          const model::PathStart Entry = model::entryOf(*Side.Body);
          if ((FollowedByRelease(*Side.Body, W.Anchor) &&
               PrecededByAcquire(*Side.Body, Entry, A.Anchor)) ||
              (FollowedByRelease(*Side.Body, A.Anchor) &&
               PrecededByAcquire(*Side.Body, Entry, W.Anchor)))
            continue; // handed from one run to the next
          std::optional<model::LockSet> ALocks = Side.LockSets->heldAt(A.Anchor);
          if (!commonLock(WLocks, ALocks))
            Report(Side, W, WLocks, A, ALocks, Other::SameTask);
        }
      // The spawner, between the spawn and the join.
      if (Side.SpawnPoint && !W.PerRunSlot)
        for (const Access &A : SpawnerAccesses) {
          if (A.Location != W.Location)
            continue;
          const model::PathStart AfterSpawn{*Side.SpawnPoint, std::nullopt};
          if (!model::reachesAvoiding(
                  *SpawnerBody, AfterSpawn, A.Anchor,
                  [&](const CFGElement &E) { return IsJoin(Side, E); }))
            continue;
          // The task publishes after its write, the spawner observes before
          // its access.
          if (FollowedByRelease(*Side.Body, W.Anchor) &&
              PrecededByAcquire(*SpawnerBody, AfterSpawn, A.Anchor))
            continue;
          std::optional<model::LockSet> ALocks = SpawnerLocks.heldAt(A.Anchor);
          if (!commonLock(WLocks, ALocks))
            Report(Side, W, WLocks, A, ALocks, Other::Spawner);
        }
      // The spawner's other tasks whose windows overlap this one's.
      for (size_t J = 0; J < Sides.size(); ++J) {
        if (J == I || !Side.SpawnPoint || !Sides[J].SpawnPoint)
          continue;
        TaskSide &OtherSide = Sides[J];
        const bool Overlap =
            model::reachesAvoiding(
                *SpawnerBody, model::PathStart{*Side.SpawnPoint, std::nullopt},
                OtherSide.T->S.Site,
                [&](const CFGElement &E) { return IsJoin(Side, E); }) ||
            model::reachesAvoiding(
                *SpawnerBody,
                model::PathStart{*OtherSide.SpawnPoint, std::nullopt},
                Side.T->S.Site,
                [&](const CFGElement &E) { return IsJoin(OtherSide, E); });
        if (!Overlap)
          continue;
        for (const Access &A : OtherSide.Shared) {
          if (A.Location != W.Location ||
              (W.Element && A.Element &&
               (W.PerRunSlot || A.PerRunSlot ||
                (W.ConstIndex && A.ConstIndex && *W.ConstIndex != *A.ConstIndex))))
            continue;
          if ((FollowedByRelease(*Side.Body, W.Anchor) &&
               PrecededByAcquire(*OtherSide.Body,
                                 model::entryOf(*OtherSide.Body), A.Anchor)) ||
              (FollowedByRelease(*OtherSide.Body, A.Anchor) &&
               PrecededByAcquire(*Side.Body, model::entryOf(*Side.Body),
                                 W.Anchor)))
            continue; // handed from one task to the other
          std::optional<model::LockSet> ALocks =
              OtherSide.LockSets->heldAt(A.Anchor);
          if (!commonLock(WLocks, ALocks))
            Report(Side, W, WLocks, A, ALocks, Other::OtherTask, &OtherSide);
        }
      }
    }
    // A write in the spawner while the task reads.
    if (!Side.SpawnPoint)
      continue;
    for (const Access &A : SpawnerAccesses) {
      if (!A.Write)
        continue;
      for (const Access &R : Side.Shared) {
        if (R.Location != A.Location || R.Write)
          continue;
        if (!model::reachesAvoiding(
                *SpawnerBody, model::PathStart{*Side.SpawnPoint, std::nullopt},
                A.Anchor, [&](const CFGElement &E) { return IsJoin(Side, E); }))
          continue;
        // The spawner publishes after its write, the task observes first.
        if (FollowedByRelease(*SpawnerBody, A.Anchor) &&
            PrecededByAcquire(*Side.Body, model::entryOf(*Side.Body),
                              R.Anchor))
          continue;
        std::optional<model::LockSet> ALocks = SpawnerLocks.heldAt(A.Anchor);
        std::optional<model::LockSet> RLocks = Side.LockSets->heldAt(R.Anchor);
        if (commonLock(ALocks, RLocks))
          continue;
        std::string Key = A.Location.str();
        if (!Reported
                 .insert({Side.T->S.Site->getBeginLoc().getRawEncoding(), Key})
                 .second)
          continue;
        diag(A.E->getBeginLoc(),
             "data race on '%0': written here while a task reads it, with no "
             "common lock")
            << sourceText(A.E, Ctx);
        diag(R.E->getBeginLoc(), "concurrent read here", DiagnosticIDs::Note);
        diag(Side.T->S.Site->getBeginLoc(), "task started here",
             DiagnosticIDs::Note);
      }
    }
  }
}

} // namespace concheck
