//===--- TaskGraph.cpp - The tasks of a task graph and their order --------===//

#include "TaskGraph.h"
#include "BodyCFG.h"
#include "Names.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace concheck::model {

namespace {

bool isTaskClass(const CXXRecordDecl *RD) {
  return isRecordInNamespace(RD, "Task", "tf");
}

bool isTaskType(QualType T) { return isTaskClass(recordOf(T)); }

bool isFlowBuilder(const CXXRecordDecl *RD) {
  return isRecordInNamespace(RD, "FlowBuilder", "tf") ||
         isRecordInNamespace(RD, "Taskflow", "tf");
}

bool named(const CXXMethodDecl *MD, llvm::StringRef Name) {
  return MD && MD->getDeclName().isIdentifier() && MD->getName() == Name;
}

/// The flow \p E names: a variable or parameter, or a member of the object
/// (this->flow_), also through std::move.
const ValueDecl *flowOf(const Expr *E) {
  E = stripWrappers(E);
  if (const Expr *Moved = movedFrom(E))
    E = stripWrappers(Moved);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E);
      ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

/// Parallel algorithms of a flow: the task they make runs its callable (the
/// last argument) many times at once.
bool isParallelAlgorithm(const CXXMethodDecl *MD) {
  return named(MD, "for_each") || named(MD, "for_each_index") ||
         named(MD, "for_each_by_index");
}

/// Task methods that change what a task does or when it may run beyond its
/// precedes: its work, the semaphores it takes, the flow it stands for.
bool changesTask(const CXXMethodDecl *MD) {
  return named(MD, "work") || named(MD, "acquire") || named(MD, "release") ||
         named(MD, "composed_of") || named(MD, "reset") ||
         named(MD, "reset_work");
}

/// Builds one flow's graph from the bodies that build it.
class GraphBuilder : public RecursiveASTVisitor<GraphBuilder> {
public:
  GraphBuilder(TaskGraph &G, const SourceManager &SM) : G(G), SM(SM) {}

  bool shouldVisitLambdaBody() const { return true; }

  bool TraverseForStmt(ForStmt *S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseForStmt(S); });
  }
  bool TraverseWhileStmt(WhileStmt *S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(DoStmt *S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseDoStmt(S); });
  }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
    return inLoop(
        S, [&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(S); });
  }

  bool VisitCallExpr(CallExpr *Call) {
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
    const auto *MD = MCE ? MCE->getMethodDecl() : nullptr;
    if (MD && isTaskClass(MD->getParent())) {
      if (named(MD, "precede") || named(MD, "succeed"))
        Orders.push_back({MCE, loops()});
      else if (changesTask(MD))
        Escapes.push_back({MCE->getImplicitObjectArgument(), loops()});
      return true;
    }
    if (MD && isFlowBuilder(MD->getParent()) &&
        flowOf(MCE->getImplicitObjectArgument()) == G.Flow) {
      flowCall(MCE, MD);
      return true;
    }
    // An assignment binds a task variable (or std::tie's); a task handed to
    // anything else (runtime.schedule(t), a container) may be run or
    // ordered there.
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
        Op && Op->getOperator() == OO_Equal) {
      assign(Op);
      return true;
    }
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
        FD->getName() == "tie")
      return true;
    if (MD && isFlowBuilder(MD->getParent()))
      return true; // another flow's
    for (const Expr *Arg : Call->arguments())
      if (isTaskType(Arg->getType()))
        Escapes.push_back({Arg, loops()});
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD == G.Flow)
      for (const Stmt *L : Loops)
        Unrepeated.insert(L); // each iteration makes a new flow
    if (isTaskType(VD->getType()) && VD->getInit() && !isDefault(VD->getInit()))
      Bound[VD].push_back({VD->getInit(), -1, VD->getLocation(), loops()});
    return true;
  }

  // `auto [a, b] = flow.emplace(f, g)`: looked at in finish(), once the
  // initializer's emplace has been seen.
  bool VisitDecompositionDecl(DecompositionDecl *DD) {
    Decompositions.push_back(DD);
    return true;
  }

  /// Adds the edges the order calls give, and closes them.
  void finish() {
    for (const DecompositionDecl *DD : Decompositions) {
      const auto *Call =
          dyn_cast_or_null<CXXMemberCallExpr>(stripWrappers(DD->getInit()));
      auto It = Call ? Made.find(Call) : Made.end();
      if (It == Made.end() || It->second.second != DD->bindings().size())
        continue;
      unsigned I = It->second.first;
      for (const BindingDecl *B : DD->bindings())
        BindingNodes[B] = I++;
    }
    // A node made in a loop stands for a task per iteration, unless each
    // iteration makes a new flow or clears it.
    for (unsigned I = 0; I < G.Nodes.size(); ++I)
      G.Nodes[I].InLoop = llvm::any_of(
          NodeLoops[I], [&](const Stmt *L) { return !Unrepeated.contains(L); });
    const unsigned N = G.Nodes.size();
    G.Reach.assign(N, llvm::BitVector(N));
    auto Edge = [&](Resolved From, Resolved To) {
      if (From.K == Resolved::Unknown || To.K == Resolved::Unknown)
        G.Opaque = true;
      else if (From.K == Resolved::Ours && To.K == Resolved::Ours)
        G.Reach[From.Node].set(To.Node);
    };
    for (const auto &[Call, Around] : Orders) {
      Resolved Self = resolve(Call->getImplicitObjectArgument(), Around, 0);
      const bool Precede = named(Call->getMethodDecl(), "precede");
      for (const Expr *Arg : Call->arguments()) {
        Resolved Other = resolve(Arg, Around, 0);
        if (Precede)
          Edge(Self, Other);
        else
          Edge(Other, Self);
      }
    }
    for (const auto &[Call, Around] : Linearized) {
      const InitListExpr *List = nullptr;
      if (Call->getNumArgs() == 1)
        if (const auto *IL = dyn_cast<CXXStdInitializerListExpr>(
                stripWrappers(Call->getArg(0))))
          List = dyn_cast<InitListExpr>(stripWrappers(IL->getSubExpr()));
      if (!List) {
        G.Opaque = true; // a vector of tasks
        continue;
      }
      for (unsigned I = 1; I < List->getNumInits(); ++I)
        Edge(resolve(List->getInit(I - 1), Around, 0),
             resolve(List->getInit(I), Around, 0));
    }
    for (const auto &[E, Around] : Escapes)
      if (resolve(E, Around, 0).K != Resolved::Foreign)
        G.Opaque = true;
    // The transitive closure (Warshall's).
    for (unsigned K = 0; K < N; ++K)
      for (unsigned I = 0; I < N; ++I)
        if (G.Reach[I].test(K))
          G.Reach[I] |= G.Reach[K];
  }

private:
  /// `a = b`, `a = flow.emplace(f)`: a is bound to what is assigned;
  /// `std::tie(a, b) = flow.emplace(f, g)`: a to the first, b the second.
  void assign(const CXXOperatorCallExpr *Op) {
    if (Op->getNumArgs() != 2)
      return;
    const Expr *LHS = stripWrappers(Op->getArg(0));
    if (const VarDecl *VD = taskVariable(LHS)) {
      Bound[VD].push_back({Op->getArg(1), -1, Op->getOperatorLoc(), loops()});
      return;
    }
    // std::tie(a, b) = flow.emplace(f, g): a is the first, b the second.
    const auto *Tie = dyn_cast<CallExpr>(LHS);
    if (!Tie) {
      if (const auto *CE = dyn_cast<CXXConstructExpr>(LHS);
          CE && CE->getNumArgs() == 1)
        Tie = dyn_cast<CallExpr>(stripWrappers(CE->getArg(0)));
    }
    const FunctionDecl *FD = Tie ? Tie->getDirectCallee() : nullptr;
    if (!FD || !FD->isInStdNamespace() || !FD->getDeclName().isIdentifier() ||
        FD->getName() != "tie")
      return;
    for (unsigned I = 0; I < Tie->getNumArgs(); ++I)
      if (const VarDecl *VD = taskVariable(stripWrappers(Tie->getArg(I))))
        Bound[VD].push_back(
            {Op->getArg(1), int(I), Op->getOperatorLoc(), loops()});
  }

  struct Resolved {
    enum Kind { Ours, Foreign, Unknown } K = Unknown;
    unsigned Node = 0;
  };
  /// A value a task variable takes: an expression, or the element TieIndex
  /// of the tuple it is (std::tie), at Loc.
  using LoopStack = llvm::SmallVector<const Stmt *, 2>;
  struct Binding {
    const Expr *Value;
    int TieIndex;
    SourceLocation Loc;
    LoopStack Loops;
  };
  LoopStack loops() const { return LoopStack(Loops.begin(), Loops.end()); }
  /// Whether a loop holds both places.
  static bool shareLoop(llvm::ArrayRef<const Stmt *> A,
                        llvm::ArrayRef<const Stmt *> B) {
    return llvm::any_of(
        A, [&](const Stmt *L) { return llvm::is_contained(B, L); });
  }

  template <class Fn> bool inLoop(const Stmt *L, Fn Traverse) {
    Loops.push_back(L);
    bool R = Traverse();
    Loops.pop_back();
    return R;
  }

  void flowCall(const CXXMemberCallExpr *Call, const CXXMethodDecl *MD) {
    auto AddNode = [&](const Expr *Callable, bool ManyRuns) {
      NodeLoops.emplace_back(Loops.begin(), Loops.end());
      G.Nodes.push_back({Call, Callable, ManyRuns, false});
    };
    if (named(MD, "emplace")) {
      Made[Call] = {unsigned(G.Nodes.size()), Call->getNumArgs()};
      for (const Expr *Arg : Call->arguments())
        AddNode(Arg, false);
    } else if (isParallelAlgorithm(MD)) {
      // The parameter named `callable`; else the last argument written (a
      // partitioner may follow it, often by default).
      const Expr *Callable = nullptr;
      for (unsigned I = 0; I < MD->getNumParams() && I < Call->getNumArgs();
           ++I)
        if (MD->getParamDecl(I)->getName() == "callable")
          Callable = Call->getArg(I);
      for (unsigned I = Call->getNumArgs(); !Callable && I > 0; --I)
        if (!isa<CXXDefaultArgExpr>(Call->getArg(I - 1)))
          Callable = Call->getArg(I - 1);
      if (!Callable)
        return;
      Made[Call] = {unsigned(G.Nodes.size()), 1};
      AddNode(Callable, true);
    } else if (named(MD, "linearize")) {
      Linearized.push_back({Call, loops()});
    } else if (named(MD, "clear")) {
      G.Clears.push_back(Call->getBeginLoc());
      for (const Stmt *L : Loops)
        Unrepeated.insert(L);
    }
  }

  static const VarDecl *taskVariable(const Expr *E) {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && isTaskType(VD->getType()) ? VD : nullptr;
  }

  static bool isDefault(const Expr *Init) {
    const auto *CE = dyn_cast<CXXConstructExpr>(stripWrappers(Init));
    return CE && CE->getNumArgs() == 0;
  }

  /// The task the call \p E (an emplace) makes as its element \p Index.
  Resolved madeBy(const Expr *E, unsigned Index) {
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(stripWrappers(E));
    const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
    if (!MD)
      return {};
    if (auto It = Made.find(Call); It != Made.end())
      return Index < It->second.second
                 ? Resolved{Resolved::Ours, It->second.first + Index}
                 : Resolved{};
    // A task of another flow (or subflow) made here. This flow's own
    // placeholder() is no node: its work comes later, from elsewhere.
    if (isFlowBuilder(MD->getParent()) &&
        flowOf(Call->getImplicitObjectArgument()) != G.Flow &&
        (named(MD, "emplace") || isParallelAlgorithm(MD) ||
         named(MD, "placeholder")))
      return {Resolved::Foreign, 0};
    return {};
  }

  /// The task \p E names: a node of this flow, a task of another flow (or
  /// of a subflow), or one that cannot be told, for a use of it inside the
  /// loops \p Around. A variable names what its last binding before the use
  /// gave it, unless a binding after the use is in a loop around both (the
  /// use may see that one, from the iteration before).
  Resolved resolve(const Expr *E, llvm::ArrayRef<const Stmt *> Around,
                   unsigned Depth) {
    E = stripWrappers(E);
    if (!E || Depth > 8)
      return {};
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() == 1 &&
          CE->getConstructor()->isCopyOrMoveConstructor())
        return resolve(CE->getArg(0), Around, Depth + 1);
      return {};
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *B = dyn_cast<BindingDecl>(DRE->getDecl())) {
        auto It = BindingNodes.find(B);
        if (It != BindingNodes.end())
          return {Resolved::Ours, It->second};
        return {};
      }
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      auto It = VD ? Bound.find(VD) : Bound.end();
      if (It == Bound.end())
        return {};
      const Binding *Last = nullptr;
      for (const Binding &B : It->second) {
        if (!SM.isBeforeInTranslationUnit(B.Loc, DRE->getLocation())) {
          if (shareLoop(B.Loops, Around))
            return {};
          continue;
        }
        if (!Last || SM.isBeforeInTranslationUnit(Last->Loc, B.Loc))
          Last = &B;
      }
      if (!Last)
        return {};
      if (Last->TieIndex >= 0)
        return madeBy(Last->Value, unsigned(Last->TieIndex));
      return resolve(Last->Value, Last->Loops, Depth + 1);
    }
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = Call->getMethodDecl();
      if (!MD)
        return {};
      if (Made.count(Call) || isFlowBuilder(MD->getParent())) {
        Resolved R = madeBy(Call, 0);
        // emplace(f, g) names no one task.
        auto It = Made.find(Call);
        return It != Made.end() && It->second.second != 1 ? Resolved{} : R;
      }
      // precede(), succeed(), name() return the task they are called on.
      if (isTaskClass(MD->getParent()) &&
          MD->getReturnType()->isReferenceType())
        return resolve(Call->getImplicitObjectArgument(), Around, Depth + 1);
    }
    return {};
  }

  TaskGraph &G;
  const SourceManager &SM;
  llvm::SmallVector<const Stmt *, 4> Loops;
  /// The loops around each node's emplace.
  std::vector<llvm::SmallVector<const Stmt *, 2>> NodeLoops;
  /// Loops whose every iteration starts from an empty flow: they declare it
  /// or clear it.
  llvm::SmallPtrSet<const Stmt *, 4> Unrepeated;
  /// Each call that made nodes: its first node and how many it made.
  llvm::DenseMap<const Expr *, std::pair<unsigned, unsigned>> Made;
  llvm::DenseMap<const BindingDecl *, unsigned> BindingNodes;
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<Binding, 1>> Bound;
  /// The calls that order tasks, each with the loops around it.
  llvm::SmallVector<std::pair<const CXXMemberCallExpr *, LoopStack>, 8> Orders;
  llvm::SmallVector<std::pair<const CXXMemberCallExpr *, LoopStack>, 2>
      Linearized;
  llvm::SmallVector<const DecompositionDecl *, 2> Decompositions;
  /// Tasks handed to something that may run or order them otherwise.
  llvm::SmallVector<std::pair<const Expr *, LoopStack>, 2> Escapes;
};

} // namespace

const ValueDecl *TaskGraph::flowRunBy(const CallExpr *Call) {
  const auto *MCE = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
  if (!MD || MCE->getNumArgs() == 0 ||
      !(named(MD, "run") || named(MD, "run_n") || named(MD, "run_until") ||
        named(MD, "corun")) ||
      !isRecordInNamespace(MD->getParent(), "Executor", "tf") ||
      !isRecordInNamespace(recordOf(MCE->getArg(0)->getType()), "Taskflow",
                           "tf"))
    return nullptr;
  return flowOf(MCE->getArg(0));
}

std::shared_ptr<const TaskGraph> TaskGraph::build(const ValueDecl *Flow) {
  auto G = std::make_shared<TaskGraph>();
  G->Flow = Flow;
  GraphBuilder Builder(*G, Flow->getASTContext().getSourceManager());
  if (const auto *VD = dyn_cast<VarDecl>(Flow)) {
    if (const auto *FD =
            dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod()))
      if (FD->getBody())
        Builder.TraverseStmt(FD->getBody());
  } else if (const auto *Owner =
                 dyn_cast<CXXRecordDecl>(Flow->getDeclContext())) {
    for (const CXXMethodDecl *M : Owner->methods())
      if (const FunctionDecl *Def = definitionOf(M))
        Builder.TraverseStmt(Def->getBody());
  }
  Builder.finish();
  // A member flow cleared somewhere: which of its tasks a run runs is beyond
  // this model.
  if (isa<FieldDecl>(Flow) && !G->Clears.empty())
    G->Opaque = true;
  return G;
}

} // namespace concheck::model
