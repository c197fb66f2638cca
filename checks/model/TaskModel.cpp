//===--- TaskModel.cpp - Spawned tasks and the groups that count them -----===//

#include "TaskModel.h"
#include "BodyCFG.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace concheck::model {

namespace {

/// Walks a spawner's body once: every spawn, and the parent of every
/// statement (a parent map for this body only; the AST-wide one costs a walk
/// of the whole translation unit).
class SpawnerScanner : public RecursiveASTVisitor<SpawnerScanner> {
public:
  SpawnerScanner(const SpawnModel &Spawns, ASTContext &Ctx,
                 const Bindings &Locals,
                 llvm::DenseMap<const Stmt *, const Stmt *> &Parent)
      : Spawns(Spawns), Ctx(Ctx), Locals(Locals), Parent(Parent) {}

  bool shouldVisitLambdaBody() const { return true; }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    if (!Stack.empty())
      Parent.try_emplace(S, Stack.back());
    Stack.push_back(S);
    bool R = RecursiveASTVisitor::TraverseStmt(S);
    Stack.pop_back();
    return R;
  }

  bool VisitExpr(Expr *E) {
    for (Spawn &T : Spawns.tasksStartedBy(E, Ctx, &Locals))
      Found.push_back(std::move(T));
    return true;
  }

  std::vector<Spawn> Found;

private:
  const SpawnModel &Spawns;
  ASTContext &Ctx;
  const Bindings &Locals;
  llvm::DenseMap<const Stmt *, const Stmt *> &Parent;
  llvm::SmallVector<const Stmt *, 16> Stack;
};

/// Whether a body starts any task: one walk that stops at the first spawn.
class SpawnFinder : public RecursiveASTVisitor<SpawnFinder> {
public:
  SpawnFinder(const SpawnModel &Spawns, ASTContext &Ctx)
      : Spawns(Spawns), Ctx(Ctx) {}
  bool shouldVisitLambdaBody() const { return true; }
  bool VisitExpr(Expr *E) {
    Found = isa<CallExpr, CXXConstructExpr>(E) &&
            Spawns.classify(E, Ctx).has_value();
    return !Found;
  }
  bool Found = false;

private:
  const SpawnModel &Spawns;
  ASTContext &Ctx;
};

/// The wait-group calls and done guards of one task body. Nested lambdas are
/// left out (a child task, or a callback that runs who knows when), except
/// the lambda of a local object's initializer: a scope-exit helper.
class TaskScanner : public RecursiveASTVisitor<TaskScanner> {
public:
  TaskScanner(const SpawnModel &Spawns, const WaitGroupModel &Groups, Task &T)
      : Spawns(Spawns), Groups(Groups), T(T) {}

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    if (std::optional<GroupOp> Op = Groups.classify(Call, &T.B))
      T.Ops.push_back(std::move(*Op));
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || !VD->getInit())
      return true;
    const CXXRecordDecl *RD = recordOf(VD->getType());
    if (!RD || !RD->hasDefinition())
      return true;
    // concheck::done_guard (and any configured guard named done_guard):
    // its constructor argument is the group.
    if (RD->getName() == "done_guard") {
      if (const auto *CE = dyn_cast<CXXConstructExpr>(stripWrappers(VD->getInit()));
          CE && CE->getNumArgs() >= 1)
        if (std::optional<AccessPath> G = AccessPath::of(CE->getArg(0), &T.B))
          T.Guards.push_back({VD, *G, CE->getArg(0)});
      return true;
    }
    // A scope-exit helper: a lambda in the initializer that calls done.
    // A hand-written defer struct: a destructor that calls done on a member,
    // initialised from the group. A lambda the initializer starts as a task
    // (std::thread t([&] { ...; wg.done(); })) runs elsewhere, not at the
    // end of the scope.
    LambdaFinder Lambdas(Spawns, VD->getASTContext());
    Lambdas.TraverseStmt(VD->getInit());
    for (const LambdaExpr *L : Lambdas.Found) {
      if (Lambdas.Spawned.count(L))
        continue;
      Task Inner;
      Inner.B = T.B;
      TaskScanner Nested(Spawns, Groups, Inner);
      Nested.TraverseStmt(L->getBody());
      for (const GroupOp &Op : Inner.Ops)
        if (Op.counts() && Op.Group)
          T.Guards.push_back({VD, *Op.Group, Op.Object});
    }
    if (const CXXDestructorDecl *Dtor = RD->getDestructor();
        Dtor && Dtor->hasBody() && !RD->isLambda()) {
      Task Inner;
      TaskScanner Nested(Spawns, Groups, Inner);
      Nested.TraverseStmt(Dtor->getBody());
      bool DestructorCallsDone = false;
      for (const GroupOp &Op : Inner.Ops)
        DestructorCallsDone |= Op.counts();
      if (DestructorCallsDone) {
        // The group is what the object was built from.
        ArgFinder Args(T.B);
        Args.TraverseStmt(VD->getInit());
        for (const auto &[G, Named] : Args.Found)
          T.Guards.push_back({VD, G, Named});
      }
    }
    return true;
  }

private:
  /// The lambdas of an initializer, and those of them it starts as tasks.
  struct LambdaFinder : RecursiveASTVisitor<LambdaFinder> {
    LambdaFinder(const SpawnModel &Spawns, ASTContext &Ctx)
        : Spawns(Spawns), Ctx(Ctx) {}
    bool VisitLambdaExpr(LambdaExpr *L) {
      Found.push_back(L);
      return true;
    }
    bool VisitExpr(Expr *E) {
      if (isa<CallExpr, CXXConstructExpr>(E))
        if (std::optional<Spawn> S = Spawns.classify(E, Ctx); S && S->Lambda)
          Spawned.insert(S->Lambda);
      return true;
    }
    bool TraverseLambdaBody(LambdaExpr *) { return true; }
    const SpawnModel &Spawns;
    ASTContext &Ctx;
    llvm::SmallVector<const LambdaExpr *, 1> Found;
    llvm::SmallPtrSet<const LambdaExpr *, 1> Spawned;
  };
  /// The objects an initializer names (wg in Defer d{wg} or Defer d(&wg)).
  struct ArgFinder : RecursiveASTVisitor<ArgFinder> {
    explicit ArgFinder(const Bindings &B) : B(B) {}
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (std::optional<AccessPath> P = AccessPath::of(E, &B))
        Found.push_back({*P, E});
      if (E->getType()->isPointerType())
        if (std::optional<AccessPath> P = AccessPath::ofPointee(E, &B))
          Found.push_back({*P, E});
      return true;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      if (std::optional<AccessPath> P = AccessPath::of(E, &B))
        Found.push_back({*P, E});
      return true;
    }
    const Bindings &B;
    /// Each object named, with the expression naming it.
    llvm::SmallVector<std::pair<AccessPath, const Expr *>, 2> Found;
  };

  const SpawnModel &Spawns;
  const WaitGroupModel &Groups;
  Task &T;
};

/// Whether \p G is an automatic object of \p Body itself: each call of the
/// body (each run of a task, each level of a recursion) makes a new one, so
/// it is never a group that was counting before the call began, even when
/// the declaration is the spawner's own (a recursive call).
bool isFreshInBody(const AccessPath &G, const FunctionDecl *Body) {
  const auto *VD = dyn_cast_or_null<VarDecl>(G.root());
  if (!VD || !Body || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType())
    return false;
  const auto *Owner = dyn_cast<FunctionDecl>(VD->getDeclContext());
  return Owner && Owner->getCanonicalDecl() == Body->getCanonicalDecl();
}

} // namespace

void scanGroupCalls(const SpawnModel &Spawns, const WaitGroupModel &Groups,
                    const FunctionDecl *Body, const Bindings &B,
                    llvm::SmallVectorImpl<GroupOp> &Ops,
                    llvm::SmallVectorImpl<DoneGuard> &Guards) {
  if (!Body || !Body->hasBody())
    return;
  Task T;
  T.B = B;
  TaskScanner Scanner(Spawns, Groups, T);
  Scanner.TraverseStmt(Body->getBody());
  for (GroupOp &Op : T.Ops)
    if (!Op.Group || !isFreshInBody(*Op.Group, Body))
      Ops.push_back(std::move(Op));
  for (DoneGuard &DG : T.Guards)
    if (!isFreshInBody(DG.Group, Body))
      Guards.push_back(std::move(DG));
}

TaskModel::SpawnerFacts &TaskModel::factsOf(const FunctionDecl *Spawner) {
  auto [It, Inserted] = Cache.try_emplace(Spawner);
  if (!Inserted)
    return *It->second;
  It->second = std::make_unique<SpawnerFacts>();
  SpawnerFacts &F = *It->second;
  if (!Spawner->hasBody())
    return F;
  // Most functions start no task: one walk tells, before paying for the
  // pointer bindings and the parent map that a spawn's facts need.
  // A constructor's member initializers run before its body and may start
  // the thread the object keeps (`worker_(&C::run, this)`).
  llvm::SmallVector<Stmt *, 4> Roots;
  for (const Expr *Init : memberInitializers(Spawner))
    Roots.push_back(const_cast<Expr *>(Init));
  Roots.push_back(Spawner->getBody());
  SpawnFinder Finder(Spawns, Spawner->getASTContext());
  for (Stmt *Root : Roots)
    if (!Finder.Found)
      Finder.TraverseStmt(Root);
  if (!Finder.Found)
    return F;
  F.Locals = SpawnModel::localPointerBindings(Spawner);
  SpawnerScanner Scanner(Spawns, Spawner->getASTContext(), F.Locals, F.Parent);
  for (Stmt *Root : Roots)
    Scanner.TraverseStmt(Root);
  for (Spawn &S : Scanner.Found) {
    Task T;
    T.S = std::move(S);
    T.Spawner = Spawner;
    T.B = T.S.TaskBindings;
    T.B.merge(F.Locals);
    scanTask(T);
    F.Tasks.push_back(std::move(T));
  }
  return F;
}

const std::vector<Task> &TaskModel::tasksOf(const FunctionDecl *Spawner) {
  return factsOf(Spawner).Tasks;
}

void TaskModel::scanTask(Task &T) {
  if (!T.S.Body || !T.S.Body->hasBody())
    return;
  // The body's own pointer locals: `auto *g = static_cast<wait_group *>(arg)`
  // in a pthread routine names the group its argument points to.
  T.B.merge(SpawnModel::localPointerBindings(T.S.Body, &T.B));
  // A group the body declares itself is a new one in every call: its adds,
  // waits and dones are about the body's own children, not about the
  // groups counting the body (scanGroupCalls leaves them out).
  scanGroupCalls(Spawns, Groups, T.S.Body, T.B, T.Ops, T.Guards);
}

const Stmt *TaskModel::parentOf(const Task &T, const Stmt *S) {
  return factsOf(T.Spawner).Parent.lookup(S);
}

namespace {
/// Whether a loop body changes a variable or lets it be changed (its address
/// taken, a non-const reference or a lambda's reference capture bound to it).
class CounterUses : public RecursiveASTVisitor<CounterUses> {
public:
  explicit CounterUses(const VarDecl *Counter) : Counter(Counter) {}
  // A lambda changes the counter only through a capture by reference.
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == Counter &&
          C.getCaptureKind() == LCK_ByRef)
        Changed = true;
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp() && names(BO->getLHS()))
      Changed = true;
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if ((UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
        names(UO->getSubExpr()))
      Changed = true;
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      if (!names(Call->getArg(I)))
        continue;
      if (!FD) {
        Changed = true; // through a function pointer: who knows
        continue;
      }
      if (I >= FD->getNumParams())
        continue; // a C variadic argument is copied
      // A non-const reference parameter, or std::ref's handle. A template's
      // forwarding reference (emplace_back(f, i), async(f, i)) hands the
      // value on to be copied: not counted, a cost this guess accepts.
      QualType P = FD->getParamDecl(I)->getType();
      if (FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
          (FD->getName() == "ref" || FD->getName() == "swap"))
        Changed = true;
      else if (P->isReferenceType() &&
               !P.getNonReferenceType().isConstQualified() &&
               !FD->isTemplateInstantiation())
        Changed = true;
    }
    return true;
  }
  bool Changed = false;

private:
  bool names(const Expr *E) const {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == Counter;
  }
  const VarDecl *Counter;
};
} // namespace

std::optional<std::pair<int64_t, int64_t>>
TaskModel::counterRange(const Task &T, const VarDecl *Counter) {
  return counterRangeAt(T.Spawner, T.S.madeAt(), Counter);
}

std::optional<std::pair<int64_t, int64_t>>
TaskModel::counterRangeAt(const FunctionDecl *Spawner, const Stmt *S,
                          const VarDecl *Counter) {
  if (!Spawner || !S || !Counter || !Counter->getType()->isIntegerType() ||
      !Counter->getInit())
    return std::nullopt;
  const ASTContext &Ctx = Counter->getASTContext();
  auto Constant = [&](const Expr *E) -> std::optional<int64_t> {
    E = E->IgnoreParenImpCasts();
    if (E->isValueDependent())
      return std::nullopt;
    if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(Ctx))
      return V->getExtValue();
    return std::nullopt;
  };
  auto Names = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == Counter;
  };
  // The for statement around S whose init declares the counter.
  const llvm::DenseMap<const Stmt *, const Stmt *> &Parent =
      factsOf(Spawner).Parent;
  const ForStmt *Loop = nullptr;
  for (const Stmt *P = Parent.lookup(S); P && !Loop; P = Parent.lookup(P))
    if (const auto *F = dyn_cast<ForStmt>(P))
      if (const auto *DS = dyn_cast_or_null<DeclStmt>(F->getInit());
          DS && DS->isSingleDecl() && DS->getSingleDecl() == Counter)
        Loop = F;
  if (!Loop || !Loop->getCond() || !Loop->getInc())
    return std::nullopt;
  std::optional<int64_t> First = Constant(Counter->getInit());
  const auto *Cond =
      dyn_cast<BinaryOperator>(Loop->getCond()->IgnoreParenImpCasts());
  if (!First || !Cond || !Names(Cond->getLHS()))
    return std::nullopt;
  std::optional<int64_t> Bound = Constant(Cond->getRHS());
  if (!Bound)
    return std::nullopt;
  int64_t Last;
  if (Cond->getOpcode() == BO_LT || Cond->getOpcode() == BO_NE)
    Last = *Bound;
  else if (Cond->getOpcode() == BO_LE)
    Last = *Bound + 1;
  else
    return std::nullopt;
  const Expr *Inc = Loop->getInc()->IgnoreParenImpCasts();
  const auto *Step = dyn_cast<UnaryOperator>(Inc);
  if (!Step || !Step->isIncrementOp() || !Names(Step->getSubExpr()))
    return std::nullopt;
  CounterUses Uses(Counter);
  Uses.TraverseStmt(const_cast<Stmt *>(Loop->getBody()));
  if (Uses.Changed || *First >= Last)
    return std::nullopt;
  return std::make_pair(*First, Last);
}

bool TaskModel::countedByGo(const Task &T, const AccessPath &G) const {
  if (T.S.K != Spawn::WaitGroupGo || !T.S.Executor)
    return false;
  const Expr *Obj = T.S.Executor;
  std::optional<AccessPath> P =
      AccessPath::ofObject(Obj, &T.B);
  return P && *P == G;
}

namespace {
/// Whether a statement contains a spawn, and the adds on wait groups it
/// makes, outside nested lambdas (their code runs elsewhere).
class SiblingScanner : public RecursiveASTVisitor<SiblingScanner> {
public:
  SiblingScanner(const SpawnModel &Spawns, const WaitGroupModel &Groups,
                 ASTContext &Ctx, const Bindings &B)
      : Spawns(Spawns), Groups(Groups), Ctx(Ctx), B(B) {}
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitExpr(Expr *E) {
    if (!isa<CallExpr, CXXConstructExpr>(E))
      return true;
    if (Spawns.classify(E, Ctx, &B))
      HasSpawn = true;
    if (std::optional<GroupOp> Op = Groups.classify(E, &B);
        Op && Op->K == GroupOp::Add && Op->Group)
      Adds.push_back(*Op);
    return true;
  }
  bool HasSpawn = false;
  llvm::SmallVector<GroupOp, 1> Adds;

private:
  const SpawnModel &Spawns;
  const WaitGroupModel &Groups;
  ASTContext &Ctx;
  const Bindings &B;
};
} // namespace

llvm::SmallVector<GroupOp, 1> TaskModel::pairedAdds(const Task &T) {
  SpawnerFacts &F = factsOf(T.Spawner);
  ASTContext &Ctx = T.Spawner->getASTContext();
  llvm::SmallVector<GroupOp, 1> Out;
  auto Note = [&](const GroupOp &Add) {
    for (const GroupOp &Seen : Out)
      if (*Seen.Group == *Add.Group)
        return; // a nearer add on the same group pairs already
    Out.push_back(Add);
  };
  // Climb from the spawn to each enclosing block; in each, look at the
  // statements before the one that holds the spawn, nearest first.
  const Stmt *Child = T.S.Site;
  const Stmt *P = F.Parent.lookup(Child);
  while (P) {
    if (isa<LambdaExpr>(P))
      return Out; // the spawn runs inside a lambda: not the spawner's flow
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      auto It = llvm::find(CS->body(), Child);
      while (It != CS->body_begin()) {
        --It;
        SiblingScanner Scan(Spawns, Groups, Ctx, F.Locals);
        Scan.TraverseStmt(const_cast<Stmt *>(*It));
        // Another spawn in between (a loop that adds and spawns, say): the
        // adds before it are its own.
        if (Scan.HasSpawn)
          return Out;
        for (const GroupOp &Add : llvm::reverse(Scan.Adds))
          Note(Add);
      }
    }
    Child = P;
    P = F.Parent.lookup(P);
  }
  return Out;
}

const GroupOp *TaskModel::pairedAdd(const Task &T, const AccessPath &G) {
  static thread_local GroupOp Result;
  for (const GroupOp &Add : pairedAdds(T))
    if (*Add.Group == G) {
      Result = Add;
      return &Result;
    }
  return nullptr;
}

namespace {
/// Whether a local group is used only as the object of wait-group calls
/// other than done (and go, which calls done): then nothing can call its
/// done, in this function, a task, or a callee.
class GroupUses : public RecursiveASTVisitor<GroupUses> {
public:
  GroupUses(const WaitGroupModel &Groups, const ValueDecl *Group)
      : Groups(Groups), Group(Group) {}
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    std::optional<GroupOp> Op = Groups.classify(Call);
    if (!Op || !Op->Object)
      return true;
    const auto *Ref = dyn_cast<DeclRefExpr>(stripWrappers(Op->Object));
    if (!Ref || Ref->getDecl() != Group)
      return true;
    if (Op->K == GroupOp::Add || Op->K == GroupOp::Wait)
      Harmless.insert(Ref);
    else
      CountsDown = true;
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (Ref->getDecl() == Group)
      Uses.push_back(Ref);
    return true;
  }
  bool countsDown() const { return CountsDown; }
  /// The uses other than add and wait: its address taken, passed along,
  /// bound to a reference.
  llvm::SmallVector<const DeclRefExpr *, 2> escapes() const {
    llvm::SmallVector<const DeclRefExpr *, 2> Out;
    for (const DeclRefExpr *Ref : Uses)
      if (!Harmless.count(Ref))
        Out.push_back(Ref);
    return Out;
  }
  bool neverCountedDown() const { return !CountsDown && escapes().empty(); }

private:
  const WaitGroupModel &Groups;
  const ValueDecl *Group;
  bool CountsDown = false;
  llvm::SmallPtrSet<const DeclRefExpr *, 8> Harmless;
  llvm::SmallVector<const DeclRefExpr *, 8> Uses;
};
} // namespace

bool TaskModel::neverCountedDown(const FunctionDecl *Spawner,
                                 const AccessPath &G) {
  if (!Spawner || !Spawner->hasBody() || G.isThisRooted() || !G.steps().empty())
    return false;
  // Only a local object of the spawner: anything else (a global, a member, a
  // parameter's referent) others may count down where we cannot see it.
  const auto *VD = dyn_cast<VarDecl>(G.root());
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType() || VD->isInitCapture())
    return false;
  // Declared in the spawner's body (lambdas included), so that the walk
  // below sees every use; a lambda spawner's captured group is left to the
  // function around it.
  const DeclContext *DC = VD->getDeclContext();
  while (DC && DC != Spawner)
    DC = DC->getParent();
  if (!DC)
    return false;
  GroupUses Uses(Groups, VD);
  Uses.TraverseStmt(Spawner->getBody());
  if (Uses.countsDown())
    return false;
  // Passed to a task function (std::ref(wg), &wg): harmless when that
  // function, whose body is here, only adds or waits on it too.
  const SourceManager &SM = Spawner->getASTContext().getSourceManager();
  for (const DeclRefExpr *Ref : Uses.escapes()) {
    bool Harmless = false;
    for (const Task &T : tasksOf(Spawner)) {
      if (!T.S.Body || T.S.Lambda || !T.S.Body->hasBody() ||
          !SM.isPointWithin(Ref->getBeginLoc(), T.S.Site->getBeginLoc(),
                            T.S.Site->getEndLoc()))
        continue;
      for (const ParmVarDecl *P : T.S.Body->parameters()) {
        const AccessPath *R = T.B.referent(P);
        if (!R || R->root() != VD || !R->steps().empty())
          continue;
        GroupUses InTask(Groups, P);
        InTask.TraverseStmt(T.S.Body->getBody());
        if (!InTask.neverCountedDown())
          return false;
        Harmless = true;
      }
    }
    if (!Harmless)
      return false;
  }
  return true;
}

bool TaskModel::startsDoneGuard(const Task &T, const AccessPath &G,
                                const CFGElement &E) const {
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  if (!S)
    return false;
  const auto *DS = dyn_cast<DeclStmt>(S->getStmt());
  if (!DS || !DS->isSingleDecl())
    return false;
  for (const DoneGuard &DG : T.Guards)
    if (DG.Var == DS->getSingleDecl() && DG.Group == G)
      return true;
  return false;
}

const SummaryModel::CallGroupEffects &TaskModel::callEffects(const Task &T) {
  auto [It, Inserted] = Effects.try_emplace(&T);
  if (Inserted && T.S.Body)
    It->second = Summaries.callGroupEffects(T.S.Body, &T.B);
  return It->second;
}

llvm::SmallVector<AccessPath, 2> TaskModel::doneGroups(const Task &T) {
  llvm::SmallVector<AccessPath, 2> Out;
  auto Add = [&](const AccessPath &G) {
    if (llvm::find(Out, G) == Out.end())
      Out.push_back(G);
  };
  for (const GroupOp &Op : T.Ops)
    if (Op.counts() && Op.Group)
      Add(*Op.Group);
  for (const DoneGuard &DG : T.Guards)
    Add(DG.Group);
  // Done in a function the task calls: worker(i, &wg) where worker (or what
  // it calls) calls wg.done().
  for (const auto &[Call, Found] : callEffects(T))
    for (const FunctionSummary::GroupEffect &GE : Found)
      if (GE.K == GroupOp::Done)
        Add(GE.Group);
  return Out;
}

llvm::SmallVector<ReachedOp, 2> TaskModel::waitsOn(const Task &T,
                                                   const AccessPath &G) {
  llvm::SmallVector<ReachedOp, 2> Out;
  for (const GroupOp &Op : T.Ops)
    if (Op.K == GroupOp::Wait && Op.Group && *Op.Group == G)
      Out.push_back({Op, {}, false});
  for (const auto &[Call, Found] : callEffects(T))
    for (const FunctionSummary::GroupEffect &GE : Found) {
      if (GE.K != GroupOp::Wait || GE.Group != G || !GE.Op)
        continue;
      ReachedOp R;
      R.Op.K = GroupOp::Wait;
      R.Op.Call = GE.Op;
      R.Op.Object = GE.Op->getImplicitObjectArgument();
      R.Op.Group = GE.Group;
      if (const CXXMethodDecl *MD = GE.Op->getMethodDecl();
          MD && MD->getDeclName().isIdentifier())
        R.Op.Method = MD->getName().str();
      R.Chain = GE.Chain;
      R.AfterDoneInCallees = GE.AfterDone;
      Out.push_back(std::move(R));
    }
  return Out;
}

const BodyEffects &TaskModel::effectsOf(const Task &T) {
  std::unique_ptr<BodyEffects> &E = BodyEffectsOf[&T];
  if (!E)
    E = std::make_unique<BodyEffects>(Locks, &Groups, &Summaries, T.S.Body,
                                      &T.B, T.Guards);
  return *E;
}

bool TaskModel::isDoneEvent(const Task &T, const AccessPath &G,
                            const CFGElement &E) {
  return effectsOf(T).countsDown(E, G);
}

} // namespace concheck::model
