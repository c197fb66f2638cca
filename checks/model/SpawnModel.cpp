//===--- SpawnModel.cpp - Where tasks start and what they run -------------===//

#include "SpawnModel.h"
#include "AccessModel.h"
#include "BodyCFG.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace concheck::model {

static bool joinsWhatItStarts(const FunctionDecl *FD);

llvm::StringRef Spawn::spelling() const {
  switch (K) {
  case StdThread:
    return "std::thread";
  case StdJThread:
    return "std::jthread";
  case StdAsync:
    return "std::async";
  case PthreadCreate:
    return Via.empty() ? "pthread_create" : Via;
  case WaitGroupGo:
    return "go";
  case PoolSubmit:
    return "submit";
  case KnownExecutor:
    return Via.empty() ? "spawn" : Via;
  case Configured:
  case Inferred:
    return "spawn";
  }
  return "spawn";
}

llvm::StringRef SpawnModel::defaultSpawnFunctions() {
  return ""; // the built-in spawns are recognised by kind, not by this list
}

SpawnModel::SpawnModel(const SpawnModelOptions &Opts, const FactsView *Facts)
    : Facts(Facts) {
  for (const std::string &Entry : splitList(Opts.SpawnFunctions)) {
    ConfiguredFunction F;
    llvm::StringRef E(Entry);
    auto [Name, Index] = E.rsplit(':');
    unsigned N = 0;
    // "ns::f:2" names argument 2; "ns::f" alone (no trailing ":digits") the
    // last argument. A "::" inside the name is never mistaken for an index.
    if (!Index.empty() && Name != E && !Name.ends_with(":") &&
        !Index.getAsInteger(10, N)) {
      F.Name = Name.str();
      F.ArgIndex = N;
    } else {
      F.Name = Entry;
    }
    llvm::StringRef(F.Name).consume_front("::");
    if (llvm::StringRef(F.Name).starts_with("::"))
      F.Name = F.Name.substr(2);
    Configured.push_back(std::move(F));
  }
}

/// Looks through the ways a callable is passed along: copies, moves,
/// std::move/std::forward, temporaries, std::function wrappers.
static const Expr *stripCallable(const Expr *E) {
  while (E) {
    const Expr *Next = stripWrappers(E);
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = FC->getSubExpr();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Next)) {
      // A copy or move of a callable, or a std::function made from one.
      if (CE->getNumArgs() >= 1 &&
          (CE->getConstructor()->isCopyOrMoveConstructor() ||
           CE->getConstructor()->getParent()->getName() == "function"))
        Next = CE->getArg(0);
    }
    if (const Expr *Moved = movedFrom(Next))
      Next = Moved;
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// std::placeholders::_1 and the like.
static bool isPlaceholder(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *NS =
      DRE ? dyn_cast<NamespaceDecl>(DRE->getDecl()->getDeclContext()) : nullptr;
  return NS && NS->getName() == "placeholders" && NS->isInStdNamespace();
}

/// x for std::ref(x) / std::cref(x), else null.
static const Expr *refArgument(const Expr *E) {
  E = stripCallable(E);
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || Call->getNumArgs() != 1)
    return nullptr;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (FD && FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
      (FD->getName() == "ref" || FD->getName() == "cref"))
    return Call->getArg(0);
  return nullptr;
}

Bindings bindArguments(const FunctionDecl *Callee, const Expr *Object,
                       llvm::ArrayRef<const Expr *> Args,
                       const Bindings *Caller, Passing How) {
  Bindings Out;
  if (!Callee)
    return Out;
  if (Object) {
    std::optional<AccessPath> Target;
    if (const Expr *R = refArgument(Object))
      Target = AccessPath::of(R, Caller);
    else if (stripWrappers(Object)->getType()->isPointerType())
      Target = AccessPath::ofPointee(Object, Caller);
    else if (How == Passing::Call)
      Target = AccessPath::of(Object, Caller);
    if (Target)
      Out.bindThis(*Target);
  }
  for (unsigned I = 0; I < Args.size() && I < Callee->getNumParams(); ++I) {
    const ParmVarDecl *Param = Callee->getParamDecl(I);
    const Expr *Arg = Args[I];
    QualType T = Param->getType();
    if (T->isPointerType()) {
      if (std::optional<AccessPath> Pointee = AccessPath::ofPointee(Arg, Caller))
        Out.bindPointer(Param, *Pointee);
    } else if (T->isReferenceType()) {
      const Expr *Referent = refArgument(Arg);
      if (!Referent && How == Passing::Call)
        Referent = Arg;
      if (Referent)
        if (std::optional<AccessPath> Target = AccessPath::of(Referent, Caller))
          Out.bindReference(Param, *Target);
    } else if (T->isIntegerType()) {
      // An index the callee uses (locks[i]): the caller's variable or
      // constant, or what the caller's own bindings make of it.
      const Expr *A = Arg->IgnoreParenImpCasts();
      if (const auto *IL = dyn_cast<IntegerLiteral>(A))
        Out.bindIndex(Param, {nullptr, IL->getValue().getSExtValue()});
      else if (const auto *DRE = dyn_cast<DeclRefExpr>(A);
               DRE && isa<VarDecl>(DRE->getDecl()))
        Out.bindIndex(Param, Caller && Caller->indexValue(DRE->getDecl())
                                 ? *Caller->indexValue(DRE->getDecl())
                                 : Bindings::IndexValue{DRE->getDecl(), 0});
    }
  }
  return Out;
}

Bindings bindCall(const CallExpr *Call, const FunctionDecl *Callee,
                  const Bindings &Caller) {
  CallOperands Ops = operandsOf(Call, Callee);
  return bindArguments(Callee, Ops.Object, Ops.Args, &Caller, Passing::Call);
}

/// Binds the task's parameters (and 'this', to \p Object) to the spawn's
/// arguments, and keeps which argument each parameter receives.
static void bindTaskParameters(const Expr *Object,
                               llvm::ArrayRef<const Expr *> Args,
                               const Bindings *SpawnerBindings, bool DirectCall,
                               Spawn &Out) {
  Out.TaskBindings.merge(
      bindArguments(Out.Body, Object, Args, SpawnerBindings,
                    DirectCall ? Passing::Call : Passing::Copied));
  for (unsigned I = 0; I < Args.size() && I < Out.Body->getNumParams(); ++I)
    Out.ParamArgs.push_back({Out.Body->getParamDecl(I), Args[I]});
}

void resolveCallable(const Expr *Callable, llvm::ArrayRef<const Expr *> Args,
                     const Bindings *SpawnerBindings, bool DirectCall,
                     Spawn &Out) {
  const Expr *E = stripCallable(Callable);
  if (!E)
    return;

  if (const auto *Lambda = dyn_cast<LambdaExpr>(E)) {
    Out.Lambda = Lambda;
    Out.Body = Lambda->getCallOperator();
    bindTaskParameters(nullptr, Args, SpawnerBindings, DirectCall, Out);
    // [p = &wg] and [&g = wg]: init-captures name the spawner's objects.
    for (const LambdaCapture &Cap : Lambda->captures()) {
      if (!Cap.capturesVariable())
        continue;
      const auto *VD = dyn_cast<VarDecl>(Cap.getCapturedVar());
      if (!VD || !VD->isInitCapture() || !VD->getInit())
        continue;
      if (VD->getType()->isPointerType()) {
        if (std::optional<AccessPath> P =
                AccessPath::ofPointee(VD->getInit(), SpawnerBindings))
          Out.TaskBindings.bindPointer(VD, *P);
      } else if (VD->getType()->isReferenceType()) {
        if (std::optional<AccessPath> P =
                AccessPath::of(VD->getInit(), SpawnerBindings))
          Out.TaskBindings.bindReference(VD, *P);
      }
    }
    return;
  }

  // std::bind(f, args...): the task runs f with bind's own copies of the
  // arguments (std::ref(x) binds x itself), up to the first placeholder,
  // which the spawn's arguments fill.
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->isInStdNamespace() || !FD->getDeclName().isIdentifier() ||
        (FD->getName() != "bind" && FD->getName() != "bind_front") ||
        Call->getNumArgs() == 0)
      return;
    llvm::SmallVector<const Expr *, 4> Bound;
    for (const Expr *Arg : llvm::drop_begin(Call->arguments())) {
      if (isPlaceholder(Arg))
        break;
      Bound.push_back(Arg);
    }
    // What placeholders stand for (the spawn's own arguments) is not
    // followed; bind ignores the spawn's arguments when it has none.
    resolveCallable(Call->getArg(0), Bound, SpawnerBindings,
                    /*DirectCall=*/false, Out);
    return;
  }

  // A variable holding the callable: follow its initializer (a lambda stored
  // first and spawned later).
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && VD->getInit() &&
          !VD->getType()->isPointerType())
        resolveCallable(VD->getInit(), Args, SpawnerBindings, DirectCall, Out);
      return;
    }
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
      const FunctionDecl *Def = FD->getDefinition();
      Out.Body = Def ? Def : FD;
      bindTaskParameters(nullptr, Args, SpawnerBindings, DirectCall, Out);
      return;
    }
    return;
  }

  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf) {
    const Expr *Sub = UO->getSubExpr()->IgnoreParenImpCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(Sub);
    if (!DRE)
      return;
    // &Class::method with the object first: std::thread(&W::run, this, x).
    if (const auto *MD = dyn_cast<CXXMethodDecl>(DRE->getDecl());
        MD && MD->isInstance()) {
      const FunctionDecl *Def = MD->getDefinition();
      Out.Body = Def ? Def : MD;
      if (!Args.empty())
        bindTaskParameters(Args.front(), Args.drop_front(), SpawnerBindings,
                           DirectCall, Out);
      return;
    }
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
      const FunctionDecl *Def = FD->getDefinition();
      Out.Body = Def ? Def : FD;
      bindTaskParameters(nullptr, Args, SpawnerBindings, DirectCall, Out);
    }
    return;
  }

  // A functor: its operator() runs, on the thread's own copy of the object.
  if (const CXXRecordDecl *RD = recordOf(E->getType())) {
    if (RD->isLambda() || !RD->hasDefinition())
      return;
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getOverloadedOperator() == OO_Call) {
        const FunctionDecl *Def = M->getDefinition();
        Out.Body = Def ? Def : M;
        bindTaskParameters(nullptr, Args, SpawnerBindings, DirectCall, Out);
        return;
      }
  }
}

/// The source of a value copied into a task from expression \p E.
static PerRunSource sourceOf(const Expr *E, const ASTContext &Ctx) {
  PerRunSource Out;
  if (!E)
    return Out;
  E = stripValueCasts(stripWrappers(E));
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && !VD->getType()->isReferenceType()) {
      Out.K = PerRunSource::Variable;
      Out.Var = VD;
      return Out;
    }
  if (!E->isValueDependent() && E->isIntegerConstantExpr(Ctx))
    Out.K = PerRunSource::Constant;
  return Out;
}

PerRunSource perRunSource(const Spawn &S, const ValueDecl *D) {
  if (!D || !S.Body)
    return {};
  const ASTContext &Ctx = S.Body->getASTContext();
  for (const auto &[Param, Arg] : S.ParamArgs)
    if (Param == D)
      return sourceOf(Arg, Ctx);
  if (S.Lambda)
    for (const LambdaCapture &C : S.Lambda->captures()) {
      if (!C.capturesVariable() || C.getCapturedVar() != D ||
          C.getCaptureKind() != LCK_ByCopy)
        continue;
      const auto *VD = dyn_cast<VarDecl>(D);
      if (VD && VD->isInitCapture())
        return sourceOf(VD->getInit(), Ctx);
      PerRunSource Out;
      if (VD) {
        Out.K = PerRunSource::Variable;
        Out.Var = VD;
      }
      return Out;
    }
  if (const auto *VD = dyn_cast<VarDecl>(D);
      VD && VD->getParentFunctionOrMethod() == S.Body) {
    // A copy of a per-run value that the task keeps as it is, perhaps cast
    // back from the thread's void * (`long id = (long)arg;`): that value.
    const auto *From = !isa<ParmVarDecl>(VD) && VD->getInit()
                           ? dyn_cast<DeclRefExpr>(
                                 stripValueCasts(stripWrappers(VD->getInit())))
                           : nullptr;
    if (From && From->getDecl() != VD &&
        From->getDecl()->getParentFunctionOrMethod() == S.Body &&
        AccessModel::keepsInitialValue(S.Body, VD))
      return perRunSource(S, From->getDecl());
    // Else a variable of the task's own: a ticket it takes from an atomic
    // counter (AccessModel::atomicTickets), different in every run.
    return {PerRunSource::Computed, nullptr};
  }
  // The spawner's variable as it was when a pointer or reference bound at
  // the spawn was formed (&results[i] passed to the task).
  PerRunSource Out;
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    Out.K = PerRunSource::Variable;
    Out.Var = VD;
  }
  return Out;
}

/// The element type's record of a container (std::vector<std::thread>).
static const CXXRecordDecl *elementRecord(QualType Container) {
  const CXXRecordDecl *RD = recordOf(Container, /*ThroughPointer=*/true);
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getTemplateArgs().size() == 0)
    return nullptr;
  const TemplateArgument &Arg = Spec->getTemplateArgs()[0];
  if (Arg.getKind() != TemplateArgument::Type)
    return nullptr;
  return recordOf(Arg.getAsType());
}

static bool isDeferredPolicy(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return EC->getName() == "deferred";
  return false;
}

static bool isLaunchPolicy(const Expr *E) {
  const Type *T = E->getType().getCanonicalType().getTypePtr();
  if (const auto *ET = dyn_cast<EnumType>(T))
    return ET->getDecl()->getName() == "launch" &&
           ET->getDecl()->isInStdNamespace();
  return false;
}

namespace {
/// The executors concheck knows by name: where the callable is, which
/// argument names the executor (free functions), whether one call runs the
/// callable many times at once (a parallel loop).
struct KnownSpawn {
  llvm::StringLiteral Namespace, Record, Function;
  int Callable;    ///< argument index; -1: the last argument
  int ExecutorArg; ///< free functions: the executor's argument, or -1
  bool ManyRuns;
};
constexpr KnownSpawn KnownSpawns[] = {
    {"asio", "", "post", -1, 0, false},
    {"asio", "", "dispatch", -1, 0, false},
    {"asio", "", "defer", -1, 0, false},
    {"tbb", "task_group", "run", 0, -1, false},
    {"tbb", "task_arena", "enqueue", 0, -1, false},
    {"tf", "Executor", "async", 0, -1, false},
    {"tf", "Executor", "silent_async", 0, -1, false},
    {"BS", "thread_pool", "detach_task", 0, -1, false},
    {"BS", "thread_pool", "submit_task", 0, -1, false},
    {"BS", "thread_pool", "detach_loop", -1, -1, true},
    {"BS", "thread_pool", "submit_loop", -1, -1, true},
    {"BS", "thread_pool", "detach_blocks", -1, -1, true},
    {"BS", "thread_pool", "submit_blocks", -1, -1, true},
    {"BS", "thread_pool", "detach_sequence", -1, -1, true},
    {"BS", "thread_pool", "submit_sequence", -1, -1, true},
    {"folly", "Executor", "add", 0, -1, false},
    {"folly", "", "via", 1, 0, false},
    {"QtConcurrent", "", "run", 0, -1, false},
    {"", "QThreadPool", "start", 0, -1, false},
};

/// Member functions that wait for every task handed to their object, and
/// executors whose destructor does.
struct KnownJoin {
  llvm::StringLiteral Namespace, Record, Function; ///< "~" for the destructor
};
constexpr KnownJoin KnownJoins[] = {
    {"asio", "thread_pool", "join"},
    {"asio", "thread_pool", "wait"},
    {"asio", "thread_pool", "~"},
    {"asio", "io_context", "run"},
    {"tbb", "task_group", "wait"},
    {"tbb", "task_group", "run_and_wait"},
    {"tbb", "task_group", "~"},
    {"tf", "Executor", "wait_for_all"},
    {"tf", "Executor", "~"},
    {"BS", "thread_pool", "wait"},
    {"BS", "thread_pool", "~"},
    {"folly", "ThreadPoolExecutor", "join"},
    {"folly", "CPUThreadPoolExecutor", "join"},
    {"folly", "ThreadPoolExecutor", "~"},
    {"folly", "CPUThreadPoolExecutor", "~"},
    {"", "QThreadPool", "waitForDone"},
    {"", "QThreadPool", "~"},
    {"", "QThread", "wait"},
};

/// The QThread::create(...) call that the thread \p Obj names was made by:
/// a local or member initialised with it, or assigned it once.
const CallExpr *qthreadCreation(const Expr *Obj) {
  auto IsCreate = [](const Expr *E) -> const CallExpr * {
    const auto *Call = dyn_cast_or_null<CallExpr>(stripWrappers(E));
    const auto *MD =
        Call ? dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee())
             : nullptr;
    return MD && MD->isStatic() && MD->getDeclName().isIdentifier() &&
                   MD->getName() == "create" &&
                   isRecordInNamespace(MD->getParent(), "QThread", "")
               ? Call
               : nullptr;
  };
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripWrappers(Obj));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->getInit() ? IsCreate(VD->getInit()) : nullptr;
}

/// A member function of a record \p Record in \p NS, or one overriding it.
bool isMemberOf(const CXXMethodDecl *MD, llvm::StringRef NS,
                llvm::StringRef Record) {
  if (isRecordInNamespace(MD->getParent(), Record, NS))
    return true;
  for (const CXXMethodDecl *O : MD->overridden_methods())
    if (isMemberOf(O, NS, Record))
      return true;
  return false;
}

/// `pool` for `pool.get_executor()`: the object an executor comes from.
const Expr *executorObject(const Expr *E) {
  E = stripWrappers(E);
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *MD = MCE->getMethodDecl();
        MD && MD->getDeclName().isIdentifier() &&
        MD->getName() == "get_executor")
      return MCE->getImplicitObjectArgument();
  return E;
}

/// A handle whose wait joins the task it stands for (QFuture, folly's
/// futures; std::future is isFutureType).
bool isTaskHandleType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return isFutureType(T) || isRecordInNamespace(RD, "QFuture", "") ||
         isRecordInNamespace(RD, "Future", "folly") ||
         isRecordInNamespace(RD, "SemiFuture", "folly");
}
} // namespace

bool SpawnModel::isKnownJoin(const CXXMethodDecl *MD) {
  if (!MD)
    return false;
  const bool Dtor = isa<CXXDestructorDecl>(MD);
  if (!Dtor && !MD->getDeclName().isIdentifier())
    return false;
  for (const KnownJoin &J : KnownJoins)
    if ((Dtor ? J.Function == "~" : J.Function == MD->getName()) &&
        isMemberOf(MD, J.Namespace, J.Record))
      return true;
  return false;
}

bool SpawnModel::isHandleWait(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier())
    return false;
  StringRef N = MD->getName();
  if (N != "get" && N != "wait" && N != "result" && N != "waitForFinished")
    return false;
  const Expr *Obj = Call->getImplicitObjectArgument();
  return Obj && isTaskHandleType(Obj->IgnoreParenImpCasts()->getType());
}

SpawnModel::JoinKind SpawnModel::threadJoinKind(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier())
    return JoinKind::None;
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
  if (!MCE)
    return FD->getName() == "pthread_join" || FD->getName() == "thrd_join"
               ? JoinKind::Pthread
               : JoinKind::None;
  const Expr *Obj = MCE->getImplicitObjectArgument();
  const CXXRecordDecl *Of =
      Obj ? recordOf(Obj->IgnoreParenImpCasts()->getType(),
                     /*ThroughPointer=*/true)
          : nullptr;
  return FD->getName() == "join" && isStdRecord(Of, {"thread", "jthread"})
             ? JoinKind::Thread
             : JoinKind::None;
}

SpawnModel::JoinKind SpawnModel::joinKind(const CallExpr *Call,
                                          ASTContext &Ctx) const {
  if (JoinKind K = threadJoinKind(Call); K != JoinKind::None)
    return K;
  const auto *MCE = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  if (!MCE)
    return JoinKind::None;
  if (isHandleWait(MCE))
    return JoinKind::Handle;
  if (joinsSubmittedTasks(MCE, Ctx))
    return JoinKind::Submitted;
  return JoinKind::None;
}

llvm::SmallVector<Spawn, 1>
SpawnModel::tasksStartedBy(const Expr *E, ASTContext &Ctx,
                           const Bindings *SpawnerBindings) const {
  llvm::SmallVector<Spawn, 1> Out;
  if (!isa_and_nonnull<CallExpr, CXXConstructExpr>(E))
    return Out;
  std::optional<Spawn> S = classify(E, Ctx, SpawnerBindings);
  if (!S)
    return Out;
  if (S->runsGraph())
    graphTasks(*S, SpawnerBindings, Out);
  if (Out.empty())
    Out.push_back(std::move(*S));
  return Out;
}

void SpawnModel::graphTasks(const Spawn &Run, const Bindings *SpawnerBindings,
                            llvm::SmallVectorImpl<Spawn> &Out) const {
  const TaskGraph &G = *Run.Graph;
  // A local flow runs the tasks made so far (since the last clear()); a
  // member's, all it is given.
  const bool Local = isa<VarDecl>(G.Flow);
  const SourceManager &SM = G.Flow->getASTContext().getSourceManager();
  for (unsigned I = 0; I < G.Nodes.size(); ++I) {
    const TaskGraph::Node &N = G.Nodes[I];
    auto Before = [&](const Expr *A, SourceLocation B) {
      return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B);
    };
    if (Local && (!Before(N.Made, Run.Site->getBeginLoc()) ||
                  llvm::any_of(G.Clears, [&](SourceLocation C) {
                    return Before(N.Made, C) && SM.isBeforeInTranslationUnit(
                                                    C, Run.Site->getBeginLoc());
                  })))
      continue;
    Spawn S = Run;
    S.Node = I;
    S.Made = N.Made;
    S.Callable = N.Callable;
    S.ManyRuns = N.ManyRuns;
    resolveCallable(N.Callable, {}, SpawnerBindings, false, S);
    Out.push_back(std::move(S));
  }
}

std::optional<Spawn> SpawnModel::classify(const Expr *E, ASTContext &Ctx,
                                          const Bindings *SpawnerBindings) const {
  return classifyAt(E, Ctx, SpawnerBindings, /*Infer=*/true);
}

std::optional<Spawn> SpawnModel::classifyAt(const Expr *E, ASTContext &Ctx,
                                            const Bindings *SpawnerBindings,
                                            bool Infer) const {
  if (!E)
    return std::nullopt;
  auto Make = [&](Spawn::Kind K, const Expr *Callable,
                  llvm::ArrayRef<const Expr *> Args, const Expr *Executor,
                  bool DirectCall) {
    Spawn S;
    S.K = K;
    S.Site = E;
    S.Callable = Callable;
    S.Executor = Executor;
    resolveCallable(Callable, Args, SpawnerBindings, DirectCall, S);
    return S;
  };

  // std::thread / std::jthread constructions.
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    const CXXRecordDecl *RD = CE->getConstructor()->getParent();
    const bool Thread = isStdRecord(RD, {"thread"});
    const bool JThread = isStdRecord(RD, {"jthread"});
    if ((!Thread && !JThread) || CE->getNumArgs() == 0 ||
        CE->getConstructor()->isCopyOrMoveConstructor())
      return std::nullopt;
    llvm::SmallVector<const Expr *, 4> Args(CE->arg_begin() + 1, CE->arg_end());
    return Make(Thread ? Spawn::StdThread : Spawn::StdJThread, CE->getArg(0),
                Args, nullptr, false);
  }

  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || isa<CXXOperatorCallExpr>(Call))
    return std::nullopt;

  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    // Qt: t->start() runs what QThread::create(f, args...) made t with.
    if (MD && MD->getDeclName().isIdentifier() && MD->getName() == "start" &&
        isMemberOf(MD, "", "QThread"))
      if (const CallExpr *Create =
              qthreadCreation(MCE->getImplicitObjectArgument());
          Create && Create->getNumArgs() >= 1) {
        llvm::SmallVector<const Expr *, 4> Args(Create->arg_begin() + 1,
                                                Create->arg_end());
        Spawn S = Make(Spawn::KnownExecutor, Create->getArg(0), Args,
                       MCE->getImplicitObjectArgument(), false);
        S.Via = "create";
        return S;
      }
    // A thread class's start(): runs the callable the object was made with.
    if (MD && MD->getDeclName().isIdentifier())
      if (std::optional<std::string> Field = startedField(MD, Ctx)) {
        const Expr *Obj = MCE->getImplicitObjectArgument();
        Spawn S =
            Make(Spawn::Inferred, keptCallable(Obj, MD->getParent(), *Field),
                 {}, Obj, false);
        S.Via = MD->getName();
        S.StartsKept = true;
        return S;
      }
    if (!MD || !MD->getDeclName().isIdentifier() || MCE->getNumArgs() == 0)
      return std::nullopt;
    llvm::StringRef Name = MD->getName();
    const CXXRecordDecl *RD = MD->getParent();
    const Expr *Object = MCE->getImplicitObjectArgument();
    llvm::SmallVector<const Expr *, 4> Rest(MCE->arg_begin() + 1,
                                            MCE->arg_end());
    // threads.emplace_back(f, args...) constructs a thread in place.
    if (Name == "emplace_back" || Name == "emplace") {
      const CXXRecordDecl *Elem = elementRecord(Object->getType());
      if (isStdRecord(Elem, {"thread", "jthread"}))
        return Make(isStdRecord(Elem, {"thread"}) ? Spawn::StdThread
                                                  : Spawn::StdJThread,
                    MCE->getArg(0), Rest, nullptr, false);
      return std::nullopt;
    }
    if (Name == "go" && qualifiedName(RD) == "concheck::wait_group")
      return Make(Spawn::WaitGroupGo, MCE->getArg(0), {}, Object, false);
    if (Name == "submit" && qualifiedName(RD) == "concheck::worker_pool")
      return Make(Spawn::PoolSubmit, MCE->getArg(0), {}, Object, false);
    // taskflow: executor.run(flow) starts every task of the flow.
    if (const ValueDecl *Flow = TaskGraph::flowRunBy(MCE)) {
      Spawn S = Make(Spawn::KnownExecutor, nullptr, {}, Object, false);
      S.Via = Name;
      std::shared_ptr<const TaskGraph> &G = Graphs[Flow];
      if (!G)
        G = TaskGraph::build(Flow);
      S.Graph = G;
      S.ReturnsFuture = isTaskHandleType(MCE->getType());
      S.JoinedOnReturn = Name == "corun";
      return S;
    }
    for (const KnownSpawn &K : KnownSpawns) {
      if (K.Record.empty() || K.Function != Name ||
          !isMemberOf(MD, K.Namespace, K.Record))
        continue;
      const unsigned Index =
          K.Callable < 0 ? MCE->getNumArgs() - 1 : unsigned(K.Callable);
      if (Index >= MCE->getNumArgs())
        return std::nullopt;
      Spawn S =
          Make(Spawn::KnownExecutor, MCE->getArg(Index), {}, Object, false);
      S.Via = K.Function;
      S.ManyRuns = K.ManyRuns;
      S.ReturnsFuture = isTaskHandleType(MCE->getType());
      return S;
    }
  }

  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef Name = FD->getName();

  if (Name == "async" && FD->isInStdNamespace() && Call->getNumArgs() >= 1) {
    unsigned First = 0;
    if (isLaunchPolicy(Call->getArg(0))) {
      // launch::deferred runs the task in get()/wait(), on the caller's
      // thread: no concurrency at all.
      if (isDeferredPolicy(Call->getArg(0)))
        return std::nullopt;
      First = 1;
    }
    if (Call->getNumArgs() <= First)
      return std::nullopt;
    llvm::SmallVector<const Expr *, 4> Args(Call->arg_begin() + First + 1,
                                            Call->arg_end());
    return Make(Spawn::StdAsync, Call->getArg(First), Args, nullptr, false);
  }

  // A C thread: pthread_create(&t, attr, routine, arg), C11's
  // thrd_create(&t, routine, arg).
  if ((Name == "pthread_create" || Name == "thrd_create") &&
      Call->getNumArgs() == (Name == "pthread_create" ? 4u : 3u) &&
      (FD->isExternC() || FD->getDeclContext()->isTranslationUnit())) {
    const unsigned Routine = Call->getNumArgs() - 2;
    std::optional<Spawn> S = Make(Spawn::PthreadCreate, Call->getArg(Routine),
                                  {Call->getArg(Routine + 1)}, nullptr, false);
    if (S && Name == "thrd_create")
      S->Via = "thrd_create";
    return S;
  }

  if (!isa<CXXMethodDecl>(FD))
    for (const KnownSpawn &K : KnownSpawns) {
      if (!K.Record.empty() || K.Function != Name || K.Namespace.empty() ||
          !inNamespace(FD, K.Namespace))
        continue;
      unsigned Index =
          K.Callable < 0 ? Call->getNumArgs() - 1 : unsigned(K.Callable);
      int ExecutorArg = K.ExecutorArg;
      // QtConcurrent::run(pool, f, args...) names the pool first.
      if (Call->getNumArgs() > 1 && ExecutorArg < 0 &&
          isRecordInNamespace(
              recordOf(Call->getArg(0)->getType(), /*ThroughPointer=*/true),
              "QThreadPool", "")) {
        ExecutorArg = 0;
        Index += 1;
      }
      if (Call->getNumArgs() == 0 || Index >= Call->getNumArgs())
        return std::nullopt;
      const Expr *Executor = ExecutorArg >= 0 && unsigned(ExecutorArg) < Index
                                 ? executorObject(Call->getArg(ExecutorArg))
                                 : nullptr;
      Spawn S =
          Make(Spawn::KnownExecutor, Call->getArg(Index), {}, Executor, false);
      S.Via = K.Function;
      S.ManyRuns = K.ManyRuns;
      S.ReturnsFuture = isTaskHandleType(Call->getType());
      return S;
    }

  if (!Configured.empty()) {
    // Class template members match without their template arguments
    // (::BS::thread_pool::detach_task).
    const std::string Q = qualifiedName(FD);
    const std::string Plain = withoutTemplateArguments(Q);
    for (const ConfiguredFunction &C : Configured)
      if (C.Name == Q || C.Name == Plain) {
        unsigned Index = C.ArgIndex.value_or(Call->getNumArgs() - 1);
        if (Index >= Call->getNumArgs())
          return std::nullopt;
        const Expr *Executor = nullptr;
        if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call))
          Executor = MCE->getImplicitObjectArgument();
        return Make(Spawn::Configured, Call->getArg(Index), {}, Executor,
                    false);
      }
  }

  // A function whose body hands one of its callable parameters to another
  // thread: to a spawn, or to a queue its class's threads run.
  if (!Infer)
    return std::nullopt;
  // A virtual call runs whichever implementation the object has.
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  const auto *ME =
      MCE ? dyn_cast<MemberExpr>(MCE->getCallee()->IgnoreParens()) : nullptr;
  std::optional<unsigned> Param =
      MD && MD->isVirtual() && ME && !ME->hasQualifier()
          ? virtualTaskParameter(MD, Ctx)
          : inferredTaskParameter(FD, Ctx);
  if (Param && *Param < Call->getNumArgs()) {
    const Expr *Executor = MCE ? MCE->getImplicitObjectArgument() : nullptr;
    // A function pointer and what follows it, as pthread_create's routine
    // and argument: Schedule(&Work, this).
    llvm::SmallVector<const Expr *, 2> Args;
    if (*Param < FD->getNumParams() &&
        FD->getParamDecl(*Param)->getType()->isFunctionPointerType())
      Args.append(Call->arg_begin() + *Param + 1, Call->arg_end());
    Spawn S = Make(Spawn::Inferred, Call->getArg(*Param), Args, Executor, true);
    S.ReturnsFuture = isTaskHandleType(Call->getType());
    if (MD && MD->isVirtual() && ME && !ME->hasQualifier()) {
      // Every implementation in sight waits for what it starts.
      llvm::SmallVector<const CXXMethodDecl *, 4> Impls =
          implementationsOf(MD, Ctx);
      S.JoinedOnReturn =
          !Impls.empty() && llvm::all_of(Impls, [](const CXXMethodDecl *I) {
            return joinsWhatItStarts(I);
          });
    } else {
      S.JoinedOnReturn = joinsWhatItStarts(FD);
    }
    return S;
  }
  return std::nullopt;
}

/// Whether \p FD waits, before it returns, for the threads it starts: its
/// body joins threads (or waits on futures) and detaches none.
static bool joinsWhatItStarts(const FunctionDecl *FD) {
  const FunctionDecl *Def = definitionOf(FD);
  if (!Def)
    return false;
  struct Finder : RecursiveASTVisitor<Finder> {
    bool Joins = false, Detaches = false;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
      const CXXMethodDecl *M = Call->getMethodDecl();
      if (!M || !M->getDeclName().isIdentifier())
        return true;
      const CXXRecordDecl *RD = M->getParent();
      const bool Thread = isStdRecord(RD, {"thread", "jthread"});
      if (Thread && M->getName() == "detach")
        Detaches = true;
      else if ((Thread && M->getName() == "join") ||
               (isFutureType(Call->getImplicitObjectArgument()->getType()) &&
                (M->getName() == "get" || M->getName() == "wait")))
        Joins = true;
      return true;
    }
  } F;
  F.TraverseStmt(Def->getBody());
  return F.Joins && !F.Detaches;
}

bool isFutureType(QualType T) {
  return isRecordOrBase(recordOf(T), [](const CXXRecordDecl *R) {
    return isStdRecord(R, {"future", "shared_future"});
  });
}

/// Whether a value of type \p T can be called: a pointer or reference to a
/// function, a lambda, a class with an operator() of its own or of a base
/// (std::function, std::packaged_task, a functor).
static bool isCallableType(QualType T, unsigned Depth = 0) {
  if (T.isNull() || Depth > 4)
    return false;
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isFunctionType() || T->isFunctionPointerType() ||
      T->isMemberFunctionPointerType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !(RD = RD->getDefinition()))
    return false;
  if (RD->isLambda())
    return true;
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Call)
      return true;
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (isCallableType(Base.getType(), Depth + 1))
      return true;
  return false;
}

bool hasCallableParameter(const FunctionDecl *FD) {
  return FD && llvm::any_of(FD->parameters(), [](const ParmVarDecl *P) {
           return isCallableType(P->getType());
         });
}

/// Whether \p T holds callables: it is one, or a container, wrapper or
/// struct of them (std::queue<std::function<void()>>, a priority queue of
/// {priority, task} entries, a shared_ptr to a packaged_task).
static bool holdsCallables(QualType T, unsigned Depth = 0) {
  if (T.isNull() || Depth > 3)
    return false;
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isPointerType())
    return holdsCallables(T->getPointeeType(), Depth + 1);
  if (isCallableType(T))
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
      if (Arg.getKind() == TemplateArgument::Type &&
          holdsCallables(Arg.getAsType(), Depth + 1))
        return true;
  if (!isa<ClassTemplateSpecializationDecl>(RD) && RD->getDefinition())
    for (const FieldDecl *F : RD->getDefinition()->fields())
      if (holdsCallables(F->getType(), Depth + 1))
        return true;
  return false;
}

namespace {
/// Whether a statement names one of a set of declarations.
class MentionFinder : public RecursiveASTVisitor<MentionFinder> {
public:
  explicit MentionFinder(const llvm::SmallPtrSetImpl<const Decl *> &Decls)
      : Decls(Decls) {}
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    Found = Decls.count(DRE->getDecl());
    return !Found;
  }
  // A field of the object: this->func_.
  bool VisitMemberExpr(MemberExpr *ME) {
    Found = isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
            Decls.count(ME->getMemberDecl());
    return !Found;
  }
  bool Found = false;

private:
  const llvm::SmallPtrSetImpl<const Decl *> &Decls;
};

/// A parameter (or a field of the object) and the locals whose
/// initializers derive from it:
/// `auto job = std::make_shared<std::packaged_task<R()>>(std::bind(f, a))`.
class DerivedLocals : public RecursiveASTVisitor<DerivedLocals> {
public:
  explicit DerivedLocals(const ValueDecl *P) { Decls.insert(P); }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit() && mentions(VD->getInit()))
      Decls.insert(VD);
    return true;
  }
  bool mentions(const Stmt *S) const {
    MentionFinder F(Decls);
    F.TraverseStmt(const_cast<Stmt *>(S));
    return F.Found;
  }
  llvm::SmallPtrSet<const Decl *, 4> Decls;
};

/// The fields of \p RD (by name, the same in a template and its
/// specializations) that \p S names through this.
void fieldsNamed(const Stmt *S, const CXXRecordDecl *RD,
                 llvm::StringSet<> &Out) {
  struct Finder : RecursiveASTVisitor<Finder> {
    llvm::StringSet<> &Out;
    explicit Finder(llvm::StringSet<> &Out) : Out(Out) {}
    bool VisitMemberExpr(MemberExpr *ME) {
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
          F && F->getDeclName().isIdentifier() &&
          isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        Out.insert(F->getName());
      return true;
    }
  } Finder(Out);
  Finder.TraverseStmt(const_cast<Stmt *>(S));
}

/// The field of this that \p E names first (`jobs_` in `jobs_.q.push(x)`).
const FieldDecl *thisField(const Expr *E) {
  const FieldDecl *Found = nullptr;
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        Found = F;
      E = ME->getBase();
      if (isa<CXXThisExpr>(E->IgnoreParenImpCasts()))
        return Found;
      continue;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
        Op && Op->getNumArgs() >= 1 &&
        (Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star ||
         Op->getOperator() == OO_Subscript)) {
      E = Op->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

/// Whether a body calls something it was not compiled against: a callable
/// object's operator(), a function pointer, std::invoke.
bool callsACallable(const Stmt *S) {
  struct Finder : RecursiveASTVisitor<Finder> {
    bool Found = false;
    bool VisitCallExpr(CallExpr *C) {
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C))
        Found = Op->getOperator() == OO_Call;
      else if (!C->getDirectCallee()) // a pointer in a variable or field
        Found = true;
      else if (const FunctionDecl *FD = C->getDirectCallee();
               FD && FD->isInStdNamespace() &&
               FD->getDeclName().isIdentifier() &&
               (FD->getName() == "invoke" || FD->getName() == "apply"))
        Found = true;
      return !Found;
    }
  } Finder;
  Finder.TraverseStmt(const_cast<Stmt *>(S));
  return Finder.Found;
}
} // namespace

void SpawnModel::spawnsIn(
    const FunctionDecl *Def, ASTContext &Ctx, bool Infer,
    llvm::function_ref<void(const Expr *, const Spawn &)> Each) const {
  struct Sites : RecursiveASTVisitor<Sites> {
    const SpawnModel &Model;
    ASTContext &Ctx;
    bool Infer;
    llvm::function_ref<void(const Expr *, const Spawn &)> Each;
    Sites(const SpawnModel &Model, ASTContext &Ctx, bool Infer,
          llvm::function_ref<void(const Expr *, const Spawn &)> Each)
        : Model(Model), Ctx(Ctx), Infer(Infer), Each(Each) {}
    bool VisitExpr(Expr *E) {
      if (isa<CallExpr, CXXConstructExpr>(E))
        if (std::optional<Spawn> S = Model.classifyAt(E, Ctx, nullptr, Infer))
          Each(E, *S);
      return true;
    }
  } Scan(*this, Ctx, Infer, Each);
  // The whole declaration: a constructor's member initializers too.
  Scan.TraverseDecl(const_cast<FunctionDecl *>(Def));
}

const SpawnModel::ClassThreads &SpawnModel::threadsOf(const CXXRecordDecl *RD,
                                                      ASTContext &Ctx) const {
  auto [It, Inserted] = ThreadsCache.try_emplace(RD);
  if (!Inserted)
    return It->second;
  ClassThreads Facts;
  // The threads the class starts (in any member function or constructor),
  // and the fields their bodies, and the member functions they call on the
  // object, name; a thread that calls callables consumes them. A thread per
  // task runs a callable it was handed: it has no body.
  llvm::SmallVector<const FunctionDecl *, 4> Bodies;
  for (const CXXMethodDecl *M : RD->methods())
    if (const FunctionDecl *Def = definitionOf(M))
      spawnsIn(Def, Ctx, /*Infer=*/false, [&](const Expr *, const Spawn &S) {
        Facts.HasThreads = true;
        if (S.Body)
          Bodies.push_back(S.Body);
      });
  for (const FunctionDecl *TaskFD : Bodies) {
    llvm::SmallVector<const FunctionDecl *, 4> Work{TaskFD};
    llvm::SmallPtrSet<const FunctionDecl *, 4> Seen;
    llvm::StringSet<> Named;
    bool Calls = false;
    // The task's body and the member functions it calls on the object, a
    // few levels down.
    for (unsigned I = 0; I < Work.size() && I < 8; ++I) {
      const FunctionDecl *Def = definitionOf(Work[I]);
      if (!Def || !Seen.insert(Def).second)
        continue;
      fieldsNamed(Def->getBody(), RD, Named);
      Calls |= callsACallable(Def->getBody());
      struct Callees : RecursiveASTVisitor<Callees> {
        llvm::SmallVectorImpl<const FunctionDecl *> &Out;
        const CXXRecordDecl *RD;
        Callees(llvm::SmallVectorImpl<const FunctionDecl *> &Out,
                const CXXRecordDecl *RD)
            : Out(Out), RD(RD) {}
        bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
          // On the object, or on another object of the class (a static
          // entry point calling env->BackgroundThreadMain()).
          const Expr *Obj = C->getImplicitObjectArgument();
          const CXXRecordDecl *Of =
              Obj ? recordOf(Obj->getType(), /*ThroughPointer=*/true) : nullptr;
          if (Obj && (isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) ||
                      (Of && Of->getCanonicalDecl() == RD->getCanonicalDecl())))
            if (const CXXMethodDecl *MD = C->getMethodDecl())
              Out.push_back(MD);
          return true;
        }
      } Finder(Work, RD);
      Finder.TraverseStmt(Def->getBody());
    }
    if (Calls)
      for (const auto &N : Named)
        Facts.Consumed.insert(N.getKey());
  }
  // The map may have grown while scanning: look the entry up again.
  return ThreadsCache[RD] = std::move(Facts);
}

std::optional<unsigned>
SpawnModel::inferredTaskParameter(const FunctionDecl *FD,
                                  ASTContext &Ctx) const {
  const FunctionDecl *Def = definitionOf(FD);
  if (!Def) {
    // Defined in another translation unit: what the project's facts say.
    const FunctionFacts *F = Facts ? Facts->of(FD) : nullptr;
    return F ? F->TaskParameter : std::nullopt;
  }
  if (Def->getNumParams() == 0 || Def->isInStdNamespace() ||
      Def->isDependentContext())
    return std::nullopt;
  auto [It, Inserted] = InferCache.try_emplace(Def);
  if (!Inserted)
    return It->second; // known, or being inferred (a cycle: not a spawn yet)
  Inferring.insert(Def);
  std::optional<unsigned> Found;
  const auto *MD = dyn_cast<CXXMethodDecl>(Def);
  const CXXRecordDecl *Owner =
      MD && MD->isInstance() && !MD->getParent()->isLambda() ? MD->getParent()
                                                             : nullptr;
  for (unsigned I = 0; I < Def->getNumParams() && !Found; ++I) {
    const ParmVarDecl *P = Def->getParamDecl(I);
    if (!isCallableType(P->getType()))
      continue;
    DerivedLocals Derived(P);
    Derived.TraverseStmt(Def->getBody());
    // Handed to a spawn: the spawn names the callable, or a value made from
    // it (a lambda capturing it, a packaged task binding it).
    struct Handoff : RecursiveASTVisitor<Handoff> {
      const SpawnModel &Model;
      ASTContext &Ctx;
      const DerivedLocals &Derived;
      const CXXRecordDecl *Owner;
      bool Found = false;
      Handoff(const SpawnModel &Model, ASTContext &Ctx,
              const DerivedLocals &Derived, const CXXRecordDecl *Owner)
          : Model(Model), Ctx(Ctx), Derived(Derived), Owner(Owner) {}
      bool VisitExpr(Expr *E) {
        if (!isa<CallExpr, CXXConstructExpr>(E) || !Derived.mentions(E))
          return true;
        if (Model.classifyAt(E, Ctx, nullptr, /*Infer=*/true)) {
          Found = true;
          return false;
        }
        // Queued for the class's own threads: inserted into a field that
        // holds callables and that a thread of the class takes them from.
        const auto *MCE = dyn_cast<CXXMemberCallExpr>(E);
        const CXXMethodDecl *Callee = MCE ? MCE->getMethodDecl() : nullptr;
        if (!Owner || !Callee || !Callee->getDeclName().isIdentifier() ||
            !isQueueInsertionName(Callee->getName()))
          return true;
        const FieldDecl *Queue = thisField(MCE->getImplicitObjectArgument());
        if (Queue && Queue->getDeclName().isIdentifier() &&
            holdsCallables(Queue->getType()) &&
            Model.threadsOf(Owner, Ctx).Consumed.count(Queue->getName())) {
          Found = true;
          return false;
        }
        return true;
      }
    } Scan(*this, Ctx, Derived, Owner);
    Scan.TraverseStmt(Def->getBody());
    if (Scan.Found)
      Found = I;
  }
  // The map may have grown while scanning (nested inferences): look the
  // entry up again.
  InferCache[Def] = Found;
  Inferring.erase(Def);
  return Found;
}

std::optional<std::string> SpawnModel::startedField(const CXXMethodDecl *M,
                                                    ASTContext &Ctx) const {
  if (!M || !M->isInstance() || isa<CXXConstructorDecl, CXXDestructorDecl>(M) ||
      M->isInStdNamespace() || M->getParent()->isLambda())
    return std::nullopt;
  const CXXRecordDecl *RD = M->getParent();
  auto [Keeps, New] = KeepsCallable.try_emplace(RD, false);
  if (New)
    Keeps->second = llvm::any_of(RD->fields(), [](const FieldDecl *F) {
      return F->getDeclName().isIdentifier() && isCallableType(F->getType());
    });
  if (!Keeps->second)
    return std::nullopt;
  const FunctionDecl *Def = definitionOf(M);
  if (!Def) {
    const FunctionFacts *F = Facts ? Facts->of(M) : nullptr;
    if (F && !F->StartsField.empty())
      return F->StartsField;
    return std::nullopt;
  }
  if (Def->isDependentContext())
    return std::nullopt;
  auto [It, Inserted] = StartedCache.try_emplace(Def);
  if (!Inserted)
    return It->second; // known, or being decided (a cycle: not yet)
  // The spawns in the body.
  llvm::SmallVector<const Expr *, 2> Sites;
  spawnsIn(Def, Ctx, /*Infer=*/true,
           [&](const Expr *E, const Spawn &) { Sites.push_back(E); });
  // The fields a constructor keeps a callable parameter in: one set only
  // by a setter starts what the object cannot say when it is made.
  llvm::SmallVector<std::pair<std::string, unsigned>, 2> Kept;
  if (!Sites.empty())
    for (const CXXConstructorDecl *C : RD->ctors())
      storedCallables(C, Facts, Kept);
  std::optional<std::string> Started;
  for (const FieldDecl *F : RD->fields()) {
    if (Kept.empty() || Started)
      break;
    if (!F->getDeclName().isIdentifier() || !isCallableType(F->getType()) ||
        llvm::none_of(Kept,
                      [&](const auto &K) { return K.first == F->getName(); }))
      continue;
    // Handed to the spawn, or a value made from it (a heap copy passed to
    // pthread_create's routine).
    DerivedLocals Derived(F);
    Derived.TraverseStmt(Def->getBody());
    // In what the spawn runs (its arguments), not in the executor it is
    // handed to (a task queue made by a factory field).
    auto InArguments = [&](const Expr *E) {
      if (const auto *Call = dyn_cast<CallExpr>(E))
        return llvm::any_of(Call->arguments(),
                            [&](const Expr *A) { return Derived.mentions(A); });
      const auto *CE = cast<CXXConstructExpr>(E);
      return llvm::any_of(CE->arguments(),
                          [&](const Expr *A) { return Derived.mentions(A); });
    };
    if (llvm::any_of(Sites, InArguments) ||
        // A thread of the class that calls it: [this] { func_(); }.
        threadsOf(RD, Ctx).Consumed.count(F->getName()))
      Started = F->getName().str();
  }
  StartedCache[Def] = Started;
  return Started;
}

void SpawnModel::storedCallables(
    const CXXConstructorDecl *C, const FactsView *Facts,
    llvm::SmallVectorImpl<std::pair<std::string, unsigned>> &Out) {
  const FunctionDecl *Def = definitionOf(C);
  if (!Def) {
    if (const FunctionFacts *F = Facts ? Facts->of(C) : nullptr)
      Out.append(F->Stores.begin(), F->Stores.end());
    return;
  }
  const auto *Ctor = cast<CXXConstructorDecl>(Def);
  auto Store = [&](const FieldDecl *Field, const Expr *Value) {
    if (!Field || !Field->getDeclName().isIdentifier() || !Value ||
        !isCallableType(Field->getType()))
      return;
    for (unsigned I = 0; I < Ctor->getNumParams(); ++I) {
      const ParmVarDecl *P = Ctor->getParamDecl(I);
      if (!isCallableType(P->getType()))
        continue;
      DerivedLocals Derived(P);
      if (Derived.mentions(Value)) {
        Out.emplace_back(Field->getName().str(), I);
        return;
      }
    }
  };
  // func_(std::move(func)) in the initializers, or func_ = func in the body.
  for (const CXXCtorInitializer *Init : Ctor->inits())
    if (Init->isWritten())
      Store(Init->getMember(), Init->getInit());
  struct Assignments : RecursiveASTVisitor<Assignments> {
    llvm::function_ref<void(const FieldDecl *, const Expr *)> Store;
    explicit Assignments(
        llvm::function_ref<void(const FieldDecl *, const Expr *)> Store)
        : Store(Store) {}
    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
      if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
        if (const auto *ME =
                dyn_cast<MemberExpr>(Op->getArg(0)->IgnoreParenImpCasts());
            ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
          Store(dyn_cast<FieldDecl>(ME->getMemberDecl()), Op->getArg(1));
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() == BO_Assign)
        if (const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParens());
            ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
          Store(dyn_cast<FieldDecl>(ME->getMemberDecl()), BO->getRHS());
      return true;
    }
  } Scan(Store);
  Scan.TraverseStmt(Ctor->getBody());
}

/// The construction \p E makes of a class \p RD object: `T(args)`, `new
/// T(args)`, `std::make_unique<T>(args)` (make_shared): the constructor and
/// the arguments it receives.
static std::optional<
    std::pair<const CXXConstructorDecl *, llvm::SmallVector<const Expr *, 2>>>
constructionOf(const Expr *E, const CXXRecordDecl *RD) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreImplicit();
  if (const auto *New = dyn_cast<CXXNewExpr>(E))
    E = New->getConstructExpr();
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *C = CE->getConstructor();
    if (C->getParent()->getCanonicalDecl() != RD->getCanonicalDecl() ||
        C->isCopyOrMoveConstructor())
      return std::nullopt;
    return std::make_pair(
        C, llvm::SmallVector<const Expr *, 2>(CE->arg_begin(), CE->arg_end()));
  }
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->isInStdNamespace() || !FD->getDeclName().isIdentifier() ||
      (FD->getName() != "make_unique" && FD->getName() != "make_shared"))
    return std::nullopt;
  const CXXRecordDecl *Made =
      recordOf(Call->getType(), /*ThroughPointer=*/true);
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(Made);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type ||
      recordOf(Spec->getTemplateArgs()[0].getAsType()) == nullptr ||
      recordOf(Spec->getTemplateArgs()[0].getAsType())->getCanonicalDecl() !=
          RD->getCanonicalDecl())
    return std::nullopt;
  // The constructor the arguments select, when one alone can take them.
  const CXXConstructorDecl *Chosen = nullptr;
  for (const CXXConstructorDecl *C : RD->ctors()) {
    if (C->isCopyOrMoveConstructor() ||
        C->getMinRequiredArguments() > Call->getNumArgs() ||
        C->getNumParams() < Call->getNumArgs())
      continue;
    if (Chosen)
      return std::nullopt;
    Chosen = C;
  }
  if (!Chosen)
    return std::nullopt;
  return std::make_pair(Chosen, llvm::SmallVector<const Expr *, 2>(
                                    Call->arg_begin(), Call->arg_end()));
}

/// The range a range-for's variable runs over: `threads_` in `for (auto &t :
/// threads_)` (through the loop's own __begin and __range variables).
static const Expr *rangeOf(const VarDecl *LoopVar) {
  const Expr *E = LoopVar->getInit();
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->isImplicit())
        return E;
      E = VD->getInit();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
               Op && Op->getOperator() == OO_Star && Op->getNumArgs() == 1) {
      E = Op->getArg(0);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(E);
               UO && UO->getOpcode() == UO_Deref) {
      E = UO->getSubExpr();
    } else if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
      E = MCE->getImplicitObjectArgument(); // __range.begin()
    } else {
      return E;
    }
  }
  return nullptr;
}

/// Where the container that \p E is an element of (threads_[i],
/// threads.back(), the variable of a range-for over it) is filled: the body
/// of the function a local container lives in, or those of the member
/// functions and constructors of the class a member container belongs to.
static void containerBodies(const Expr *E,
                            llvm::SmallVectorImpl<const Stmt *> &Out) {
  const Expr *C = nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2)
    C = Op->getArg(0);
  else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    C = ASE->getBase();
  else if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    if (MD && MD->getDeclName().isIdentifier() &&
        (MD->getName() == "back" || MD->getName() == "front" ||
         MD->getName() == "at"))
      C = MCE->getImplicitObjectArgument();
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->isCXXForRangeDecl())
      C = rangeOf(VD);
  }
  if (!C)
    return;
  C = C->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(C);
      ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
    if (const auto *Owner =
            dyn_cast<CXXRecordDecl>(ME->getMemberDecl()->getDeclContext()))
      for (const CXXMethodDecl *M : Owner->methods())
        if (const FunctionDecl *Def = definitionOf(M))
          Out.push_back(Def->getBody());
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(C)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage())
      if (const auto *FD =
              dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod()))
        Out.push_back(FD->getBody());
  }
}

const Expr *SpawnModel::keptCallable(const Expr *Obj, const CXXRecordDecl *RD,
                                     llvm::StringRef Field) const {
  std::optional<
      std::pair<const CXXConstructorDecl *, llvm::SmallVector<const Expr *, 2>>>
      Made;
  // t.start(), t->start() (a pointer, a unique_ptr), (*t).start().
  const Expr *E = Obj ? Obj->IgnoreParenImpCasts() : nullptr;
  while (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(E)) {
    if ((Op->getOperator() != OO_Arrow && Op->getOperator() != OO_Star) ||
        Op->getNumArgs() != 1)
      break;
    E = Op->getArg(0)->IgnoreParenImpCasts();
  }
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  // One of a container's (threads_[i]->start(), `for (auto &t : threads_)
  // t->start()`): looked for below.
  bool Element = E && !isa<CXXThisExpr>(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    Element = VD && VD->isCXXForRangeDecl();
    if (VD && VD->hasLocalStorage() && !Element)
      Made = constructionOf(VD->getInit(), RD);
  } else if (const auto *ME = dyn_cast_or_null<MemberExpr>(E);
             ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
    // A member: its initializer in the owner's constructors, or its
    // default member initializer.
    Element = false;
    const auto *Member = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (const CXXRecordDecl *Owner =
            Member ? dyn_cast<CXXRecordDecl>(Member->getParent()) : nullptr)
      for (const CXXConstructorDecl *C : Owner->ctors())
        for (const Expr *Init : memberInitializers(definitionOf(C), Member))
          if (!Made)
            Made = constructionOf(Init, RD);
    if (!Made && Member && Member->hasInClassInitializer())
      Made = constructionOf(Member->getInClassInitializer(), RD);
  }
  llvm::SmallVector<const Stmt *, 4> Where;
  if (Element && !Made)
    containerBodies(E, Where);
  if (!Where.empty()) {
    // The one construction of the class where the container is filled.
    struct Constructions : RecursiveASTVisitor<Constructions> {
      const CXXRecordDecl *RD;
      llvm::SmallVector<const Expr *, 2> Found;
      explicit Constructions(const CXXRecordDecl *RD) : RD(RD) {}
      bool VisitExpr(Expr *E) {
        if (isa<CXXConstructExpr, CallExpr>(E) && constructionOf(E, RD))
          Found.push_back(E);
        return true;
      }
    } Scan(RD);
    for (const Stmt *Body : Where)
      Scan.TraverseStmt(const_cast<Stmt *>(Body));
    if (Scan.Found.size() == 1)
      Made = constructionOf(Scan.Found.front(), RD);
  }
  if (!Made)
    return nullptr;
  llvm::SmallVector<std::pair<std::string, unsigned>, 2> Stored;
  storedCallables(Made->first, Facts, Stored);
  for (const auto &[Name, Param] : Stored)
    if (Name == Field && Param < Made->second.size())
      return Made->second[Param];
  return nullptr;
}

llvm::ArrayRef<const CXXMethodDecl *>
SpawnModel::overridersOf(const CXXMethodDecl *MD, ASTContext &Ctx) const {
  if (!Overriders) {
    // Once per translation unit: every method of user code that overrides
    // another, under each method it overrides, directly or not.
    struct Index : RecursiveASTVisitor<Index> {
      llvm::DenseMap<const CXXMethodDecl *,
                     llvm::SmallVector<const CXXMethodDecl *, 2>> &Out;
      explicit Index(
          llvm::DenseMap<const CXXMethodDecl *,
                         llvm::SmallVector<const CXXMethodDecl *, 2>> &Out)
          : Out(Out) {}
      bool shouldVisitTemplateInstantiations() const { return true; }
      bool VisitCXXMethodDecl(CXXMethodDecl *M) {
        if (!M->isVirtual() || M != M->getCanonicalDecl())
          return true;
        forEachOverridden(
            M, [&](const CXXMethodDecl *Base) { Out[Base].push_back(M); });
        return true;
      }
    };
    Overriders.emplace();
    Index I(*Overriders);
    for (Decl *D : Ctx.getTraversalScope())
      I.TraverseDecl(D);
  }
  auto It = Overriders->find(MD->getCanonicalDecl());
  if (It == Overriders->end())
    return {};
  return It->second;
}

llvm::SmallVector<const CXXMethodDecl *, 4>
SpawnModel::implementationsOf(const CXXMethodDecl *MD, ASTContext &Ctx) const {
  llvm::SmallVector<const CXXMethodDecl *, 4> Impls;
  if (definitionOf(MD))
    Impls.push_back(MD);
  for (const CXXMethodDecl *O : overridersOf(MD, Ctx))
    if (definitionOf(O))
      Impls.push_back(O);
  return Impls;
}

std::optional<unsigned>
SpawnModel::virtualTaskParameter(const CXXMethodDecl *MD,
                                 ASTContext &Ctx) const {
  // Every implementation the unit shows: the method's own body, and each
  // overrider's; all must hand the same parameter to another thread.
  if (MD->isInStdNamespace() || !hasCallableParameter(MD))
    return std::nullopt;
  llvm::SmallVector<const CXXMethodDecl *, 4> Impls =
      implementationsOf(MD, Ctx);
  if (Impls.empty()) // none here: what the project's facts say
    return inferredTaskParameter(MD, Ctx);
  std::optional<unsigned> Common;
  bool Decided = false;
  for (const CXXMethodDecl *I : Impls) {
    // One being inferred now called this (a wrapper forwarding to the
    // object it wraps, leveldb's EnvWrapper): it is what the others are.
    if (Inferring.count(definitionOf(I)))
      continue;
    Decided = true;
    std::optional<unsigned> P = inferredTaskParameter(I, Ctx);
    if (!P || (Common && *Common != *P))
      return std::nullopt;
    Common = P;
  }
  if (!Decided)
    return inferredTaskParameter(MD, Ctx);
  return Common;
}

bool SpawnModel::joinsSubmitted(const CXXMethodDecl *M, ASTContext &Ctx) const {
  const FunctionDecl *Def = definitionOf(M);
  if (!Def) {
    const FunctionFacts *F = Facts ? Facts->of(M) : nullptr;
    return F && F->JoinsTasks;
  }
  auto [It, Inserted] = JoinCache.try_emplace(Def, false);
  if (!Inserted)
    return It->second;
  const CXXRecordDecl *RD = M->getParent();
  const ClassThreads &Threads = threadsOf(RD, Ctx);
  if (!Threads.HasThreads)
    return false;
  // Joins the class's threads, waits on a condition for a field of queued
  // callables the threads take (until the queue is empty), or calls a
  // member function of the object that does either.
  struct Finder : RecursiveASTVisitor<Finder> {
    const SpawnModel &Model;
    ASTContext &Ctx;
    const CXXRecordDecl *RD;
    const ClassThreads &Threads;
    bool Found = false;
    Finder(const SpawnModel &Model, ASTContext &Ctx, const CXXRecordDecl *RD,
           const ClassThreads &Threads)
        : Model(Model), Ctx(Ctx), RD(RD), Threads(Threads) {}
    bool waitsForQueue(const Stmt *Cond) const {
      llvm::StringSet<> Named;
      fieldsNamed(Cond, RD, Named);
      for (const FieldDecl *F : RD->fields())
        if (F->getDeclName().isIdentifier() && Named.count(F->getName()) &&
            Threads.Consumed.count(F->getName()) &&
            holdsCallables(F->getType()))
          return true;
      return false;
    }
    bool VisitCallExpr(CallExpr *C) {
      const FunctionDecl *FD = C->getDirectCallee();
      if (!FD || !FD->getDeclName().isIdentifier())
        return true;
      StringRef N = FD->getName();
      // The class's threads joined (std's, pthreads, C11's).
      if (threadJoinKind(C) != JoinKind::None) {
        Found = true;
        return false;
      }
      const auto *MCE = dyn_cast<CXXMemberCallExpr>(C);
      if (!MCE)
        return true;
      const CXXRecordDecl *Of = MCE->getMethodDecl()->getParent();
      if ((N == "wait" || N == "wait_for" || N == "wait_until") &&
          isStdRecord(Of, {"condition_variable", "condition_variable_any"}))
        for (const Expr *Arg : C->arguments())
          Found |= waitsForQueue(Arg);
      else if (isa<CXXThisExpr>(
                   MCE->getImplicitObjectArgument()->IgnoreParenImpCasts()) &&
               MCE->getMethodDecl() != nullptr)
        Found = Model.joinsSubmitted(MCE->getMethodDecl(), Ctx);
      return !Found;
    }
    bool VisitWhileStmt(WhileStmt *W) {
      // while (!queue.empty()) cv.wait(lock);
      Found = W->getCond() && waitsForQueue(W->getCond()) &&
              Model.waitsOnCondition(W->getBody());
      return !Found;
    }
  } Scan(*this, Ctx, RD, Threads);
  Scan.TraverseStmt(Def->getBody());
  JoinCache[Def] = Scan.Found;
  return Scan.Found;
}

bool SpawnModel::waitsOnCondition(const Stmt *S) const {
  struct Finder : RecursiveASTVisitor<Finder> {
    bool Found = false;
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
      const CXXMethodDecl *MD = C->getMethodDecl();
      Found = MD && MD->getDeclName().isIdentifier() &&
              MD->getName().starts_with("wait") &&
              isStdRecord(MD->getParent(),
                          {"condition_variable", "condition_variable_any"});
      return !Found;
    }
  } Scan;
  Scan.TraverseStmt(const_cast<Stmt *>(S));
  return Scan.Found;
}

bool SpawnModel::joinsSubmittedTasks(const CXXMemberCallExpr *Call,
                                     ASTContext &Ctx) const {
  const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
  return MD && (isKnownJoin(MD) || joinsSubmitted(MD, Ctx));
}

bool SpawnModel::joinsSubmittedOnDestruction(const CXXRecordDecl *RD,
                                             ASTContext &Ctx) const {
  RD = RD ? RD->getDefinition() : nullptr;
  const CXXDestructorDecl *D = RD ? RD->getDestructor() : nullptr;
  return D && (isKnownJoin(D) || joinsSubmitted(D, Ctx));
}
namespace {
/// Pointer locals that change after their initialisation.
class PointerWrites : public RecursiveASTVisitor<PointerWrites> {
public:
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp())
      note(BO->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp())
      note(UO->getSubExpr());
    else if (UO->getOpcode() == UO_AddrOf)
      note(UO->getSubExpr()); // &p: may be changed through the address
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    // Passed by non-const reference: may be changed by the callee.
    const FunctionDecl *FD = C->getDirectCallee();
    for (unsigned I = 0; I < C->getNumArgs(); ++I) {
      if (!FD || I >= FD->getNumParams()) {
        continue;
      }
      QualType T = FD->getParamDecl(I)->getType();
      if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified())
        note(C->getArg(I));
    }
    return true;
  }
  llvm::SmallPtrSet<const VarDecl *, 8> Changed;

private:
  void note(const Expr *E) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Changed.insert(VD);
  }
};

class PointerLocals : public RecursiveASTVisitor<PointerLocals> {
public:
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
        VD->getType()->isPointerType() && VD->getInit())
      Locals.push_back(VD);
    return true;
  }
  llvm::SmallVector<const VarDecl *, 8> Locals;
};
} // namespace

/// The pointee of a local's initializer when it certainly names one object:
/// `&x`, or a pointer that \p Known binds, possibly cast (`static_cast<T *>(
/// arg)` of a bound void *).
static std::optional<AccessPath> initialPointee(const Expr *Init,
                                                const Bindings &Known) {
  Init = stripWrappers(Init);
  if (const auto *UO = dyn_cast<UnaryOperator>(Init);
      UO && UO->getOpcode() == UO_AddrOf)
    return AccessPath::of(UO->getSubExpr(), &Known);
  while (const auto *Cast = dyn_cast<ExplicitCastExpr>(Init)) {
    if (!Cast->getType()->isPointerType())
      return std::nullopt;
    Init = stripWrappers(Cast->getSubExpr());
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Init))
    if (const AccessPath *P = Known.pointee(DRE->getDecl()))
      return *P;
  return std::nullopt;
}

Bindings SpawnModel::localPointerBindings(const FunctionDecl *FD,
                                          const Bindings *Known) {
  Bindings B;
  if (!FD || !FD->hasBody())
    return B;
  PointerLocals Locals;
  Locals.TraverseStmt(FD->getBody());
  if (Locals.Locals.empty())
    return B;
  PointerWrites Writes;
  Writes.TraverseStmt(FD->getBody());
  // Later locals may be initialised from earlier ones: resolve against what
  // is known plus what is found so far.
  Bindings Resolved;
  if (Known)
    Resolved.merge(*Known);
  for (const VarDecl *VD : Locals.Locals) {
    if (Writes.Changed.count(VD))
      continue;
    if (std::optional<AccessPath> P = initialPointee(VD->getInit(), Resolved)) {
      B.bindPointer(VD, *P);
      Resolved.bindPointer(VD, *P);
    }
  }
  return B;
}

} // namespace concheck::model
