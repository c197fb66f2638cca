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
// race, unless the location is atomic or a synchronization object, or a
// hand-off through one (a latch, a channel, an atomic flag) orders the two.
// An OpenMP parallel region is compared with itself, thread against thread,
// over what OpenMPRegions says of its constructs.
//
//===----------------------------------------------------------------------===//

#include "UnguardedWriteCheck.h"
#include "ModelOptions.h"
#include "model/BodyCFG.h"
#include "model/LockSetAnalysis.h"
#include "model/OpenMPModel.h"
#include "model/PathQuery.h"
#include "model/StartGuard.h"
#include "model/SyncModel.h"
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
    : ClangTidyCheck(Name, Context), Opts(readModelOptions(Options)) {}

void UnguardedWriteCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &OptionMap) {
  Options.store(OptionMap, "ThreadSafeTypes", Opts.Accesses.ThreadSafeTypes);
  storeTaskModelOptions(Options, OptionMap, Opts.Spawns, Opts.Groups);
  storeLockModelOptions(Options, OptionMap, Opts.Locks);
}

void UnguardedWriteCheck::onStartOfTranslationUnit() {
  Visited.clear();
  Reported.clear();
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
  analyzeParallelRegions(Spawner, *Result.Context);
}

namespace {

/// What one task contributes: its shared accesses and its lock sets.
struct TaskSide {
  const model::Task *T = nullptr;
  const model::BodyCFG *Body = nullptr;
  std::unique_ptr<model::LockSetAnalysis> LockSets;
  /// Its accesses to shared locations, its own and its callees'.
  std::vector<model::LocatedAccess> Shared;
  /// Where the spawn is in the spawner's CFG.
  std::optional<model::CFGPoint> SpawnPoint;
  /// Where the task was made with its callable (a task graph's emplace; the
  /// spawn itself for any other task), when it is in the spawner's CFG.
  std::optional<model::CFGPoint> MadePoint;
  /// Whether the spawn can run again before this run is joined, for
  /// locations that live across the spawns.
  bool SelfConcurrent = false;
};

enum class Other { SameTask, Spawner, OtherTask, Member, Region };

/// How the lock sets of two accesses relate.
struct LockRelation {
  /// A mutex held on both sides, exclusively on at least one.
  bool Ordered = false;
  /// Else a mutex both sides hold, but only shared: readers' mode, which
  /// does not exclude the other writer.
  std::optional<AccessPath> SharedOnly;
};

} // namespace

/// The task's by-copy captures, by-value parameters and tickets taken from
/// an atomic counter: different in every run. A reference parameter bound
/// to the spawner's object (std::ref) is that object, the same in every run.
static llvm::SmallVector<const ValueDecl *, 4> perRunDecls(const model::Task &T) {
  llvm::SmallVector<const ValueDecl *, 4> Out;
  if (T.S.Lambda)
    for (const LambdaCapture &C : T.S.Lambda->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByCopy)
        Out.push_back(C.getCapturedVar());
  if (T.S.Body) {
    for (const ParmVarDecl *P : T.S.Body->parameters())
      if (!T.B.referent(P))
        Out.push_back(P);
    for (const VarDecl *Ticket : model::AccessModel::atomicTickets(T.S.Body))
      Out.push_back(Ticket);
  }
  return Out;
}

/// Whether index variable \p D of one of a task's element accesses is the
/// spawner's variable as it was when the task was bound to the element
/// (&results[i] passed as its argument or init-captured): a value fixed for
/// the run, not one the task reads as it changes.
static bool isFrozenIndex(const model::Task &T, const ValueDecl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  if (!VD || !VD->hasLocalStorage() || VD->getDeclContext() == T.S.Body)
    return false;
  // A captured variable is read by the task itself (a copy is a per-run
  // value already); but `for (T &slot : v)` with [&slot] binds the element
  // of its iteration, as &v[i] would.
  if (T.S.Lambda)
    for (const LambdaCapture &C : T.S.Lambda->captures())
      if (C.capturesVariable() && C.getCapturedVar() == VD)
        return C.getCaptureKind() == LCK_ByRef && VD->isCXXForRangeDecl() &&
               VD->getType()->isReferenceType();
  return true;
}

/// Whether access \p E reads or writes the task's own copy of a reference
/// variable it captured by copy (`[slot]` with `int &slot`): the path names
/// the referent, but the lambda holds a copy of its value.
static bool isOwnCopy(const model::Task &T, const Expr *E) {
  if (!T.S.Lambda)
    return false;
  E = E->IgnoreParenImpCasts();
  while (true) {
    if (const auto *ME = dyn_cast<MemberExpr>(E); ME && !ME->isArrow())
      E = ME->getBase()->IgnoreParenImpCasts();
    else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E);
             ASE &&
             ASE->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
      E = ASE->getBase()->IgnoreParenImpCasts();
    else
      break;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->getType()->isReferenceType())
    return false;
  for (const LambdaCapture &C : T.S.Lambda->captures())
    if (C.capturesVariable() && C.getCapturedVar() == VD)
      return C.getCaptureKind() == LCK_ByCopy;
  return false;
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
        if (C.capturesVariable() && C.getCapturedVar() == VD) {
          if (C.getCaptureKind() == LCK_ByRef)
            return true;
          // A copied pointer still points to the spawner's object.
          return llvm::any_of(Loc.steps(), [](const AccessPath::Step &S) {
            return S.Kind == AccessPath::StepKind::Deref;
          });
        }
    // Reached through a bound pointer or reference parameter, or an
    // init-capture naming the spawner's object.
    return true;
  }
  return false;
}

/// The spawner's local variable that \p Loc is rooted at: each execution of
/// its declaration (a loop body's local, once per iteration) makes a new
/// object, so runs spawned on either side of it touch different ones. A
/// reference local is a root only when its referent has no name of its own
/// (`Account &a = accounts[i]`), and each execution may bind another one.
static const VarDecl *localRoot(const AccessPath &Loc) {
  const auto *VD = dyn_cast_or_null<VarDecl>(Loc.root());
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
    return nullptr;
  return VD;
}

static bool declares(const CFGElement &E, const VarDecl *VD) {
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  const auto *DS = CS ? dyn_cast<DeclStmt>(CS->getStmt()) : nullptr;
  return DS && llvm::is_contained(DS->decls(), VD);
}

static LockRelation relate(const std::optional<model::LockSet> &A,
                           const std::optional<model::LockSet> &B) {
  LockRelation R;
  if (!A || !B)
    return R;
  for (const model::HeldLock &L : A->locks())
    for (const model::HeldLock &M : B->locks()) {
      if (L.Mutex != M.Mutex)
        continue;
      if (!L.Shared || !M.Shared) {
        R.Ordered = true;
        return R;
      }
      if (!R.SharedOnly)
        R.SharedOnly = L.Mutex;
    }
  return R;
}

static std::string sourceText(const Expr *E, const ASTContext &Ctx) {
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()),
      Ctx.getSourceManager(), Ctx.getLangOpts());
  std::string Text =
      Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
  return Text.empty() ? std::string("location") : Text;
}

/// How a message names a function that runs beside a task: "the member
/// function 'C::f'" or "the function 'f'".
static std::string describe(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return (MD && !MD->isStatic() ? "the member function '" : "the function '") +
         FD->getQualifiedNameAsString() + "'";
}

/// The calls that lead from a side's body to an access in a callee.
static void noteChain(tidy::ClangTidyCheck &Check,
                      model::SummaryModel &Summaries,
                      const model::LocatedAccess &LA, Other Who,
                      const FunctionDecl *Fn) {
  for (size_t I = 0; I < LA.Chain.size(); ++I) {
    if (I == 0) {
      Check.diag(LA.Chain[I]->getBeginLoc(),
                 "called from %select{the task|the spawning function|another "
                 "task|%1|the parallel region}0 here",
                 DiagnosticIDs::Note)
          << static_cast<int>(Who) << (Fn ? describe(Fn) : std::string());
      continue;
    }
    const FunctionDecl *From = Summaries.calleeOf(LA.Chain[I - 1]);
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(From);
    const bool Lambda = MD && MD->getParent()->isLambda();
    Check.diag(LA.Chain[I]->getBeginLoc(),
               "called from %select{'%1'|a lambda}0 here", DiagnosticIDs::Note)
        << (Lambda ? 1 : 0)
        << (From && !Lambda ? From->getQualifiedNameAsString() : std::string());
  }
}

/// The locks held at \p LA (when both sides hold some, but none in common).
static void noteLocks(tidy::ClangTidyCheck &Check,
                      const model::LocatedAccess &LA) {
  std::string Names;
  for (const model::HeldLock &L : LA.Held->locks())
    Names += (Names.empty() ? "'" : ", '") + L.Mutex.spelling() + "'";
  Check.diag(LA.A.E->getBeginLoc(), "%0 %select{is|are}1 held here",
             DiagnosticIDs::Note)
      << Names << (LA.Held->locks().size() > 1 ? 1 : 0);
}

void UnguardedWriteCheck::analyzeSpawner(const FunctionDecl *Spawner,
                                         ASTContext &Ctx) {
  model::ModelContext &Model = model::ModelContext::get(Ctx, Opts);
  model::TaskModel &Tasks = Model.tasks();
  const model::LockModel &Locks = Model.locks();
  const std::vector<model::Task> &All = Tasks.tasksOf(Spawner);
  if (All.empty())
    return;
  const model::BodyCFG *SpawnerBody = model::getBodyCFG(Spawner);
  if (!SpawnerBody)
    return;
  const model::Bindings Locals = model::SpawnModel::localPointerBindings(Spawner);
  model::SummaryModel &Summaries = Model.summaries();
  model::LockSetAnalysis SpawnerLocks(*SpawnerBody, Locks, &Locals, &Summaries);
  const std::vector<model::LocatedAccess> SpawnerAccesses =
      Summaries.accessesOf(Spawner, &Locals, {}, SpawnerLocks);

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
    Side.LockSets = std::make_unique<model::LockSetAnalysis>(*Side.Body, Locks,
                                                             &T.B, &Summaries);
    for (model::LocatedAccess &LA :
         Summaries.accessesOf(T.S.Body, &T.B, perRunDecls(T), *Side.LockSets)) {
      Access &A = LA.A;
      if (!isSharedForTask(T, A.Location) ||
          (LA.Chain.empty() && isOwnCopy(T, A.E)))
        continue;
      if (A.Element && isFrozenIndex(T, A.IndexDecl))
        A.PerRunSlot = true;
      Side.Shared.push_back(std::move(LA));
    }
    Side.SpawnPoint = SpawnerBody->pointOf(T.S.Site);
    Side.MadePoint = SpawnerBody->pointOf(T.S.madeAt());
    Sides.push_back(std::move(Side));
  }

  // What ends each task's window, and what hands a value from one body to
  // another.
  model::SpawnerSync Sync(Model, Spawner, *SpawnerBody, Locals);
  auto IsJoin = [&](const TaskSide &Side, const CFGElement &E) {
    return Sync.isJoin(*Side.T, E);
  };
  auto IsJoinEdge = [&](const TaskSide &Side, const CFGBlock *B,
                        unsigned Succ) {
    return Sync.isJoinEdge(*Side.T, B, Succ);
  };
  auto HandedOff =
      [&](const model::BodyCFG &WriterBody, const model::Bindings *WriterB,
          const Stmt *First, const model::BodyCFG &ReaderBody,
          const model::Bindings *ReaderB, const model::PathStart &ReaderStart,
          const Stmt *Second) {
        return Sync.handedOff(WriterBody, WriterB, First, ReaderBody, ReaderB,
                              ReaderStart, Second);
      };

  auto HandedOffInCallees = [&](const model::LocatedAccess &W,
                                const model::LocatedAccess &R) {
    return Sync.handedOffInCallees(W, R);
  };

  // A task held back, until after the spawner's access, by a field the
  // spawner set before the start (a pool's queue marked empty).
  std::vector<model::StartGuards::TaskView> Views;
  for (const TaskSide &Side : Sides)
    Views.push_back({Side.T, Side.Body, Side.LockSets.get(), Side.Shared});
  std::optional<model::StartGuards> Guards;
  if (Sides.size() == All.size())
    Guards.emplace(*SpawnerBody, SpawnerAccesses, std::move(Views));
  auto HeldBack = [&](const TaskSide &Side, const Access &TA,
                      const Access &SA) {
    return Guards && Guards->heldBack(*Side.T, TA.Anchor, SA.Anchor);
  };

  // Self-concurrency: the spawn can run again before this run is joined.
  // A task graph's task made in a loop is one task per iteration, all
  // started by one run (unless the graph's order is beyond the analysis);
  // two runs of one graph take turns.
  for (TaskSide &Side : Sides) {
    if (!Side.SpawnPoint)
      continue;
    const model::Spawn &S = Side.T->S;
    if (S.ManyRuns)
      Side.SelfConcurrent = true;
    else if (S.Graph)
      Side.SelfConcurrent = !S.Graph->Opaque && S.Graph->Nodes[S.Node].InLoop;
    else
      Side.SelfConcurrent =
          !S.JoinedOnReturn &&
          model::reachesAvoiding(
              *SpawnerBody, model::PathStart{*Side.SpawnPoint, std::nullopt},
              S.Site, [&](const CFGElement &E) { return IsJoin(Side, E); },
              [&](const CFGBlock *B, unsigned I) {
                return IsJoinEdge(Side, B, I);
              });
  }

  // Whether access \p A of another run can overlap access \p W of this one:
  // the spawn runs again before the join, the location is not a new object
  // in each iteration, and a per-run slot's index can repeat.
  auto RunsOverlap = [&](const TaskSide &Side, const Access &W,
                         const Access &A) {
    if (!Side.SelfConcurrent)
      return false;
    const VarDecl *Slot = nullptr;
    if (W.sameSlotIndex(A)) {
      model::PerRunSource Src = model::perRunSource(Side.T->S, W.IndexDecl);
      if (Src.K == model::PerRunSource::Computed)
        return false; // taken to differ from run to run
      Slot = Src.Var; // null for a constant: the same slot every run
    }
    const VarDecl *Fresh = localRoot(W.Location);
    if ((!Slot && !Fresh) || Side.T->S.ManyRuns)
      return true;
    // From where the task is made to the next time it is: its slot's index
    // or its loop's local moves on in between.
    if (!Side.MadePoint)
      return false;
    const bool Graph = Side.T->S.Graph != nullptr;
    return model::reachesAvoiding(
        *SpawnerBody, model::PathStart{*Side.MadePoint, std::nullopt},
        Side.T->S.madeAt(),
        [&](const CFGElement &E) {
          if ((!Graph && IsJoin(Side, E)) || (Fresh && declares(E, Fresh)))
            return true;
          std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
          return Slot && CS &&
                 model::AccessModel::changesVariable(CS->getStmt(), Slot);
        },
        [&](const CFGBlock *B, unsigned I) { return IsJoinEdge(Side, B, I); });
  };

  // Whether a per-run slot of \p Side's task and another element access
  // name different elements: the other index is a constant, or (in the
  // spawner, \p OtherInSpawner) the counter of a counted loop around the
  // access, and its values lie outside those that the counted loop around the
  // spawn gives the slot's index (`[0, 3)` and `[3, 6)`).
  auto SlotMisses = [&](const TaskSide &Side, const Access &Slot,
                        const Access &Other, bool OtherInSpawner) {
    if (!Slot.PerRunSlot || Slot.IndexExpr || !Other.Element)
      return false;
    model::PerRunSource Src = model::perRunSource(Side.T->S, Slot.IndexDecl);
    if (Src.K != model::PerRunSource::Variable)
      return false;
    std::optional<std::pair<int64_t, int64_t>> Range =
        Tasks.counterRange(*Side.T, Src.Var);
    if (!Range)
      return false;
    if (Other.ConstIndex)
      return *Other.ConstIndex < Range->first ||
             *Other.ConstIndex >= Range->second;
    const auto *Counter = dyn_cast_or_null<VarDecl>(Other.IndexDecl);
    if (!OtherInSpawner || !Counter || Counter == Src.Var)
      return false;
    std::optional<std::pair<int64_t, int64_t>> OtherRange =
        Tasks.counterRangeAt(Spawner, Other.Anchor, Counter);
    return OtherRange && (OtherRange->second <= Range->first ||
                          Range->second <= OtherRange->first);
  };

  // Whether the spawner's access \p SA can run while the run of the task
  // that makes access \p TA does: it is reachable from the spawn without the
  // join, on the same object, and, for a per-run slot indexed by a copy of
  // the spawner's variable, before that variable moves on.
  auto SpawnerOverlaps = [&](const TaskSide &Side, const Access &TA,
                             const Access &SA) {
    if (Side.T->S.JoinedOnReturn ||
        SlotMisses(Side, TA, SA, /*OtherInSpawner=*/true))
      return false;
    const VarDecl *Fresh = localRoot(TA.Location);
    const VarDecl *Slot = nullptr;
    if (TA.PerRunSlot && !TA.IndexExpr && SA.Element && SA.IndexDecl) {
      model::PerRunSource Src = model::perRunSource(Side.T->S, TA.IndexDecl);
      if (Src.K == model::PerRunSource::Variable && Src.Var == SA.IndexDecl)
        Slot = Src.Var;
    }
    return model::reachesAvoiding(
        *SpawnerBody, model::PathStart{*Side.SpawnPoint, std::nullopt},
        SA.Anchor,
        [&](const CFGElement &E) {
          if (IsJoin(Side, E) || (Fresh && declares(E, Fresh)))
            return true;
          std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
          return Slot && CS &&
                 model::AccessModel::changesVariable(CS->getStmt(), Slot);
        },
        [&](const CFGBlock *B, unsigned I) { return IsJoinEdge(Side, B, I); });
  };

  // Whether two tasks' windows overlap, for a location \p Loc: one spawn is
  // reachable from the other without the other's join (and, for a loop
  // body's local, without a new object in between).
  auto TasksOverlap = [&](const TaskSide &One, const TaskSide &Two,
                          const AccessPath &Loc) {
    // Two tasks of one task graph: the same run, and no order of precedes
    // between them (two runs of one graph take turns).
    const model::Spawn &S1 = One.T->S, &S2 = Two.T->S;
    if (S1.Graph && S1.Graph == S2.Graph)
      return S1.Site == S2.Site && !S1.Graph->ordered(S1.Node, S2.Node);
    const VarDecl *Fresh = localRoot(Loc);
    auto Reaches = [&](const TaskSide &From, const TaskSide &To) {
      if (From.T->S.JoinedOnReturn)
        return false;
      return model::reachesAvoiding(
          *SpawnerBody, model::PathStart{*From.SpawnPoint, std::nullopt},
          To.T->S.Site,
          [&](const CFGElement &E) {
            return IsJoin(From, E) || (Fresh && declares(E, Fresh));
          },
          [&](const CFGBlock *B, unsigned I) {
            return IsJoinEdge(From, B, I);
          });
    };
    return Reaches(One, Two) || Reaches(Two, One);
  };

  auto NoteChain = [&](const model::LocatedAccess &LA, Other Who,
                       const FunctionDecl *Fn = nullptr) {
    noteChain(*this, Summaries, LA, Who, Fn);
  };
  // Whether the spawner's access \p SA comes before the spawn in each run of
  // a loop around both: the task it races with is the one the previous
  // iteration started.
  auto PreviousIteration = [&](const TaskSide &Side, const Access &SA) {
    const std::optional<model::CFGPoint> At = SpawnerBody->pointOf(SA.Anchor);
    if (!At || !Side.SpawnPoint)
      return false;
    const CFGBlock *Spawn = Side.SpawnPoint->Block;
    if (At->Block == Spawn)
      return At->Index < Side.SpawnPoint->Index && SpawnerBody->inCycle(Spawn);
    return SpawnerBody->reaches(Spawn, At->Block) &&
           SpawnerBody->dominates(At->Block, Spawn);
  };
  auto NoteStart = [&](const TaskSide &Side, const Access *SA) {
    if (SA && PreviousIteration(Side, *SA))
      diag(Side.T->S.Site->getBeginLoc(),
           "task started here in the previous iteration, which may still be "
           "running",
           DiagnosticIDs::Note);
    else
      diag(Side.T->S.Site->getBeginLoc(), "task started here",
           DiagnosticIDs::Note);
  };

  // Why a task's access through a pointer it copied is shared: the lambda's
  // copy is its own, the object it points to is not.
  auto NoteCopiedPointer = [&](const TaskSide &Side, const Access &TA) {
    const Expr *E = TA.E->IgnoreParenImpCasts();
    const Expr *Base = nullptr;
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref)
      Base = UO->getSubExpr();
    else if (const auto *ME = dyn_cast<MemberExpr>(E); ME && ME->isArrow())
      Base = ME->getBase();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      Base = AS->getBase();
    const auto *Ref =
        Base ? dyn_cast<DeclRefExpr>(Base->IgnoreParenImpCasts()) : nullptr;
    const auto *Lambda =
        Side.T->S.Body ? dyn_cast<CXXRecordDecl>(Side.T->S.Body->getParent())
                       : nullptr;
    if (!Ref || !Ref->getType()->isPointerType() || !Lambda ||
        !Lambda->isLambda())
      return;
    for (const LambdaCapture &C : Lambda->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByCopy &&
          C.getCapturedVar() == Ref->getDecl())
        diag(TA.E->getBeginLoc(),
             "the task copied the pointer '%0', not what it points to: "
             "that is shared",
             DiagnosticIDs::Note)
            << Ref->getDecl()->getName();
  };

  // The locks each side holds, when both hold some but none in common.
  bool BothLocked = false;
  auto NoteLocks = [&](const model::LocatedAccess &LA) {
    if (BothLocked)
      noteLocks(*this, LA);
  };

  static const char *const Others[] = {"another run of the same task",
                                       "the spawning function", "another task"};
  auto Report = [&](const TaskSide &Side, const model::LocatedAccess &LW,
                    const model::LocatedAccess &LA, const LockRelation &Locked,
                    Other Kind, const TaskSide *OtherSide = nullptr,
                    const FunctionDecl *OtherFn = nullptr) {
    const Access &W = LW.A;
    const std::optional<model::LockSet> &WLocks = LW.Held;
    const std::optional<model::LockSet> &ALocks = LA.Held;
    // One report per location and spawn (per pair of spawns for two tasks),
    // at the unguarded side.
    SourceLocation KeySite = Side.T->S.madeAt()->getBeginLoc();
    if (OtherSide && OtherSide->T->S.madeAt()->getBeginLoc().getRawEncoding() <
                         KeySite.getRawEncoding())
      KeySite = OtherSide->T->S.madeAt()->getBeginLoc();
    if (!firstReport(KeySite, W.Location))
      return;
    const bool WriteGuarded = WLocks && !WLocks->empty();
    const bool OtherGuarded = ALocks && !ALocks->empty();
    const bool AtW = !(WriteGuarded && !OtherGuarded);
    const model::LocatedAccess &LAt = AtW ? LW : LA;
    const model::LocatedAccess &LElse = AtW ? LA : LW;
    const Access &At = LAt.A, &Else = LElse.A;
    diag(At.E->getBeginLoc(),
         "data race on '%0': %select{written|read}1 %select{in a task|here}2 "
         "while %3 %select{writes|accesses}4 it, %select{with no common "
         "lock|with '%6' held only in shared mode}5")
        << sourceText(At.E, Ctx) << (At.Write ? 0 : 1) << (AtW ? 0 : 1)
        << (!AtW      ? std::string("a task")
            : OtherFn ? describe(OtherFn)
                      : std::string(Others[static_cast<int>(Kind)]))
        << (Else.Write ? 0 : 1) << (Locked.SharedOnly ? 1 : 0)
        << (Locked.SharedOnly ? Locked.SharedOnly->spelling() : std::string());
    // Who makes each access: the task, or the other side.
    const Other AtWho = AtW ? Other::SameTask : Kind;
    const Other ElseWho = AtW ? Kind : Other::SameTask;
    BothLocked = WriteGuarded && OtherGuarded && !Locked.SharedOnly;
    NoteChain(LAt, AtWho, AtWho == Other::Member ? OtherFn : nullptr);
    NoteLocks(LAt);
    if (Else.E != At.E || LElse.Chain != LAt.Chain) {
      diag(Else.E->getBeginLoc(), "concurrent %select{write|read}0 here",
           DiagnosticIDs::Note)
          << (Else.Write ? 0 : 1);
      NoteChain(LElse, ElseWho, ElseWho == Other::Member ? OtherFn : nullptr);
      NoteLocks(LElse);
    }
    NoteCopiedPointer(Side, AtW ? At : Else);
    NoteStart(Side, Kind == Other::Spawner ? (AtW ? &Else : &At) : nullptr);
  };

  for (size_t I = 0; I < Sides.size(); ++I) {
    TaskSide &Side = Sides[I];
    if (!Side.SpawnPoint)
      continue;
    const model::Bindings *TaskB = &Side.T->B;
    const model::PathStart TaskEntry = model::entryOf(*Side.Body);
    const model::PathStart AfterSpawn{*Side.SpawnPoint, std::nullopt};
    for (const model::LocatedAccess &LW : Side.Shared) {
      const Access &W = LW.A;
      if (!W.Write)
        continue;
      // Another run of the same task.
      for (const model::LocatedAccess &LA : Side.Shared) {
        const Access &A = LA.A;
        if (!W.mayConflict(A) || !RunsOverlap(Side, W, A))
          continue;
        if (HandedOff(*Side.Body, TaskB, W.Anchor, *Side.Body, TaskB, TaskEntry,
                      A.Anchor) ||
            HandedOff(*Side.Body, TaskB, A.Anchor, *Side.Body, TaskB, TaskEntry,
                      W.Anchor) ||
            HandedOffInCallees(LW, LA) || HandedOffInCallees(LA, LW))
          continue; // handed from one run to the next
        LockRelation Locked = relate(LW.Held, LA.Held);
        if (!Locked.Ordered)
          Report(Side, LW, LA, Locked, Other::SameTask);
      }
      // The spawner, between the spawn and the join.
      for (const model::LocatedAccess &LA : SpawnerAccesses) {
        const Access &A = LA.A;
        if (!W.mayConflict(A) || !SpawnerOverlaps(Side, W, A))
          continue;
        // The task publishes after its write, the spawner observes before
        // its access.
        if (HandedOff(*Side.Body, TaskB, W.Anchor, *SpawnerBody, &Locals,
                      AfterSpawn, A.Anchor) ||
            HandedOffInCallees(LW, LA) || HeldBack(Side, W, A))
          continue;
        LockRelation Locked = relate(LW.Held, LA.Held);
        if (!Locked.Ordered)
          Report(Side, LW, LA, Locked, Other::Spawner);
      }
      // The spawner's other tasks whose windows overlap this one's.
      for (size_t J = 0; J < Sides.size(); ++J) {
        TaskSide &OtherSide = Sides[J];
        if (J == I || !OtherSide.SpawnPoint)
          continue;
        const model::Bindings *OtherB = &OtherSide.T->B;
        std::optional<bool> Overlap;
        for (const model::LocatedAccess &LA : OtherSide.Shared) {
          const Access &A = LA.A;
          // Per-task slots of two spawns are taken to be distinct too.
          if (!W.mayConflict(A) || (W.PerRunSlot && A.PerRunSlot) ||
              SlotMisses(Side, W, A, false) ||
              SlotMisses(OtherSide, A, W, false))
            continue;
          if (!Overlap)
            Overlap = TasksOverlap(Side, OtherSide, W.Location);
          if (!*Overlap)
            break;
          if (HandedOff(*Side.Body, TaskB, W.Anchor, *OtherSide.Body, OtherB,
                        model::entryOf(*OtherSide.Body), A.Anchor) ||
              HandedOff(*OtherSide.Body, OtherB, A.Anchor, *Side.Body, TaskB,
                        TaskEntry, W.Anchor) ||
              HandedOffInCallees(LW, LA) || HandedOffInCallees(LA, LW))
            continue; // handed from one task to the other
          LockRelation Locked = relate(LW.Held, LA.Held);
          if (!Locked.Ordered)
            Report(Side, LW, LA, Locked, Other::OtherTask, &OtherSide);
        }
      }
    }
    // A write in the spawner while the task reads.
    for (const model::LocatedAccess &LA : SpawnerAccesses) {
      const Access &A = LA.A;
      if (!A.Write)
        continue;
      for (const model::LocatedAccess &LR : Side.Shared) {
        const Access &R = LR.A;
        if (R.Write || !R.mayConflict(A) || !SpawnerOverlaps(Side, R, A))
          continue;
        // The spawner publishes after its write, the task observes first.
        if (HandedOff(*SpawnerBody, &Locals, A.Anchor, *Side.Body, TaskB,
                      TaskEntry, R.Anchor) ||
            HandedOffInCallees(LA, LR) || HeldBack(Side, R, A))
          continue;
        LockRelation Locked = relate(LA.Held, LR.Held);
        if (Locked.Ordered)
          continue;
        if (!firstReport(Side.T->S.madeAt()->getBeginLoc(), A.Location))
          continue;
        diag(A.E->getBeginLoc(),
             "data race on '%0': written here while a task reads it, "
             "%select{with no common lock|with '%2' held only in shared "
             "mode}1")
            << sourceText(A.E, Ctx) << (Locked.SharedOnly ? 1 : 0)
            << (Locked.SharedOnly ? Locked.SharedOnly->spelling()
                                  : std::string());
        BothLocked =
            LA.Held && !LA.Held->empty() && LR.Held && !LR.Held->empty();
        NoteChain(LA, Other::Spawner);
        NoteLocks(LA);
        diag(R.E->getBeginLoc(), "concurrent read here", DiagnosticIDs::Note);
        NoteChain(LR, Other::SameTask);
        NoteCopiedPointer(Side, R);
        NoteLocks(LR);
        NoteStart(Side, &A);
      }
    }
  }

  // A location declared guarded_by a lock is used by other threads under
  // it (whether or not their code is in sight): a task that touches it
  // without that lock races with them.
  for (TaskSide &Side : Sides) {
    if (!Side.SpawnPoint)
      continue;
    for (const model::LocatedAccess &LA : Side.Shared) {
      const Access &A = LA.A;
      std::optional<model::LockModel::DeclaredGuard> G =
          model::LockModel::declaredGuard(A.Location);
      if (!G || !LA.Held || LA.Held->holds(G->Mutex, /*Exclusive=*/A.Write))
        continue;
      if (!firstReport(Side.T->S.madeAt()->getBeginLoc(), A.Location))
        continue;
      const bool SharedOnly = LA.Held->holds(G->Mutex);
      diag(
          A.E->getBeginLoc(),
          "data race on '%0': %select{written|read}1 in a task %select{without "
          "holding '%3'|with '%3' held only in shared mode}2, which guards it")
          << sourceText(A.E, Ctx) << (A.Write ? 0 : 1) << (SharedOnly ? 1 : 0)
          << G->Mutex.spelling();
      NoteChain(LA, Other::SameTask);
      diag(G->Declared->getLocation(), "'%0' is declared guarded by '%1' here",
           DiagnosticIDs::Note)
          << sourceText(A.E, Ctx) << G->Mutex.spelling();
      diag(Side.T->S.Site->getBeginLoc(), "task started here",
           DiagnosticIDs::Note);
    }
  }

  // A task left running after the function that started it returns: its
  // accesses race with those of the functions that may run meanwhile, up to
  // their join: the member functions the object's users may call (a thread
  // the object keeps), or the functions of the file that run after the
  // start (a thread kept in a global).
  const auto *SpawnerMD = dyn_cast<CXXMethodDecl>(Spawner);
  model::OwnerSync Owner(Model);
  for (TaskSide &Side : Sides) {
    if (!Side.SpawnPoint)
      continue;
    const model::SpawnerSync::LeftRunning Where = Sync.leftRunning(*Side.T);
    using LR = model::SpawnerSync::LeftRunning;
    if (Where == LR::No)
      continue;
    // What the task runs is not also called by others while it runs: a
    // public step() the thread calls in its loop.
    llvm::SmallPtrSet<const Decl *, 8> TaskRuns;
    TaskRuns.insert(Side.T->S.Body->getCanonicalDecl());
    for (const model::LocatedAccess &LA : Side.Shared)
      for (const CallExpr *C : LA.Chain)
        if (const FunctionDecl *FD = Summaries.calleeOf(C))
          TaskRuns.insert(FD->getCanonicalDecl());
    // Which of the task's accesses others can name: the object's members,
    // or globals.
    auto Named = [&](const AccessPath &Loc) {
      if (Loc.isThisRooted())
        return Where == LR::OnObject;
      const auto *VD = dyn_cast_or_null<VarDecl>(Loc.root());
      return VD && VD->hasGlobalStorage();
    };
    if (llvm::none_of(Side.Shared, [&](const model::LocatedAccess &LA) {
          return Named(LA.A.Location);
        }))
      continue;
    std::vector<model::OwnerSync::Window> Windows;
    if (Where == LR::OnObject) {
      Windows = Owner.memberWindows(SpawnerMD, TaskRuns);
    } else {
      Windows = Owner.globalWindows(Spawner, TaskRuns);
    }
    const model::Bindings *TaskB = &Side.T->B;
    const model::PathStart TaskEntry = model::entryOf(*Side.Body);
    for (const model::OwnerSync::Window &Win : Windows) {
      const FunctionDecl *F = Win.F;
      const model::BodyCFG *FBody = model::getBodyCFG(F);
      if (!FBody)
        continue;
      const model::Bindings FLocals =
          model::SpawnModel::localPointerBindings(F);
      model::LockSetAnalysis FLocks(*FBody, Locks, &FLocals, &Summaries);
      std::optional<std::vector<model::LocatedAccess>> FAccesses;
      // An access is in the window when no join precedes it on some path,
      // in F and in each function on the way down to it.
      auto Reaches = [&](const FunctionDecl *In, const model::BodyCFG &Body,
                         const model::PathStart &From, const Stmt *To) {
        return model::reachesAvoiding(
            Body, From, To,
            [&](const CFGElement &E) { return Owner.isJoin(In, E); },
            [&](const CFGBlock *B, unsigned I) {
              return Owner.isJoinEdge(In, B, I);
            });
      };
      auto Concurrent = [&](const model::LocatedAccess &LF) {
        if (!Reaches(F, *FBody, Win.From, LF.A.Anchor))
          return false;
        for (size_t I = 0; I < LF.Chain.size(); ++I) {
          const FunctionDecl *In = Summaries.calleeOf(LF.Chain[I]);
          const Stmt *To =
              I + 1 < LF.Chain.size() ? LF.Chain[I + 1] : LF.InnerAnchor;
          const model::BodyCFG *Body = model::getBodyCFG(In);
          if (In && Body && To &&
              !Reaches(In, *Body, model::entryOf(*Body), To))
            return false;
        }
        return true;
      };
      for (const model::LocatedAccess &LT : Side.Shared) {
        const Access &TA = LT.A;
        if (!Named(TA.Location))
          continue;
        if (!FAccesses)
          FAccesses = Summaries.accessesOf(F, &FLocals, {}, FLocks);
        for (const model::LocatedAccess &LF : *FAccesses) {
          const Access &FA = LF.A;
          if ((!TA.Write && !FA.Write) || !TA.mayConflict(FA) ||
              !Concurrent(LF))
            continue;
          const model::LocatedAccess &LW = TA.Write ? LT : LF;
          const model::LocatedAccess &LR = TA.Write ? LF : LT;
          if (TA.Write ? HandedOff(*Side.Body, TaskB, TA.Anchor, *FBody,
                                   &FLocals, Win.From, FA.Anchor)
                       : HandedOff(*FBody, &FLocals, FA.Anchor, *Side.Body,
                                   TaskB, TaskEntry, TA.Anchor))
            continue;
          if (HandedOffInCallees(LW, LR))
            continue;
          LockRelation Locked = relate(LT.Held, LF.Held);
          if (Locked.Ordered)
            continue;
          if (TA.Write) {
            Report(Side, LT, LF, Locked, Other::Member, nullptr, F);
            continue;
          }
          // The other function writes what the task reads.
          if (!firstReport(Side.T->S.madeAt()->getBeginLoc(), FA.Location))
            continue;
          diag(FA.E->getBeginLoc(),
               "data race on '%0': written in %1 while a task reads it, "
               "%select{with no common lock|with '%3' held only in shared "
               "mode}2")
              << sourceText(FA.E, Ctx) << describe(F)
              << (Locked.SharedOnly ? 1 : 0)
              << (Locked.SharedOnly ? Locked.SharedOnly->spelling()
                                    : std::string());
          BothLocked =
              LF.Held && !LF.Held->empty() && LT.Held && !LT.Held->empty();
          NoteChain(LF, Other::Member, F);
          NoteLocks(LF);
          diag(TA.E->getBeginLoc(), "concurrent read here",
               DiagnosticIDs::Note);
          NoteChain(LT, Other::SameTask);
          NoteLocks(LT);
          diag(Side.T->S.Site->getBeginLoc(), "task started here",
               DiagnosticIDs::Note);
        }
      }
    }
  }
}

/// Whether the threads of an OpenMP region share the location \p LA
/// accesses: not a variable of each thread's own (a local of the region, a
/// private-like clause's copy unless reached through it as a pointer).
static bool isSharedInRegion(const model::OpenMPRegions &Regions,
                             const model::LocatedAccess &LA) {
  const AccessPath &Loc = LA.A.Location;
  const auto *VD = dyn_cast_or_null<VarDecl>(Loc.root());
  if (!VD)
    return Loc.isThisRooted();
  if (VD->getTLSKind() != VarDecl::TLS_None)
    return false;
  switch (Regions.sharingOf(VD, LA.A.Anchor)) {
  case model::OpenMPRegions::Sharing::Shared:
    return true;
  case model::OpenMPRegions::Sharing::Own:
    return false;
  case model::OpenMPRegions::Sharing::ClausePrivate:
    return llvm::any_of(Loc.steps(), [](const AccessPath::Step &S) {
      return S.Kind == AccessPath::StepKind::Deref;
    });
  }
  return true;
}

void UnguardedWriteCheck::analyzeParallelRegions(const FunctionDecl *Fn,
                                                 ASTContext &Ctx) {
  // Without -fopenmp there are no regions; and no CFG is built for nothing.
  if (!Ctx.getLangOpts().OpenMP)
    return;
  const model::BodyCFG *Body = model::getBodyCFG(Fn);
  if (!Body)
    return;
  const std::unique_ptr<model::OpenMPRegions> Regions =
      model::OpenMPRegions::of(*Body, Ctx);
  if (!Regions)
    return;
  model::ModelContext &Model = model::ModelContext::get(Ctx, Opts);
  model::SummaryModel &Summaries = Model.summaries();
  const model::Bindings Locals = model::SpawnModel::localPointerBindings(Fn);
  model::LockSetAnalysis Locks(*Body, Model.locks(), &Locals, &Summaries);
  std::vector<model::LocatedAccess> Shared;
  std::vector<const OMPExecutableDirective *> RegionOf;
  for (model::LocatedAccess &LA :
       Summaries.accessesOf(Fn, &Locals, Regions->perThreadIndices(), Locks)) {
    const OMPExecutableDirective *R = Regions->regionOf(LA.A.Anchor);
    if (!R || !isSharedInRegion(*Regions, LA))
      continue;
    Shared.push_back(std::move(LA));
    RegionOf.push_back(R);
  }
  for (size_t I = 0; I < Shared.size(); ++I) {
    const model::LocatedAccess &LW = Shared[I];
    if (!LW.A.Write)
      continue;
    for (size_t J = 0; J < Shared.size(); ++J) {
      const model::LocatedAccess &LA = Shared[J];
      if (RegionOf[I] != RegionOf[J] || !LW.A.mayConflict(LA.A) ||
          !Regions->mayRunTogether(LW.A.Anchor, LA.A.Anchor) ||
          Regions->excluded(LW.A.Anchor, LA.A.Anchor))
        continue;
      // Each thread's (or iteration's) own element.
      if (LW.A.sameSlotIndex(LA.A) || (LW.Chain.empty() && LA.Chain.empty() &&
                                       Regions->sameOwnElement(LW.A.E, LA.A.E)))
        continue;
      const LockRelation Locked = relate(LW.Held, LA.Held);
      if (Locked.Ordered)
        continue;
      if (!firstReport(RegionOf[I]->getBeginLoc(), LW.A.Location))
        continue;
      // At the side that holds no lock, when one does.
      const bool WriteGuarded = LW.Held && !LW.Held->empty();
      const bool OtherGuarded = LA.Held && !LA.Held->empty();
      const bool AtW = !(WriteGuarded && !OtherGuarded);
      const model::LocatedAccess &LAt = AtW ? LW : LA;
      const model::LocatedAccess &LElse = AtW ? LA : LW;
      diag(LAt.A.E->getBeginLoc(),
           "data race on '%0': %select{written|read}1 here while another "
           "thread of the parallel region %select{writes|accesses}2 it, "
           "%select{with no common lock|with '%4' held only in shared mode}3")
          << sourceText(LAt.A.E, Ctx) << (LAt.A.Write ? 0 : 1)
          << (LElse.A.Write ? 0 : 1) << (Locked.SharedOnly ? 1 : 0)
          << (Locked.SharedOnly ? Locked.SharedOnly->spelling()
                                : std::string());
      const bool BothLocked =
          WriteGuarded && OtherGuarded && !Locked.SharedOnly;
      noteChain(*this, Summaries, LAt, Other::Region, nullptr);
      if (BothLocked)
        noteLocks(*this, LAt);
      if (LElse.A.E != LAt.A.E || LElse.Chain != LAt.Chain) {
        diag(LElse.A.E->getBeginLoc(), "concurrent %select{write|read}0 here",
             DiagnosticIDs::Note)
            << (LElse.A.Write ? 0 : 1);
        noteChain(*this, Summaries, LElse, Other::Region, nullptr);
        if (BothLocked)
          noteLocks(*this, LElse);
      }
      diag(RegionOf[I]->getBeginLoc(), "parallel region starts here",
           DiagnosticIDs::Note);
    }
  }
}

} // namespace concheck
