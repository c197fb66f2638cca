//===--- SyncModel.cpp - What orders a spawner's tasks --------------------===//

#include "SyncModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concheck::model {

/// Whether \p VD is a shared_future made from future \p Holder
/// (`auto sf = f.share()`, `std::shared_future<T> sf = std::move(f)`): it
/// becomes ready when Holder's task ends.
static bool sharesFuture(const VarDecl *VD, const VarDecl *Holder) {
  if (!VD || !Holder || !VD->getInit())
    return false;
  const Expr *Init = stripWrappers(VD->getInit());
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init);
      CE && CE->getNumArgs() == 1)
    Init = stripWrappers(CE->getArg(0));
  if (const Expr *Moved = movedFrom(Init))
    Init = stripWrappers(Moved);
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Init))
    if (const CXXMethodDecl *MD = MCE->getMethodDecl();
        MD && MD->getDeclName().isIdentifier() && MD->getName() == "share")
      Init = stripWrappers(MCE->getImplicitObjectArgument());
  const auto *DRE = dyn_cast<DeclRefExpr>(Init);
  return DRE && DRE->getDecl() == Holder;
}

/// For `f.wait_for(d) == std::future_status::ready` (or `!=`, or
/// wait_until): the future waited on, and whether the comparison is true
/// when it is ready.
static std::optional<std::pair<const Expr *, bool>>
readyTest(const BinaryOperator *Cond) {
  if (Cond->getOpcode() != BO_EQ && Cond->getOpcode() != BO_NE)
    return std::nullopt;
  const Expr *Call = Cond->getLHS()->IgnoreParenImpCasts();
  const Expr *Status = Cond->getRHS()->IgnoreParenImpCasts();
  if (!isa<CXXMemberCallExpr>(Call))
    std::swap(Call, Status);
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
  const auto *Ready = dyn_cast<DeclRefExpr>(Status);
  if (!MCE || !Ready || !MCE->getMethodDecl())
    return std::nullopt;
  const CXXMethodDecl *MD = MCE->getMethodDecl();
  const auto *EC = dyn_cast<EnumConstantDecl>(Ready->getDecl());
  if (!EC || EC->getName() != "ready" || !MD->getDeclName().isIdentifier() ||
      (MD->getName() != "wait_for" && MD->getName() != "wait_until"))
    return std::nullopt;
  const Expr *Obj = MCE->getImplicitObjectArgument();
  if (!Obj || !isStdRecord(recordOf(Obj->IgnoreParenImpCasts()->getType(),
                                    /*ThroughPointer=*/true),
                           {"future", "shared_future"}))
    return std::nullopt;
  return std::make_pair(Obj, Cond->getOpcode() == BO_EQ);
}

/// Whether \p E is a call on a synchronization object that publishes what
/// its thread did, or observes what another thread published: the two
/// halves of message passing (send/receive, release/acquire, count_down/wait,
/// store/load, set_value/get, notify/wait), and on which object.
static std::optional<SyncCall>
syncCallOf(const Stmt *S, const AccessModel &Accesses, const Bindings *B) {
  SyncCall Out;
  const Expr *Obj = nullptr;
  // cancel() of a context, a stop request through a callable: both halves.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() >= 1) {
    if (!Accesses.isThreadSafeType(Op->getArg(0)->getType()))
      return std::nullopt;
    Out.Publishes = Out.Observes = true;
    Obj = Op->getArg(0);
  } else if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    Obj = MCE->getImplicitObjectArgument();
    if (!MD || !Obj || !MD->getDeclName().isIdentifier())
      return std::nullopt;
    // The object as written, not the base class that declares the member
    // (libstdc++'s std::atomic<int> inherits load() and store() from
    // __atomic_base<int>).
    Obj = Obj->IgnoreParenImpCasts();
    QualType T = Obj->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (!Accesses.isThreadSafeType(T))
      return std::nullopt;
    StringRef N = MD->getName();
    // A rendezvous send also observes its receiver; read-modify-writes both
    // publish and observe.
    const bool ReadModifyWrite = N == "send" || N == "receive" ||
                                 N == "exchange" || N.starts_with("fetch_") ||
                                 N.starts_with("compare_exchange") ||
                                 N == "test_and_set" || N == "arrive_and_wait";
    Out.Publishes = ReadModifyWrite || N == "try_send" || N == "release" ||
                    N == "count_down" || N == "arrive" ||
                    N.starts_with("notify") || N == "set_value" ||
                    N == "set_exception" || N == "store" || N == "done" ||
                    N == "Done" || N == "DecrementCount" || N == "close" ||
                    N == "put" || N == "request_stop" || N == "clear";
    Out.Observes = ReadModifyWrite || N == "try_receive" || N == "acquire" ||
                   N.starts_with("try_acquire") || N.starts_with("wait") ||
                   N == "Wait" || N == "get" || N == "join" || N == "load" ||
                   N == "test" || N == "wait_idle" || N == "borrow" ||
                   N == "cancelled" || N == "closed" || N == "stop_requested";
    if (!Out.Publishes && !Out.Observes)
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  Out.Type = recordOf(Obj->getType(), /*ThroughPointer=*/true);
  Out.Object = AccessPath::ofObject(Obj, B);
  return Out;
}

/// Whether a type's copies are handles to one shared state (a stop_token, a
/// shared_future, a context) rather than objects of their own.
static bool isCopyable(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return true;
  for (const CXXConstructorDecl *C : RD->ctors())
    if (C->isCopyConstructor())
      return !C->isDeleted();
  return true;
}

/// Whether two synchronization calls may act on one channel: the same object,
/// or objects the analysis cannot tell apart (a promise and its future, a
/// stop_source and its token, copies of a handle). Two distinct objects of
/// one non-copyable type (two latches) are two channels.
static bool mayShareState(const SyncCall &A, const SyncCall &B) {
  if (!A.Object || !B.Object || *A.Object == *B.Object)
    return true;
  if (!A.Type || A.Type != B.Type)
    return true;
  return isCopyable(A.Type);
}

namespace {
/// The loops of joins in a body: `for (auto &t : threads) t.join();` and
/// `for (int i = 0; i < n; ++i) threads[i].join();` join every thread of the
/// container even though the CFG's path through zero iterations skips the
/// join call; the statement every path into the loop runs (the range
/// declaration, the counter's declaration) stands for the loop's joins.
class JoinLoopFinder : public RecursiveASTVisitor<JoinLoopFinder> {
public:
  explicit JoinLoopFinder(ModelContext &Model) : Model(Model) {}
  bool VisitCXXForRangeStmt(CXXForRangeStmt *L) {
    if (L->getRangeStmt() && joins(L->getBody()))
      Loops.insert(L->getRangeStmt());
    return true;
  }
  bool VisitForStmt(ForStmt *L) {
    if (L->getInit() && joins(L->getBody()))
      Loops.insert(L->getInit());
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  llvm::SmallPtrSet<const Stmt *, 4> Loops;

private:
  /// Whether a loop body joins a thread (`pthread_join(t[i], NULL)` too),
  /// waits for a future, or calls a thread class's join
  /// (`threads_[i]->join()`).
  bool joins(const Stmt *Body) {
    struct JoinFinder : RecursiveASTVisitor<JoinFinder> {
      ModelContext &Model;
      explicit JoinFinder(ModelContext &Model) : Model(Model) {}
      bool VisitCallExpr(CallExpr *C) {
        const Decl *Callee = C->getCalleeDecl();
        Found = Callee && Model.spawns().joinKind(C, Callee->getASTContext()) !=
                              SpawnModel::JoinKind::None;
        return !Found;
      }
      bool TraverseLambdaExpr(LambdaExpr *) { return true; }
      bool Found = false;
    } J(Model);
    J.TraverseStmt(const_cast<Stmt *>(Body));
    return J.Found;
  }
  ModelContext &Model;
};
} // namespace

SpawnerSync::SpawnerSync(ModelContext &Model, const FunctionDecl *Spawner,
                         const BodyCFG &SpawnerBody, const Bindings &Locals)
    : Model(Model), Spawner(Spawner), SpawnerBody(SpawnerBody), Locals(Locals) {
  JoinLoopFinder Finder(Model);
  Finder.TraverseStmt(Spawner->getBody());
  JoinLoops = std::move(Finder.Loops);
  // The edges on which a wait_for or wait_until on a future said "ready":
  // `while (f.wait_for(d) != std::future_status::ready) ...` leaves its loop
  // only when the task is done, and `if (f.wait_for(0s) == ready)` enters
  // its branch only then. Each with the future it waited on.
  for (const CFGBlock *Blk : SpawnerBody.cfg())
    if (Blk && Blk->succ_size() == 2)
      if (const auto *Cond =
              dyn_cast_or_null<BinaryOperator>(Blk->getLastCondition()))
        if (std::optional<std::pair<const Expr *, bool>> Ready =
                readyTest(Cond))
          ReadyEdges[{Blk, Ready->second ? 0u : 1u}] = Ready->first;
}

namespace {
/// Where an object that outlives a call lives.
enum class Home { None, Object, Global };
} // namespace

/// Whether \p E names (or, as a pointer, points to) a part of the object
/// 'this' points to, or an object with static storage.
static Home homeOf(const Expr *E, const Bindings *B) {
  if (!E)
    return Home::None;
  E = E->IgnoreParenImpCasts();
  std::optional<AccessPath> P = AccessPath::ofObject(E, B);
  if (!P)
    return Home::None;
  if (P->isThisRooted())
    return P->steps().empty() ? Home::None : Home::Object;
  const auto *VD = dyn_cast<VarDecl>(P->root());
  return VD && VD->hasGlobalStorage() && !VD->getTLSKind() ? Home::Global
                                                           : Home::None;
}

/// Whether \p Call stores its argument in its object (a container's
/// insertion).
static bool isInsertion(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *MD = Call->getMethodDecl();
  if (!MD || !MD->getDeclName().isIdentifier())
    return false;
  return isContainerInsertionName(MD->getName());
}

const SpawnerSync::Handle &SpawnerSync::handleOf(const Task &T) {
  auto [It, Inserted] = Handles.try_emplace(&T);
  if (!Inserted)
    return It->second;
  // A spawn that is itself a call on a member of the object: a thread
  // emplaced into a member container, a task handed to a member pool or
  // group.
  Handle &H = It->second;
  auto Keep = [&](Home Where) {
    H.InMember |= Where == Home::Object;
    H.InGlobal |= Where == Home::Global;
  };
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(T.S.Site))
    Keep(homeOf(MCE->getImplicitObjectArgument(), &Locals));
  // Climb from the spawn through the expressions around it: a detach() on
  // the way, an assignment to or insertion into a member of the object, or
  // the declaration of the variable it initializes.
  TaskModel &Tasks = Model.tasks();
  const Stmt *S = T.S.Site;
  const Stmt *P = Tasks.parentOf(T, S);
  while (P && isa<Expr>(P)) {
    if (const auto *ME = dyn_cast<MemberExpr>(P))
      if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
          MD && MD->getDeclName().isIdentifier() && MD->getName() == "detach") {
        It->second.Detached = true;
        return It->second;
      }
    if (const auto *BO = dyn_cast<BinaryOperator>(P);
        BO && BO->getOpcode() == BO_Assign && BO->getRHS() == S)
      Keep(homeOf(BO->getLHS(), &Locals));
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        Op->getArg(1) == S)
      Keep(homeOf(Op->getArg(0), &Locals));
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(P);
        MCE && isInsertion(MCE))
      Keep(homeOf(MCE->getImplicitObjectArgument(), &Locals));
    S = P;
    P = Tasks.parentOf(T, P);
  }
  // A constructor's member initializer: `worker_(&C::run, this)`.
  if (!P)
    for (const Expr *Init : memberInitializers(Spawner))
      if (stripWrappers(Init) == stripWrappers(cast<Expr>(S)))
        It->second.InMember = true;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() &&
            stripWrappers(VD->getInit()) == stripWrappers(cast<Expr>(S)))
          It->second.Holder = VD;
  return It->second;
}

// The thread or future the spawn made: the variable holding it (or a
// shared_future made from that future), or, for one kept in a container, any
// of the kind (a detached thread has none).
bool SpawnerSync::holds(const Task &T, const Expr *Obj) {
  const Handle &H = handleOf(T);
  if (!H.Holder)
    return !H.Detached;
  // std::move(f).get(): a future consumed by an rvalue-qualified wait.
  if (const Expr *Moved = movedFrom(Obj))
    Obj = Moved;
  const auto *DRE =
      Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && (VD == H.Holder || sharesFuture(VD, H.Holder));
}

SpawnerSync::LeftRunning SpawnerSync::leftRunning(const Task &T) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Spawner);
  const bool Member = MD && !MD->isStatic() && !MD->getParent()->isLambda();
  if (!Member && isa<CXXMethodDecl>(Spawner) &&
      cast<CXXMethodDecl>(Spawner)->getParent()->isLambda())
    return LeftRunning::No; // a lambda's body: who knows when it runs
  if (T.S.JoinedOnReturn)
    return LeftRunning::No;
  const Handle &H = handleOf(T);
  LeftRunning Where = LeftRunning::No;
  // A free function's detached thread is left out: such helpers hand
  // their results back through futures and queues the analysis does not
  // follow into their wrappers (a spawn_task() of packaged tasks).
  if (Member && (H.InMember || H.Detached))
    Where = LeftRunning::OnObject;
  else if (H.InGlobal)
    Where = LeftRunning::InGlobal;
  if (Where == LeftRunning::No)
    return Where;
  std::optional<CFGPoint> At = SpawnerBody.pointOf(T.S.Site);
  if (!At || findEscapes(SpawnerBody, PathStart{*At, std::nullopt},
                         [&](const CFGElement &E) { return isJoin(T, E); })
                 .empty())
    return LeftRunning::No;
  return Where;
}

bool SpawnerSync::isJoinEdge(const Task &T, const CFGBlock *Blk,
                             unsigned Succ) {
  if (ReadyEdges.empty())
    return false;
  auto It = ReadyEdges.find({Blk, Succ});
  const Spawn::Kind K = T.S.K;
  return It != ReadyEdges.end() &&
         (K == Spawn::StdAsync || K == Spawn::PoolSubmit ||
          T.S.ReturnsFuture) &&
         holds(T, It->second);
}

bool SpawnerSync::isJoin(const Task &T, const CFGElement &E) {
  const Spawn::Kind K = T.S.K;
  const bool ThreadTask = K == Spawn::StdThread || K == Spawn::StdJThread;
  const bool FutureTask =
      K == Spawn::StdAsync || K == Spawn::PoolSubmit || T.S.ReturnsFuture;
  const Handle &H = handleOf(T);
  if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      CS && !H.Holder && !H.Detached &&
      (ThreadTask || FutureTask || T.S.StartsKept ||
       K == Spawn::PthreadCreate) &&
      JoinLoops.count(CS->getStmt()))
    return true;
  if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
    // A jthread (or a container of them) joins at its end of scope.
    const VarDecl *VD = D->getVarDecl();
    if (VD == H.Holder)
      return K == Spawn::StdJThread;
    // A pool whose destructor joins the tasks handed to it.
    if (T.S.Executor && isa<DeclRefExpr>(T.S.Executor->IgnoreParenImpCasts()) &&
        cast<DeclRefExpr>(T.S.Executor->IgnoreParenImpCasts())->getDecl() ==
            VD &&
        Model.spawns().joinsSubmittedOnDestruction(recordOf(VD->getType()),
                                                   VD->getASTContext()))
      return true;
    if (K == Spawn::StdJThread && !H.Holder)
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
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Obj = MCE ? MCE->getImplicitObjectArgument() : nullptr;
  const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
  if (MD && MD->getDeclName().isIdentifier() &&
      (MD->getName() == "wait_idle" || MD->getName() == "join") &&
      K == Spawn::PoolSubmit)
    return qualifiedName(MD->getParent()) == "concheck::worker_pool";
  switch (Model.spawns().joinKind(Call, Spawner->getASTContext())) {
  case SpawnModel::JoinKind::Thread:
    return ThreadTask && holds(T, Obj);
  case SpawnModel::JoinKind::Handle:
    return FutureTask && holds(T, Obj);
  case SpawnModel::JoinKind::Pthread:
    return K == Spawn::PthreadCreate;
  case SpawnModel::JoinKind::Submitted:
    // The object the task was handed to waits for all its tasks.
    if (T.S.Executor && Obj) {
      std::optional<AccessPath> Pool = AccessPath::of(Obj, &Locals);
      return Pool && Pool == AccessPath::of(T.S.Executor, &Locals);
    }
    break;
  case SpawnModel::JoinKind::None:
    break;
  }
  if (std::optional<GroupOp> Op =
          MCE ? Model.groups().classify(MCE, &Locals) : std::nullopt;
      Op && Op->waits() && Op->Group) {
    TaskModel &Tasks = Model.tasks();
    for (const AccessPath &G : Tasks.doneGroups(T))
      if (G == *Op->Group)
        return true;
    return Tasks.countedByGo(T, *Op->Group) || Tasks.pairedAdd(T, *Op->Group);
  }
  return false;
}

const SpawnerSync::SyncCalls &SpawnerSync::syncCallsOf(const BodyCFG &Body,
                                                       const Bindings *B) {
  auto [It, Inserted] = Calls.try_emplace(&Body);
  if (Inserted)
    for (const CFGBlock *Blk : Body.cfg())
      for (const CFGElement &E : *Blk)
        if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
          if (std::optional<SyncCall> C =
                  syncCallOf(CS->getStmt(), Model.accesses(), B))
            It->second.try_emplace(CS->getStmt(), std::move(*C));
  return It->second;
}

bool SpawnerSync::handedOff(const BodyCFG &WriterBody, const Bindings *WriterB,
                            const Stmt *First, const BodyCFG &ReaderBody,
                            const Bindings *ReaderB,
                            const PathStart &ReaderStart, const Stmt *Second) {
  const SyncCalls &Published = syncCallsOf(WriterBody, WriterB);
  std::optional<CFGPoint> From = WriterBody.pointOf(First);
  if (Published.empty() || !From)
    return false;
  const SyncCalls &Observed = syncCallsOf(ReaderBody, ReaderB);
  auto Call = [](const SyncCalls &Calls,
                 const CFGElement &E) -> const SyncCall * {
    std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
    auto It = CS ? Calls.find(CS->getStmt()) : Calls.end();
    return It == Calls.end() ? nullptr : &It->second;
  };
  for (const auto &Candidate : Published) {
    const SyncCall &Channel = Candidate.second;
    if (!Channel.Publishes)
      continue;
    auto Publishes = [&](const CFGElement &E) {
      const SyncCall *C = Call(Published, E);
      return C && C->Publishes && mayShareState(*C, Channel);
    };
    auto Observes = [&](const CFGElement &E) {
      const SyncCall *C = Call(Observed, E);
      return C && C->Observes && mayShareState(*C, Channel);
    };
    if (findEscapes(WriterBody, PathStart{*From, std::nullopt}, Publishes)
            .empty() &&
        !reachesAvoiding(ReaderBody, ReaderStart, Second, Observes))
      return true;
  }
  return false;
}

bool SpawnerSync::handedOffInCallees(const LocatedAccess &Writer,
                                     const LocatedAccess &Reader) {
  if (Writer.Chain.empty() || Reader.Chain.empty() || !Writer.InnerAnchor ||
      !Reader.InnerAnchor)
    return false;
  const BodyCFG *WB = getBodyCFG(Writer.InnerBody);
  const BodyCFG *RB = getBodyCFG(Reader.InnerBody);
  return WB && RB &&
         handedOff(*WB, nullptr, Writer.InnerAnchor, *RB, nullptr, entryOf(*RB),
                   Reader.InnerAnchor);
}

/// For a branch on `x.joinable()` (or `!x.joinable()`, `x.valid()`) where
/// x is a thread or future of the object: the successor taken when it is
/// not (joined already, or never started).
static std::optional<unsigned> notJoinableEdge(const Expr *Cond) {
  if (!Cond)
    return std::nullopt;
  Cond = Cond->IgnoreParenImpCasts();
  unsigned Edge = 1;
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    Cond = UO->getSubExpr()->IgnoreParenImpCasts();
    Edge = 0;
  }
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Cond);
  const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier())
    return std::nullopt;
  const Expr *Obj = MCE->getImplicitObjectArgument();
  const QualType T = Obj ? Obj->IgnoreParenImpCasts()->getType() : QualType();
  const bool Test = (MD->getName() == "joinable" &&
                     isStdRecord(recordOf(T, /*ThroughPointer=*/true),
                                 {"thread", "jthread"})) ||
                    (MD->getName() == "valid" &&
                     isStdRecord(recordOf(T, /*ThroughPointer=*/true),
                                 {"future", "shared_future"}));
  if (!Test || homeOf(Obj, nullptr) == Home::None)
    return std::nullopt;
  return Edge;
}

OwnerSync::Facts &OwnerSync::factsOf(const FunctionDecl *MD) {
  auto [It, Inserted] = Cache.try_emplace(MD);
  if (!Inserted)
    return *It->second;
  It->second = std::make_unique<Facts>();
  Facts &F = *It->second;
  const BodyCFG *Body = getBodyCFG(MD);
  if (!Body)
    return F;
  JoinLoopFinder Finder(Model);
  Finder.TraverseStmt(MD->getBody());
  F.JoinLoops = std::move(Finder.Loops);
  for (const CFGBlock *Blk : Body->cfg())
    if (Blk && Blk->succ_size() == 2)
      if (std::optional<unsigned> Edge =
              notJoinableEdge(dyn_cast_or_null<Expr>(Blk->getLastCondition())))
        F.NotJoinable.insert({Blk, *Edge});
  return F;
}

bool OwnerSync::isJoinEdge(const FunctionDecl *MD, const CFGBlock *B,
                           unsigned Succ) {
  const Facts &F = factsOf(MD);
  return !F.NotJoinable.empty() && F.NotJoinable.count({B, Succ});
}

bool OwnerSync::isJoin(const FunctionDecl *FD, const CFGElement &E) {
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return false;
  if (factsOf(FD).JoinLoops.count(CS->getStmt()))
    return true;
  const auto *Call = dyn_cast<CallExpr>(CS->getStmt());
  if (!Call)
    return false;
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Obj = MCE ? MCE->getImplicitObjectArgument() : nullptr;
  // A function, or a member function of the object, that joins on every
  // path through it.
  if (!MCE || (Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Def);
    return Def && !(MD && MD->isVirtual()) && !isa<CXXOperatorCallExpr>(Call) &&
           !Def->getASTContext().getSourceManager().isInSystemHeader(
               Def->getLocation()) &&
           joinsOnEveryPath(Def);
  }
  const CXXMethodDecl *Callee = MCE->getMethodDecl();
  if (!Callee || !Callee->getDeclName().isIdentifier() ||
      homeOf(Obj, nullptr) == Home::None)
    return false;
  StringRef Name = Callee->getName();
  // A thread the object holds, or the handle of a task it started.
  if (SpawnModel::JoinKind K =
          Model.spawns().joinKind(MCE, Callee->getASTContext());
      K == SpawnModel::JoinKind::Thread || K == SpawnModel::JoinKind::Handle)
    return true;
  if ((Name == "wait_idle" || Name == "join") &&
      qualifiedName(Callee->getParent()) == "concheck::worker_pool")
    return true;
  std::optional<GroupOp> Op = Model.groups().classify(MCE, nullptr);
  return Op && Op->waits();
}

bool OwnerSync::joinsOnEveryPath(const FunctionDecl *MD) {
  Facts &F = factsOf(MD);
  if (F.JoinsEveryPath)
    return *F.JoinsEveryPath;
  if (F.Computing)
    return false; // recursion: not known to join
  const BodyCFG *Body = getBodyCFG(MD);
  if (!Body)
    return false;
  F.Computing = true;
  const bool Joins =
      findEscapes(
          *Body, entryOf(*Body),
          [&](const CFGElement &E) { return isJoin(MD, E); },
          [&](const CFGBlock *B, unsigned I) { return isJoinEdge(MD, B, I); })
          .empty();
  F.Computing = false; // the cache holds Facts by pointer: F is still valid
  F.JoinsEveryPath = Joins;
  return Joins;
}

llvm::SmallVector<const CXXMethodDecl *, 8>
OwnerSync::callableMembers(const CXXRecordDecl *RD) {
  llvm::SmallVector<const CXXMethodDecl *, 8> Out;
  if (!RD || !RD->hasDefinition())
    return Out;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (isa<CXXConstructorDecl>(M) || M->isStatic() || M->isImplicit() ||
        M->getAccess() == AS_private || M->isDeleted() || M->isDefaulted())
      continue;
    const auto *Def = dyn_cast_or_null<CXXMethodDecl>(M->getDefinition());
    if (Def && Def->hasBody())
      Out.push_back(Def);
  }
  return Out;
}

/// One call a function makes: the callee (canonical), the call or the
/// construction, and for a member call or a variable's construction the
/// object it is on.
struct CallSite {
  const FunctionDecl *Callee;
  const Expr *Site;
  std::optional<AccessPath> Object;
};

namespace {

/// The calls \p Body makes directly (lambdas' bodies aside: they run where
/// they are called), member calls and constructions of variables with the
/// object they are on.
std::vector<CallSite> callsIn(const FunctionDecl *Body) {
  struct Calls : RecursiveASTVisitor<Calls> {
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCallExpr(CallExpr *C) {
      const FunctionDecl *Callee = C->getDirectCallee();
      if (!Callee)
        return true;
      std::optional<AccessPath> Object;
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(C))
        if (const Expr *Obj = MCE->getImplicitObjectArgument())
          Object = AccessPath::ofObject(Obj);
      Out.push_back({Callee->getCanonicalDecl(), C, std::move(Object)});
      return true;
    }
    bool VisitVarDecl(VarDecl *VD) {
      if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
              VD->getInit() ? stripWrappers(VD->getInit()) : nullptr))
        Out.push_back({CE->getConstructor()->getCanonicalDecl(), CE,
                       AccessPath::ofDecl(VD)});
      return true;
    }
    std::vector<CallSite> Out;
  } C;
  C.TraverseStmt(Body->getBody());
  return std::move(C.Out);
}

/// The main file's function definitions (lambdas' bodies aside: they run
/// where they are called) and the calls each makes directly.
class FileCalls : public RecursiveASTVisitor<FileCalls> {
public:
  explicit FileCalls(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
        (MD && MD->getParent()->isLambda()) || FD->isImplicit() ||
        !SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      return true;
    Functions.push_back(FD);
    Defined.insert(FD);
    CallsOf[FD] = callsIn(FD);
    return true;
  }
  const SourceManager &SM;
  std::vector<const FunctionDecl *> Functions;
  llvm::SmallPtrSet<const FunctionDecl *, 32> Defined;
  llvm::DenseMap<const FunctionDecl *, std::vector<CallSite>> CallsOf;

  static FileCalls of(ASTContext &Ctx) {
    const SourceManager &SM = Ctx.getSourceManager();
    FileCalls File(SM);
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
        File.TraverseDecl(D);
    return File;
  }
};
} // namespace

void OwnerSync::startsOf(
    const FunctionDecl *Spawner, llvm::ArrayRef<const FunctionDecl *> Functions,
    llvm::function_ref<const std::vector<CallSite> &(const FunctionDecl *)>
        CallsOf,
    llvm::SmallPtrSetImpl<const Decl *> &Starts,
    llvm::SmallPtrSetImpl<const Decl *> &LeavesRunning) {
  // The functions that start the task: the spawner and its callers, to a
  // fixed point.
  Starts.insert(Spawner->getCanonicalDecl());
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *F : Functions)
      if (!Starts.count(F->getCanonicalDecl()))
        for (const CallSite &C : CallsOf(F))
          if (Starts.count(C.Callee)) {
            Starts.insert(F->getCanonicalDecl());
            Changed = true;
            break;
          }
  }
  // The ones that return with it still running: the spawner, and a caller
  // with a path from such a call to its exit that does not join.
  LeavesRunning.insert(Spawner->getCanonicalDecl());
  auto RunsOnAfter = [&](const FunctionDecl *F, const Expr *Call) {
    const BodyCFG *Body = getBodyCFG(F);
    std::optional<CFGPoint> At = Body ? Body->pointOf(Call) : std::nullopt;
    return At && !findEscapes(
                      *Body, PathStart{*At, std::nullopt},
                      [&](const CFGElement &E) { return isJoin(F, E); },
                      [&](const CFGBlock *B, unsigned I) {
                        return isJoinEdge(F, B, I);
                      })
                      .empty();
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *F : Functions)
      if (Starts.count(F->getCanonicalDecl()) &&
          !LeavesRunning.count(F->getCanonicalDecl()))
        for (const CallSite &C : CallsOf(F))
          if (LeavesRunning.count(C.Callee) && RunsOnAfter(F, C.Site)) {
            LeavesRunning.insert(F->getCanonicalDecl());
            Changed = true;
            break;
          }
  }
}

/// The windows of \p Candidates: one that starts the task (\p Starts) runs
/// beside it after each of its calls that return with it running on; another
/// from its entry when \p FromEntry says so. Not the spawner, not
/// \p Excluded.
static std::vector<OwnerSync::Window> placeWindows(
    const FunctionDecl *Spawner,
    llvm::ArrayRef<const FunctionDecl *> Candidates,
    llvm::function_ref<const std::vector<CallSite> &(const FunctionDecl *)>
        CallsOf,
    const llvm::SmallPtrSetImpl<const Decl *> &Starts,
    const llvm::SmallPtrSetImpl<const Decl *> &LeavesRunning,
    const llvm::SmallPtrSetImpl<const Decl *> &Excluded,
    llvm::function_ref<bool(const FunctionDecl *)> FromEntry) {
  std::vector<OwnerSync::Window> Out;
  for (const FunctionDecl *F : Candidates) {
    const Decl *Canon = F->getCanonicalDecl();
    if (Canon == Spawner->getCanonicalDecl() || Excluded.count(Canon))
      continue;
    const BodyCFG *Body = getBodyCFG(F);
    if (!Body)
      continue;
    if (Starts.count(Canon)) {
      for (const CallSite &C : CallsOf(F))
        if (LeavesRunning.count(C.Callee))
          if (std::optional<CFGPoint> At = Body->pointOf(C.Site))
            Out.push_back({F, PathStart{*At, std::nullopt}});
      continue;
    }
    if (FromEntry(F))
      Out.push_back({F, entryOf(*Body)});
  }
  return Out;
}

std::vector<OwnerSync::Window>
OwnerSync::globalWindows(const FunctionDecl *Spawner,
                         const llvm::SmallPtrSetImpl<const Decl *> &Excluded) {
  FileCalls File = FileCalls::of(Spawner->getASTContext());
  llvm::SmallPtrSet<const Decl *, 8> Starts, LeavesRunning;
  startsOf(
      Spawner, File.Functions,
      [&](const FunctionDecl *F) -> const std::vector<CallSite> & {
        return File.CallsOf[F];
      },
      Starts, LeavesRunning);
  llvm::DenseMap<const Decl *, unsigned> Callers;
  for (const FunctionDecl *F : File.Functions)
    for (const CallSite &C : File.CallsOf[F])
      ++Callers[C.Callee];

  // A function called from a window runs in it too, and is seen there
  // through its caller's summary; one that nothing in the file calls is for
  // the file's users, who may call it at any time.
  return placeWindows(
      Spawner, File.Functions,
      [&](const FunctionDecl *F) -> const std::vector<CallSite> & {
        return File.CallsOf[F];
      },
      Starts, LeavesRunning, Excluded, [&](const FunctionDecl *F) {
        return !Callers.lookup(F->getCanonicalDecl()) && !F->isMain();
      });
}

std::vector<OwnerSync::Window>
OwnerSync::memberWindows(const CXXMethodDecl *Spawner,
                         const llvm::SmallPtrSetImpl<const Decl *> &Excluded) {
  const CXXRecordDecl *RD = Spawner->getParent();
  // The class's member functions and their calls on the object itself.
  std::vector<const FunctionDecl *> Members;
  llvm::DenseMap<const FunctionDecl *, std::vector<CallSite>> OnThis;
  for (const CXXMethodDecl *M : RD->methods()) {
    const FunctionDecl *Def = M->getDefinition();
    if (!Def || !Def->hasBody() || M->isStatic())
      continue;
    Members.push_back(Def);
    for (CallSite &C : callsIn(Def)) {
      const auto *MCE = dyn_cast<CXXMemberCallExpr>(C.Site);
      const Expr *Obj = MCE ? MCE->getImplicitObjectArgument() : nullptr;
      if (Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
        OnThis[Def].push_back(std::move(C));
    }
  }
  llvm::SmallPtrSet<const Decl *, 8> Starts, LeavesRunning;
  startsOf(
      Spawner, Members,
      [&](const FunctionDecl *F) -> const std::vector<CallSite> & {
        return OnThis[F];
      },
      Starts, LeavesRunning);

  // Whether the file calls M on an object after starting the task on it,
  // before a member function that joins it: `w.start(); w.progress();`.
  std::optional<FileCalls> File;
  auto CalledWhileRunning = [&](const CXXMethodDecl *M) {
    if (!File)
      File.emplace(FileCalls::of(Spawner->getASTContext()));
    for (const FunctionDecl *F : File->Functions) {
      const std::vector<CallSite> &Calls = File->CallsOf[F];
      const BodyCFG *Body = getBodyCFG(F);
      if (!Body)
        continue;
      for (const CallSite &Call : Calls) {
        if (Call.Callee != M->getCanonicalDecl() || !Call.Object)
          continue;
        for (const CallSite &Start : Calls) {
          if (!Start.Object || *Start.Object != *Call.Object ||
              !LeavesRunning.count(Start.Callee))
            continue;
          std::optional<CFGPoint> At = Body->pointOf(Start.Site);
          auto Joins = [&](const CFGElement &E) {
            std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
            const auto *MCE =
                CS ? dyn_cast<CXXMemberCallExpr>(CS->getStmt()) : nullptr;
            const FunctionDecl *Callee = MCE ? MCE->getDirectCallee() : nullptr;
            if (!Callee || !Callee->getDefinition() ||
                cast<CXXMethodDecl>(Callee)->getParent() != RD)
              return false;
            const Expr *Obj = MCE->getImplicitObjectArgument();
            std::optional<AccessPath> P = AccessPath::ofObject(Obj);
            return P && *P == *Call.Object &&
                   joinsOnEveryPath(Callee->getDefinition());
          };
          if (At && reachesAvoiding(*Body, PathStart{*At, std::nullopt},
                                    Call.Site, Joins))
            return true;
        }
      }
    }
    return false;
  };
  // Whether M is meant to run beside the task: it joins it (the part before
  // the join runs while the task does), it is the destructor, it takes a
  // lock (written for concurrent callers), or the file calls it while the
  // task runs. A setter the file calls only before the start is taken to
  // configure the object, not to race with it.
  auto RunsBeside = [&](const CXXMethodDecl *M) {
    if (isa<CXXDestructorDecl>(M))
      return true;
    const BodyCFG *Body = getBodyCFG(M);
    if (!Body)
      return false;
    for (const CFGBlock *B : Body->cfg())
      for (const CFGElement &E : *B) {
        if (isJoin(M, E))
          return true;
        if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
          if (const auto *X = dyn_cast<Expr>(CS->getStmt()))
            for (const LockOp &Op : Model.locks().classify(X))
              if (Op.locks() || Op.K == LockOp::GuardAcquire ||
                  Op.K == LockOp::GuardTryAcquire)
                return true;
      }
    return CalledWhileRunning(M);
  };

  llvm::SmallVector<const FunctionDecl *, 8> Callable;
  for (const CXXMethodDecl *M : callableMembers(RD))
    Callable.push_back(M);
  return placeWindows(
      Spawner, Callable,
      [&](const FunctionDecl *F) -> const std::vector<CallSite> & {
        return OnThis[F];
      },
      Starts, LeavesRunning, Excluded, [&](const FunctionDecl *F) {
        return RunsBeside(cast<CXXMethodDecl>(F));
      });
}

} // namespace concheck::model
