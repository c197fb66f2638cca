//===--- AccessModel.cpp - Reads and writes of shared locations -----------===//

#include "AccessModel.h"
#include "BodyCFG.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace concheck::model {

llvm::StringRef AccessModel::defaultThreadSafeTypes() {
  return "::std::atomic;::std::atomic_ref;::std::atomic_flag;"
         "::std::mutex;::std::timed_mutex;::std::recursive_mutex;"
         "::std::recursive_timed_mutex;::std::shared_mutex;"
         "::std::shared_timed_mutex;::std::condition_variable;"
         "::std::condition_variable_any;::std::latch;::std::barrier;"
         "::std::counting_semaphore;::std::binary_semaphore;::std::future;"
         "::std::shared_future;::std::promise;::std::packaged_task;"
         "::std::thread;::std::jthread;::std::stop_source;::std::stop_token;"
         "::std::once_flag;::absl::Mutex;::absl::BlockingCounter;"
         "::absl::Notification;::concheck::wait_group;::concheck::mutex;"
         "::concheck::shared_mutex;::concheck::guarded;::concheck::semaphore;"
         "::concheck::channel;::concheck::worker_pool;::concheck::context;"
         "::concheck::cancel_func;::concheck::done_guard;"
         "::concheck::object_pool;::tbb::task_group";
}

bool AccessModel::changesVariable(const Stmt *S, const ValueDecl *VD) {
  auto Names = [VD](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == VD;
  };
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    return llvm::is_contained(DS->decls(), VD);
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    return BO->isAssignmentOp() && Names(BO->getLHS());
  if (const auto *UO = dyn_cast<UnaryOperator>(S))
    return UO->isIncrementDecrementOp() && Names(UO->getSubExpr());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    return (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
            Op->getOperator() == OO_MinusMinus) &&
           Op->getNumArgs() >= 1 && Names(Op->getArg(0));
  return false;
}

/// Whether \p E is std::atomic<T> or std::atomic_ref<T> (libstdc++ defines
/// their operations in base classes, so the object's type is what counts).
static bool isStdAtomicObject(const Expr *E) {
  const CXXRecordDecl *RD = E ? E->getType()->getAsCXXRecordDecl() : nullptr;
  if (!RD || !RD->getDeclContext()->isStdNamespace())
    return false;
  StringRef Name = RD->getName();
  return Name == "atomic" || Name == "atomic_ref";
}

/// Whether \p E takes a ticket from an atomic counter: a read-modify-write
/// that returns each value once.
static bool takesTicket(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
    E = EWC->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = Call->getMethodDecl();
    return M && M->getIdentifier() &&
           (M->getName() == "fetch_add" || M->getName() == "fetch_sub") &&
           isStdAtomicObject(Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    return (Op->getOperator() == OO_PlusPlus ||
            Op->getOperator() == OO_MinusMinus) &&
           Op->getNumArgs() >= 1 &&
           isStdAtomicObject(Op->getArg(0)->IgnoreParenImpCasts());
  return false;
}

namespace {
/// Finds the changes to scalar local variables in a body other than taking
/// a new ticket: assignments, increments, the address taken, a binding to a
/// non-const reference (a parameter, a variable, a lambda's capture). Only
/// these can change a scalar. A plain walk with no parent map: the AST's
/// parent map costs as much as a second parse on a TU with the standard
/// headers (ExprMutationAnalyzer builds it).
class ScalarChanges : public RecursiveASTVisitor<ScalarChanges> {
public:
  explicit ScalarChanges(llvm::ArrayRef<const VarDecl *> Watched)
      : Watched(Watched.begin(), Watched.end()) {}

  llvm::SmallPtrSet<const VarDecl *, 2> Changed;

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp() &&
        !(BO->getOpcode() == BO_Assign && takesTicket(BO->getRHS())))
      note(BO->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
      note(UO->getSubExpr());
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    CallOperands Ops = operandsOf(Call, Callee);
    for (unsigned I = 0; I < Ops.Args.size(); ++I)
      noteArgument(Ops.Args[I], Callee, I);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    for (unsigned I = 0; I < Construct->getNumArgs(); ++I)
      noteArgument(Construct->getArg(I), Construct->getConstructor(), I);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit() && isNonConstReference(VD->getType()))
      note(VD->getInit());
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
        if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar());
            VD && Watched.count(VD))
          Changed.insert(VD);
    return true;
  }

private:
  static bool isNonConstReference(QualType T) {
    return T->isReferenceType() && !T->getPointeeType().isConstQualified();
  }
  /// An argument bound to a non-const reference parameter, or passed as an
  /// lvalue to a callee we cannot see (a function pointer), may be changed.
  void noteArgument(const Expr *Arg, const FunctionDecl *Callee, unsigned I) {
    if (Callee && I < Callee->getNumParams()) {
      if (isNonConstReference(Callee->getParamDecl(I)->getType()))
        note(Arg);
      return;
    }
    if (!Callee && Arg->isGLValue())
      note(Arg); // a variadic tail (Callee known) copies its arguments
  }
  void note(const Expr *E) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl());
          VD && Watched.count(VD))
        Changed.insert(VD);
  }
  llvm::SmallPtrSet<const VarDecl *, 2> Watched;
};
} // namespace

llvm::SmallVector<const VarDecl *, 2>
AccessModel::atomicTickets(const FunctionDecl *Body) {
  llvm::SmallVector<const VarDecl *, 2> Out;
  if (!Body || !Body->hasBody())
    return Out;
  // Scalar locals initialized with a ticket...
  struct Finder : RecursiveASTVisitor<Finder> {
    llvm::SmallVector<const VarDecl *, 2> Found;
    bool VisitVarDecl(VarDecl *VD) {
      if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
          VD->getType()->isScalarType() && VD->getInit() &&
          takesTicket(VD->getInit()))
        Found.push_back(VD);
      return true;
    }
    // A nested lambda's variables are its own.
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  } F;
  F.TraverseStmt(Body->getBody());
  if (F.Found.empty())
    return Out;
  // ...and changed afterwards only by taking a new one ('i = next++' in a
  // loop's increment).
  ScalarChanges Changes(F.Found);
  Changes.TraverseStmt(Body->getBody());
  for (const VarDecl *VD : F.Found)
    if (!Changes.Changed.count(VD))
      Out.push_back(VD);
  return Out;
}

bool AccessModel::namesOneObject(const FunctionDecl *Body,
                                 const AccessPath &P) {
  for (const AccessPath::Step &S : P.steps())
    if (S.Kind == AccessPath::StepKind::IndexVar ||
        S.Kind == AccessPath::StepKind::AnyIndex)
      return false;
  const auto *VD = dyn_cast_or_null<VarDecl>(P.root());
  if (!VD || !VD->hasLocalStorage())
    return true;
  QualType T = VD->getType();
  if (T->isReferenceType() || !T->isScalarType())
    return true; // a reference, or the object itself
  return keepsInitialValue(Body, VD);
}

bool AccessModel::keepsInitialValue(const FunctionDecl *Body,
                                    const VarDecl *VD) {
  if (!Body || !Body->hasBody() || !VD->getType()->isScalarType())
    return false;
  ScalarChanges Changes(VD);
  Changes.TraverseStmt(Body->getBody());
  return Changes.Changed.empty();
}

AccessModel::AccessModel(const AccessModelOptions &Opts)
    : ThreadSafe(joinLists(defaultThreadSafeTypes(), Opts.ThreadSafeTypes)) {}

bool AccessModel::isThreadSafeType(QualType T) const {
  // C11's _Atomic (atomic_int, _Atomic long), and arrays of them.
  if (!T.isNull() && T->getBaseElementTypeUnsafe()->isAtomicType())
    return true;
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return false;
  return ThreadSafe.containsRecordOrBase(RD);
}

/// The standard library's containers and strings: not thread-safe, and their
/// non-const members change them.
static bool isStdContainer(const CXXRecordDecl *RD) {
  if (!RD || !RD->isInStdNamespace() || !RD->getDeclName().isIdentifier())
    return false;
  return llvm::StringSwitch<bool>(RD->getName())
      .Cases("vector", "deque", "list", "forward_list", "array", true)
      .Cases("map", "multimap", "set", "multiset", true)
      .Cases("unordered_map", "unordered_multimap", "unordered_set",
             "unordered_multiset", true)
      .Cases("basic_string", "optional", "queue", "stack", "priority_queue",
             true)
      .Default(false);
}

/// Containers whose operator[] names an existing element (no insertion).
static bool isArrayLike(const CXXRecordDecl *RD) {
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  return llvm::StringSwitch<bool>(RD->getName())
      .Cases("vector", "deque", "array", "basic_string", "span", true)
      .Default(false);
}

namespace {

/// The variables of a body whose values come from its per-run ones (\p
/// PerRun): locals and structured bindings initialised from them, or from
/// such locals, with no operator that maps two values to one (`int r = r0`,
/// `auto [lo, hi] = tile.dim(0)`). The Collector notes each local as its
/// walk declares it, before any use.
class PerRunDerived {
public:
  explicit PerRunDerived(llvm::ArrayRef<const ValueDecl *> PerRun)
      : Set(PerRun.begin(), PerRun.end()) {}
  void note(const VarDecl *VD) {
    if (!VD->getInit() || !fromPerRun(VD->getInit()))
      return;
    Set.insert(VD);
    if (const auto *DD = dyn_cast<DecompositionDecl>(VD))
      for (const BindingDecl *B : DD->bindings())
        Set.insert(B);
  }
  /// The first per-run variable \p E names (one of PerRun, or made from
  /// them), when it maps no two values to one; else null.
  const ValueDecl *fromPerRun(const Expr *E) const {
    const ValueDecl *First = nullptr;
    bool Folds = false;
    struct Walk : RecursiveASTVisitor<Walk> {
      const llvm::SmallPtrSetImpl<const ValueDecl *> &Set;
      const ValueDecl *&First;
      bool &Folds;
      Walk(const llvm::SmallPtrSetImpl<const ValueDecl *> &Set,
           const ValueDecl *&First, bool &F)
          : Set(Set), First(First), Folds(F) {}
      bool VisitDeclRefExpr(DeclRefExpr *DRE) {
        if (!First && Set.contains(DRE->getDecl()))
          First = DRE->getDecl();
        return true;
      }
      bool VisitBinaryOperator(BinaryOperator *BO) {
        switch (BO->getOpcode()) {
        case BO_Rem:
        case BO_Div:
        case BO_And:
        case BO_Or:
        case BO_Xor:
        case BO_Shr:
        case BO_Shl:
        case BO_LT:
        case BO_GT:
        case BO_LE:
        case BO_GE:
        case BO_EQ:
        case BO_NE:
        case BO_LAnd:
        case BO_LOr:
        case BO_RemAssign:
        case BO_DivAssign:
        case BO_AndAssign:
        case BO_OrAssign:
        case BO_XorAssign:
        case BO_ShrAssign:
        case BO_ShlAssign:
          Folds = true;
          break;
        default:
          break;
        }
        return true;
      }
      bool VisitConditionalOperator(ConditionalOperator *) {
        Folds = true;
        return true;
      }
    } W(Set, First, Folds);
    W.TraverseStmt(const_cast<Expr *>(E));
    return Folds ? nullptr : First;
  }
  /// The per-run values, and the variables made from them.
  llvm::SmallPtrSet<const ValueDecl *, 8> Set;
};

class Collector : public RecursiveASTVisitor<Collector> {
public:
  Collector(const AccessModel &Model, const Bindings *B,
            llvm::ArrayRef<const ValueDecl *> PerRun, std::vector<Access> &Out,
            PerRunDerived *Derived)
      : Model(Model), B(B), PerRun(PerRun), Out(Out), Derived(Derived) {}

  bool VisitVarDecl(VarDecl *VD) {
    if (Derived && VD->hasLocalStorage())
      Derived->note(VD);
    return true;
  }

  bool TraverseLambdaExpr(LambdaExpr *L) {
    // Copies into the lambda (by-copy captures, init-captures) read their
    // source where it is made; a capture by reference reads nothing. The
    // body is a function of its own.
    auto Init = L->capture_init_begin();
    for (const LambdaCapture &C : L->captures()) {
      Expr *E = Init != L->capture_init_end() ? *Init++ : nullptr;
      if (E && C.getCaptureKind() == LCK_ByCopy)
        TraverseStmt(E);
    }
    return true;
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  // An OpenMP construct's body is the code; its clauses name variables to
  // share or copy (evaluated before the team starts), and the captured
  // statement's initialisers repeat the captured variables.
  bool TraverseOMPClause(OMPClause *) { return true; }
  bool TraverseCapturedStmt(CapturedStmt *S) {
    return TraverseStmt(S->getCapturedStmt());
  }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    Stack.push_back(S);
    bool R = RecursiveASTVisitor::TraverseStmt(S);
    Stack.pop_back();
    return R;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (isa<VarDecl, BindingDecl>(E->getDecl()))
      consider(E);
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (isa<FieldDecl, VarDecl>(E->getMemberDecl()))
      consider(E);
    return true;
  }
  bool VisitArraySubscriptExpr(ArraySubscriptExpr *E) {
    consider(E);
    return true;
  }
  // *p names the object p points to (p itself is read to get there).
  bool VisitUnaryOperator(UnaryOperator *E) {
    if (E->getOpcode() == UO_Deref)
      consider(E);
    return true;
  }

private:
  const Stmt *parentOf(unsigned Depth) const {
    // Stack.back() is the node being visited; its parent is one below.
    return Stack.size() > Depth + 1 ? Stack[Stack.size() - 2 - Depth] : nullptr;
  }

  /// Whether \p E is the base of a longer location expression (a.b, a[i],
  /// v[i], p->x, *p): then the longer one is the access.
  static bool extendsTo(const Stmt *Parent, const Expr *Child) {
    if (const auto *ME = dyn_cast<MemberExpr>(Parent))
      return ME->getBase()->IgnoreParenImpCasts() == Child &&
             isa<FieldDecl, VarDecl>(ME->getMemberDecl());
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Parent))
      return AS->getBase()->IgnoreParenImpCasts() == Child;
    if (const auto *UO = dyn_cast<UnaryOperator>(Parent))
      return UO->getOpcode() == UO_Deref &&
             UO->getSubExpr()->IgnoreParenImpCasts() == Child;
    return false;
  }

  void consider(const Expr *E) {
    // Climb through parentheses and implicit casts; note a read conversion.
    unsigned Up = 0;
    const Expr *Cur = E;
    while (const Stmt *P = parentOf(Up)) {
      if (isa<ParenExpr>(P) ||
          (isa<ImplicitCastExpr>(P) &&
           cast<ImplicitCastExpr>(P)->getCastKind() != CK_LValueToRValue)) {
        Cur = cast<Expr>(P);
        ++Up;
        continue;
      }
      break;
    }
    const Stmt *P = parentOf(Up);
    if (P && extendsTo(P, Cur))
      return;
    // p->x reaches x through p: the access is the member, not the pointer.
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(P);
        ME && ME->isArrow() && ME->getBase()->IgnoreParenImpCasts() == Cur)
      return;
    // &x and std::ref(x) make a handle to x and touch nothing: the accesses
    // are where the handle is used.
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_AddrOf)
      return;
    if (const auto *Call = dyn_cast_or_null<CallExpr>(P);
        Call && Call->getNumArgs() == 1 && isReferenceMaker(Call))
      return;
    if (Model.isThreadSafeType(E->getType()))
      return;
    std::optional<AccessPath> Path = AccessPath::of(E, B);
    if (!Path)
      return;

    Access A;
    A.E = E;
    // The elements of an array are one location; the index tells them apart
    // where it can.
    std::optional<AccessPath::Step> Index;
    A.Location = Path->anyElement(Index);
    if (Index) {
      A.Element = true;
      if (Index->Kind == AccessPath::StepKind::Index)
        A.ConstIndex = Index->Index;
      else
        noteIndexDecl(A, Index->Decl);
    }
    // Classify by the context.
    const Expr *Top = Cur;
    unsigned TopUp = Up;
    // Element access through a container's operator[].
    if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(P);
        Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
        Op->getArg(0)->IgnoreParenImpCasts() == Cur) {
      const CXXRecordDecl *RD = recordOf(Cur->getType());
      if (isStdContainer(RD) && !isArrayLike(RD)) {
        // map[key] inserts: a write to the container.
        A.Write = true;
        record(A, Up);
        return;
      }
      // An element of atomics (flags[i] = true) is an atomic store or load.
      if (Model.isThreadSafeType(Op->getType()))
        return;
      // An element: the location is the container; an index private to
      // each run makes it a per-run slot.
      A.Element = true;
      noteIndex(A, Op->getArg(1));
      Top = Op;
      TopUp = Up + 1;
    }
    A.Write = isWriteContext(Top, TopUp, &A.ShapeOnly);
    record(A, TopUp);
  }

  /// The index of an element access: a constant, or a variable (private to
  /// each run of the task when it is one of \p PerRun, or a local made from
  /// them); a sum or product of such a value with others (`r * W + c`) is
  /// private to each run as well, its index the first such variable.
  void noteIndex(Access &A, const Expr *Index) const {
    Index = stripValueCasts(Index);
    A.ConstIndex.reset();
    A.IndexDecl = nullptr;
    A.IndexExpr = nullptr;
    A.PerRunSlot = false;
    if (const auto *IL = dyn_cast<IntegerLiteral>(Index))
      A.ConstIndex = IL->getValue().getSExtValue();
    else if (const auto *IR = dyn_cast<DeclRefExpr>(Index))
      noteIndexDecl(A, IR->getDecl());
    else if (const ValueDecl *From =
                 Derived ? Derived->fromPerRun(Index) : nullptr) {
      noteIndexDecl(A, From);
      A.IndexExpr = Index;
    }
  }
  void noteIndexDecl(Access &A, const ValueDecl *D) const {
    A.IndexDecl = D;
    A.PerRunSlot =
        llvm::is_contained(PerRun, D) || (Derived && Derived->Set.contains(D));
  }

  /// std::ref, std::cref, std::addressof: a handle to their argument.
  static bool isReferenceMaker(const CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    return FD && FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
           llvm::is_contained({"ref", "cref", "addressof"}, FD->getName());
  }

  /// Whether the expression at stack depth \p Up (from the visited node) is
  /// written by its context; \p ShapeOnly tells whether it is a standard
  /// container whose size alone the context reads.
  bool isWriteContext(const Expr *E, unsigned Up, bool *ShapeOnly) const {
    const Expr *Cur = E;
    unsigned Level = Up;
    while (const Stmt *P = parentOf(Level)) {
      if (isa<ParenExpr>(P) ||
          (isa<ImplicitCastExpr>(P) &&
           cast<ImplicitCastExpr>(P)->getCastKind() != CK_LValueToRValue)) {
        Cur = cast<Expr>(P);
        ++Level;
        continue;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(P))
        return BO->isAssignmentOp() && BO->getLHS()->IgnoreParens() == Cur;
      if (const auto *UO = dyn_cast<UnaryOperator>(P))
        return UO->isIncrementDecrementOp();
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (Op->getNumArgs() >= 1 && Op->getArg(0)->IgnoreParenImpCasts() == Cur)
          return Op->isAssignmentOp() ||
                 Op->getOperator() == OO_PlusPlus ||
                 Op->getOperator() == OO_MinusMinus;
        return false;
      }
      // obj.method: the call is one level up.
      if (const auto *ME = dyn_cast<MemberExpr>(P);
          ME && isa<CXXMethodDecl>(ME->getMemberDecl()) &&
          ME->getBase()->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()) {
        Cur = ME;
        ++Level;
        continue;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        const CXXMethodDecl *MD = MC->getMethodDecl();
        if (!Obj || !MD || MC->getCallee()->IgnoreParenImpCasts() != Cur ||
            !MD->getDeclName().isIdentifier() ||
            !isStdContainer(MD->getParent()))
          return false;
        *ShapeOnly = llvm::is_contained(
            {"size", "empty", "capacity", "max_size"}, MD->getName());
        // Mutating members of the standard containers and strings.
        return !MD->isConst() && isMutatingName(MD->getName());
      }
      return false;
    }
    return false;
  }

  static bool isMutatingName(StringRef N) {
    return llvm::StringSwitch<bool>(N)
        .Cases("push_back", "push_front", "pop_back", "pop_front", true)
        .Cases("emplace", "emplace_back", "emplace_front", "emplace_hint",
               true)
        .Cases("insert", "insert_or_assign", "try_emplace", "erase", true)
        .Cases("clear", "resize", "reserve", "assign", "swap", true)
        .Cases("append", "replace", "shrink_to_fit", "merge", "extract", true)
        .Cases("push", "pop", "reset", "emplace", true)
        .Default(false);
  }

  void record(Access &A, unsigned) {
    // The anchor for the lock query: the visited expression, or an ancestor
    // (kept as a chain; collect() picks the first one in the CFG).
    A.Anchor = A.E;
    Out.push_back(A);
    Chains.push_back({});
    for (unsigned I = 0; I < 8; ++I)
      if (const Stmt *S = parentOf(I))
        Chains.back().push_back(S);
  }

public:
  std::vector<llvm::SmallVector<const Stmt *, 8>> Chains;

private:
  const AccessModel &Model;
  const Bindings *B;
  llvm::ArrayRef<const ValueDecl *> PerRun;
  std::vector<Access> &Out;
  PerRunDerived *Derived;
  llvm::SmallVector<const Stmt *, 32> Stack;
};

} // namespace

bool Access::sameSlotIndex(const Access &Other) const {
  if (!PerRunSlot || !Other.PerRunSlot || IndexDecl != Other.IndexDecl ||
      !IndexExpr != !Other.IndexExpr)
    return false;
  if (!IndexExpr || IndexExpr == Other.IndexExpr)
    return true;
  const ASTContext &Ctx = IndexDecl->getASTContext();
  llvm::FoldingSetNodeID One, Two;
  IndexExpr->Profile(One, Ctx, /*Canonical=*/true);
  Other.IndexExpr->Profile(Two, Ctx, /*Canonical=*/true);
  return One == Two;
}

std::vector<Access>
AccessModel::collect(const FunctionDecl *Body, const Bindings *B,
                     llvm::ArrayRef<const ValueDecl *> PerRun) const {
  std::vector<Access> Out;
  if (!Body || !Body->hasBody())
    return Out;
  std::optional<PerRunDerived> Derived;
  if (!PerRun.empty())
    Derived.emplace(PerRun);
  Collector C(*this, B, PerRun, Out, Derived ? &*Derived : nullptr);
  C.TraverseStmt(Body->getBody());
  // Anchor each access at the innermost CFG element around it.
  if (const BodyCFG *Cfg = getBodyCFG(Body))
    for (size_t I = 0; I < Out.size(); ++I) {
      if (Cfg->pointOf(Out[I].E))
        continue;
      for (const Stmt *S : C.Chains[I])
        if (Cfg->pointOf(S)) {
          Out[I].Anchor = S;
          break;
        }
    }
  return Out;
}

} // namespace concheck::model
