//===--- SpawnModel.h - Where tasks start and what they run -----*- C++ -*-===//
//
// Part of concheck. The single place that decides which expressions start a
// concurrent task (a spawn), which function body that task runs, and how the
// task's parameters and captures relate to the spawner's objects. The wait
// group checks and the race check all ask this model.
//
// Spawns: std::thread and std::jthread constructions (also emplace_back into a
// container of threads), std::async unless std::launch::deferred,
// pthread_create, concheck::wait_group::go, concheck::worker_pool::submit,
// known executors (Boost.Asio's post/dispatch/defer, oneTBB's task_group and
// task_arena, taskflow's Executor (also the run of a task graph: one task
// per task of the Taskflow, TaskGraph.h), BS::thread_pool, folly's Executor and
// via, QtConcurrent::run, QThreadPool::start: the KnownSpawns table, with
// their joins in KnownJoins), the SpawnFunctions option, and
// spawns inferred from their bodies: functions (in any file) that hand a
// callable parameter to a spawn, or queue it for threads their class
// started, which take callables from that queue and call them; a thread
// class's start() that runs the callable its object was constructed with
// (muduo's Thread). A member
// function that joins the class's threads or waits until that queue is
// empty joins the tasks handed to its object.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_SPAWNMODEL_H
#define CONCHECK_MODEL_SPAWNMODEL_H

#include "AccessPath.h"
#include "Names.h"
#include "ProjectFacts.h"
#include "TaskGraph.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>

namespace concheck::model {

struct SpawnModelOptions {
  /// Extra spawn functions, ';'-separated qualified names, each optionally
  /// followed by ':N', the index of the argument that is the task (default:
  /// the last argument). Example: "::app::run_async;::app::Executor::add:0".
  std::string SpawnFunctions;
};

/// One place where a task starts.
struct Spawn {
  enum Kind {
    StdThread,
    StdJThread,
    StdAsync,
    PthreadCreate,
    WaitGroupGo,
    PoolSubmit,
    /// A known executor's (Boost.Asio, oneTBB, taskflow, BS::thread_pool,
    /// folly, Qt): Via names the function.
    KnownExecutor,
    Configured,
    /// A function whose body hands its callable parameter to another thread
    /// (to a spawn, or to a queue the class's own threads run).
    Inferred,
  };
  Kind K;
  /// The construction or call that starts the task.
  const clang::Expr *Site = nullptr;
  /// The callable as passed (a lambda, a variable holding one, a function).
  const clang::Expr *Callable = nullptr;
  /// The function whose body the task runs: a lambda's call operator, a free
  /// or member function, a functor's operator(). Null when it cannot be known
  /// (a parameter of the enclosing function, a std::function from elsewhere).
  const clang::FunctionDecl *Body = nullptr;
  /// The lambda, when the task is one.
  const clang::LambdaExpr *Lambda = nullptr;
  /// For go/submit/run: the object the task was handed to (wg in wg.go(f)).
  const clang::Expr *Executor = nullptr;
  /// The spawn returns a future of the task (std::async, a pool's submit):
  /// waiting on it joins the task.
  bool ReturnsFuture = false;
  /// One call runs the callable many times at once (a pool's parallel loop).
  bool ManyRuns = false;
  /// The spawn function waits for the threads it starts before it returns
  /// (a runner that starts the callable on its threads and joins them): the
  /// call is its own join.
  bool JoinedOnReturn = false;
  /// A thread class's start() (Via): the task runs the callable its object
  /// keeps, and the class's join (also in a loop over a container of such
  /// objects) waits for it.
  bool StartsKept = false;
  /// A run of a task graph (taskflow's Executor::run of a Taskflow): the
  /// graph. For the run itself Made is null; TaskModel turns it into one
  /// task per node the run starts (graphTasks).
  std::shared_ptr<const TaskGraph> Graph;
  /// One task of the graph run at Site: its node, and the call that made it
  /// (where its callable and captures are bound).
  unsigned Node = 0;
  const clang::Expr *Made = nullptr;
  /// A known executor's function, as written ("post", "detach_task").
  llvm::StringRef Via;
  /// The task's parameters and 'this', in terms of the spawner's objects.
  Bindings TaskBindings;
  /// The argument each of the task's parameters receives, as written at the
  /// spawn (std::thread t(fill, std::ref(v), i): fill's parameters and
  /// std::ref(v), i).
  llvm::SmallVector<std::pair<const clang::ParmVarDecl *, const clang::Expr *>,
                    2>
      ParamArgs;

  /// How the spawn is written, for messages: "std::thread", "go", ...
  llvm::StringRef spelling() const;
  /// Where the task was made, with its callable: the call that made a graph's
  /// task, else the spawn itself.
  const clang::Expr *madeAt() const { return Made ? Made : Site; }
  /// Whether this is the run of a task graph rather than one of its tasks.
  bool runsGraph() const { return Graph && !Made; }
};

class SpawnModel {
public:
  /// \p Facts (may be null): what other translation units say about
  /// functions this one has no body for.
  explicit SpawnModel(const SpawnModelOptions &Opts,
                      const FactsView *Facts = nullptr);

  /// The task \p E starts by itself (not through a subexpression), if any.
  /// \p SpawnerBindings describe the spawner's own pointer locals.
  std::optional<Spawn> classify(const clang::Expr *E, clang::ASTContext &Ctx,
                                const Bindings *SpawnerBindings = nullptr) const;
  /// The tasks \p E starts: its spawn (classify), or for the run of a task
  /// graph one task per node of the graph that the run starts (for a local
  /// flow, the nodes made before the run and after its last clear()), each
  /// bound through \p SpawnerBindings like any spawn's callable. A run
  /// whose graph shows no task stays one opaque task.
  llvm::SmallVector<Spawn, 1>
  tasksStartedBy(const clang::Expr *E, clang::ASTContext &Ctx,
                 const Bindings *SpawnerBindings = nullptr) const;

  /// The pointer locals of \p FD that are initialised with an address, or
  /// with a pointer that \p Known binds (also through a cast, as a
  /// pthread_create routine does with its void *), and never changed
  /// afterwards, bound to what they point to, so that `auto *p = &wg; ...
  /// p->done()` names wg.
  static Bindings localPointerBindings(const clang::FunctionDecl *FD,
                                       const Bindings *Known = nullptr);

  static llvm::StringRef defaultSpawnFunctions();

  /// Whether \p Call waits until every task handed to its object has
  /// finished: the member function joins the threads of its class, waits on
  /// a condition over the queue of callables they take, or calls one that
  /// does (a pool's wait(), wait_for_all(), join()).
  bool joinsSubmittedTasks(const clang::CXXMemberCallExpr *Call,
                           clang::ASTContext &Ctx) const;
  /// The same for the destructor of \p RD (a pool that joins its workers).
  bool joinsSubmittedOnDestruction(const clang::CXXRecordDecl *RD,
                                   clang::ASTContext &Ctx) const;

  /// A known executor's member function that waits for every task handed to
  /// its object (or its destructor, when that does).
  static bool isKnownJoin(const clang::CXXMethodDecl *MD);
  /// A wait on a task's handle: get()/wait() of a future (std's, folly's),
  /// QFuture's waitForFinished()/result().
  static bool isHandleWait(const clang::CXXMemberCallExpr *Call);

  /// What a call waits for, of the tasks spawns start: one thread
  /// (std::thread's and std::jthread's join()), one pthread (pthread_join),
  /// the task behind a handle (isHandleWait), or every task handed to the
  /// object the call is made on (joinsSubmittedTasks). A wait group's wait
  /// is the WaitGroupModel's.
  enum class JoinKind { None, Thread, Pthread, Handle, Submitted };
  JoinKind joinKind(const clang::CallExpr *Call, clang::ASTContext &Ctx) const;
  /// The same for thread joins alone (Thread, Pthread or None): no model
  /// of pools needed.
  static JoinKind threadJoinKind(const clang::CallExpr *Call);

  /// The index of the callable parameter of \p FD that FD's body hands to
  /// another thread: to a spawn (directly, or a lambda or packaged task made
  /// from it), or into a field of callables that a thread started by FD's
  /// class takes them from; for a function with no body here, what the
  /// project's facts say. Cached per definition.
  std::optional<unsigned> inferredTaskParameter(const clang::FunctionDecl *FD,
                                                clang::ASTContext &Ctx) const;
  /// Whether the member function (or destructor) \p M waits until every
  /// task handed to its object has finished (see joinsSubmittedTasks); for
  /// one with no body here, what the project's facts say.
  bool joinsSubmitted(const clang::CXXMethodDecl *M,
                      clang::ASTContext &Ctx) const;

  /// For a virtual call of \p MD: the task parameter every implementation
  /// the translation unit shows (MD's own body, its overriders') hands to
  /// another thread, the same for all; with none in sight, what the
  /// project's facts say about MD.
  std::optional<unsigned> virtualTaskParameter(const clang::CXXMethodDecl *MD,
                                               clang::ASTContext &Ctx) const;

  /// The name of the field holding a callable that the member function \p M
  /// starts on another thread (a thread class that keeps the function it
  /// was made with: start() hands it, or a value made from it, to a spawn,
  /// or starts a thread of the class that calls it); for one with no body
  /// here, what the project's facts say. Cached per definition.
  std::optional<std::string> startedField(const clang::CXXMethodDecl *M,
                                          clang::ASTContext &Ctx) const;
  /// The callable parameters of the constructor \p C that it stores in
  /// fields (by field name), from its body or the project's facts.
  static void
  storedCallables(const clang::CXXConstructorDecl *C, const FactsView *Facts,
                  llvm::SmallVectorImpl<std::pair<std::string, unsigned>> &Out);

private:
  /// The callable that the object \p Obj keeps in its field \p Field, from
  /// the construction of the object that the code shows: a local's
  /// initializer (also make_unique and new), a member's initializer in its
  /// owner's constructors, or, for an element of a container, the one
  /// construction of the class where the container is filled (the function
  /// of a local container, the member functions of a member's class). Null
  /// when none is in sight.
  const clang::Expr *keptCallable(const clang::Expr *Obj,
                                  const clang::CXXRecordDecl *RD,
                                  llvm::StringRef Field) const;
  /// Every implementation of the virtual \p MD the unit shows: MD itself
  /// when it has a body here, and each overrider that has one.
  llvm::SmallVector<const clang::CXXMethodDecl *, 4>
  implementationsOf(const clang::CXXMethodDecl *MD,
                    clang::ASTContext &Ctx) const;
  /// The methods of user code that override \p MD (directly or not).
  llvm::ArrayRef<const clang::CXXMethodDecl *>
  overridersOf(const clang::CXXMethodDecl *MD, clang::ASTContext &Ctx) const;
  /// What a class's own threads do: which of its fields their bodies (and
  /// the member functions they call on the object) name, when they call
  /// callables they did not name (a worker taking tasks from a queue).
  struct ClassThreads {
    bool HasThreads = false;
    llvm::StringSet<> Consumed;
  };
  const ClassThreads &threadsOf(const clang::CXXRecordDecl *RD,
                                clang::ASTContext &Ctx) const;
  bool waitsOnCondition(const clang::Stmt *S) const;
  /// Calls \p Each with every spawn in the definition \p Def (its body and,
  /// for a constructor, its member initializers), and the spawn it is;
  /// \p Infer as for classifyAt.
  void spawnsIn(
      const clang::FunctionDecl *Def, clang::ASTContext &Ctx, bool Infer,
      llvm::function_ref<void(const clang::Expr *, const Spawn &)> Each) const;
  /// The tasks the run of a task graph \p Run starts (see tasksStartedBy).
  void graphTasks(const Spawn &Run, const Bindings *SpawnerBindings,
                  llvm::SmallVectorImpl<Spawn> &Out) const;
  /// \p Infer: also functions whose bodies show them to be spawns.
  std::optional<Spawn> classifyAt(const clang::Expr *E, clang::ASTContext &Ctx,
                                  const Bindings *SpawnerBindings,
                                  bool Infer) const;

  struct ConfiguredFunction {
    std::string Name; // without leading "::"
    std::optional<unsigned> ArgIndex;
  };
  std::vector<ConfiguredFunction> Configured;
  const FactsView *Facts;
  mutable llvm::DenseMap<const clang::FunctionDecl *, std::optional<unsigned>>
      InferCache;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, ClassThreads>
      ThreadsCache;
  mutable llvm::DenseMap<const clang::FunctionDecl *, bool> JoinCache;
  mutable llvm::DenseMap<const clang::FunctionDecl *,
                         std::optional<std::string>>
      StartedCache;
  mutable llvm::DenseMap<const clang::ValueDecl *,
                         std::shared_ptr<const TaskGraph>>
      Graphs;
  /// Whether a class has a field of callable type.
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, bool> KeepsCallable;
  /// The definitions inferredTaskParameter is scanning now.
  mutable llvm::SmallPtrSet<const clang::FunctionDecl *, 4> Inferring;
  mutable std::optional<
      llvm::DenseMap<const clang::CXXMethodDecl *,
                     llvm::SmallVector<const clang::CXXMethodDecl *, 2>>>
      Overriders;
};

/// Where a task's per-run value (a by-copy capture or a by-value parameter)
/// comes from in the spawner, for per-task slots (results[i]).
struct PerRunSource {
  enum Kind {
    /// Computed at the spawn (a call, an expression over several values):
    /// taken to differ from run to run.
    Computed,
    /// The same at every spawn (a literal, a constant expression).
    Constant,
    /// A copy of the spawner's variable Var: it differs from one run to the
    /// next when Var changes between the spawns (a loop's counter).
    Variable,
  };
  Kind K = Computed;
  const clang::VarDecl *Var = nullptr;
};

/// The source of \p D, one of \p S's by-copy captures or parameters, or a
/// spawner's variable that a binding made at the spawn froze (the i of
/// &results[i] passed to the task).
/// Whether a parameter of \p FD can be called (a lambda, a function
/// pointer, std::function, a functor): what a spawn function takes.
bool hasCallableParameter(const clang::FunctionDecl *FD);

/// A std::future or std::shared_future, or a class derived from one.
bool isFutureType(clang::QualType T);

PerRunSource perRunSource(const Spawn &S, const clang::ValueDecl *D);

/// Resolves a callable expression to the function it runs, binding the
/// function's parameters to \p Args (as passed at the spawn, decay-copied: a
/// pointer argument binds a pointer parameter to its pointee, std::ref(x)
/// binds a reference parameter to x; with \p DirectCall, as for an ordinary
/// call, a reference parameter binds to its argument itself).
void resolveCallable(const clang::Expr *Callable,
                     llvm::ArrayRef<const clang::Expr *> Args,
                     const Bindings *SpawnerBindings, bool DirectCall,
                     Spawn &Out);

/// How arguments reach a callee: as in an ordinary call, or decay-copied by
/// a spawn (std::thread, std::async), where a reference parameter sees the
/// caller's object only through std::ref.
enum class Passing { Call, Copied };

/// The one routine that says what a callee's parameters and 'this' stand for
/// at a call or a spawn, in the caller's terms (\p Caller names the caller's
/// own parameters and pointer locals): a pointer parameter binds to its
/// argument's pointee; a reference parameter to the argument itself (a
/// call) or to std::ref's referent (either); 'this' to \p Object, the
/// object a member function runs on (a pointer to it, std::ref of it, or,
/// for a call, the object itself; a spawn's object passed by value is a copy
/// of its own). \p Args start at parameter 0.
Bindings bindArguments(const clang::FunctionDecl *Callee,
                       const clang::Expr *Object,
                       llvm::ArrayRef<const clang::Expr *> Args,
                       const Bindings *Caller, Passing How);

/// bindArguments for the call \p Call of \p Callee.
Bindings bindCall(const clang::CallExpr *Call,
                  const clang::FunctionDecl *Callee, const Bindings &Caller);

} // namespace concheck::model

#endif // CONCHECK_MODEL_SPAWNMODEL_H
