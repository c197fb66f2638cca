//===--- StartGuard.cpp - Tasks held back by a field set before the start -===//

#include "StartGuard.h"
#include "LockSetAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace concheck::model {

StartGuards::StartGuards(const BodyCFG &SpawnerBody,
                         llvm::ArrayRef<LocatedAccess> SpawnerAccesses,
                         std::vector<TaskView> Tasks)
    : SpawnerBody(SpawnerBody), Tasks(std::move(Tasks)) {
  for (const TaskView &V : this->Tasks)
    SpawnSites.insert(V.T->S.Site);
  for (const LocatedAccess &LA : SpawnerAccesses)
    if (LA.A.Write)
      WritesAt[LA.A.Anchor].push_back(&LA);
}

/// Whether \p Field names a scalar field of an object rooted at a local of
/// \p Spawner: the kind of field a guard can be.
static bool isLocalField(const AccessPath &Field, const FunctionDecl *Spawner) {
  const auto *Root = dyn_cast_or_null<VarDecl>(Field.root());
  return Root && !isa<ParmVarDecl>(Root) && Root->hasLocalStorage() &&
         Root->getDeclContext() == Spawner && !Field.steps().empty() &&
         Field.steps().back().Kind == AccessPath::StepKind::Field;
}

/// Whether one of two paths is the other or lies under it.
static bool overlaps(const AccessPath &A, const AccessPath &B) {
  const size_t N = std::min(A.steps().size(), B.steps().size());
  return A.prefix(N) == B.prefix(N);
}

/// Whether \p E is an allocation: `new T`, or a call of a function whose
/// name says it allocates (malloc, calloc, xmalloc, a custom allocator).
static bool isAllocation(const Expr *E) {
  E = stripValueCasts(E);
  if (isa<CXXNewExpr>(E))
    return true;
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getIdentifier() &&
         llvm::StringRef(FD->getName()).contains_insensitive("alloc");
}

bool StartGuards::escapes(const DeclRefExpr *Ref) const {
  const Stmt *Child = Ref;
  for (const Stmt *P = SpawnerBody.parentOf(Ref); P;
       Child = P, P = SpawnerBody.parentOf(P)) {
    if (isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr>(P))
      continue;
    if (const auto *ME = dyn_cast<MemberExpr>(P))
      return ME->getBase() != Child;
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(P))
      return AS->getBase() != Child;
    if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
      // `&obj` hands out what `p` would: follow it.
      if (UO->getOpcode() == UO_AddrOf)
        continue;
      return UO->getOpcode() != UO_Deref && UO->getOpcode() != UO_LNot;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      return !BO->isComparisonOp();
    if (const auto *If = dyn_cast<IfStmt>(P))
      return If->getCond() != Child;
    if (const auto *While = dyn_cast<WhileStmt>(P))
      return While->getCond() != Child;
    if (const auto *CO = dyn_cast<ConditionalOperator>(P))
      return CO->getCond() != Child;
    // The start hands the object to the task analysed.
    return !SpawnSites.contains(P);
  }
  return true;
}

bool StartGuards::freshObject(const VarDecl *Root) const {
  const QualType T = Root->getType();
  if (T->isReferenceType() || Root->isStaticLocal())
    return false;
  // A local object: what hands it out is followed where it matters (before
  // the start, and between the start and the access).
  if (!T->isPointerType())
    return true;
  if (Root->getInit() && !isAllocation(Root->getInit()))
    return false;
  // The pointer's address is never taken, and it is only ever given another
  // allocation.
  for (const CFGBlock *B : SpawnerBody.cfg())
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      const auto *Ref = CS ? dyn_cast<DeclRefExpr>(CS->getStmt()) : nullptr;
      if (!Ref || Ref->getDecl() != Root)
        continue;
      const Stmt *P = SpawnerBody.parentOf(Ref);
      while (P && isa<ParenExpr>(P))
        P = SpawnerBody.parentOf(P);
      if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
          UO && UO->getOpcode() == UO_AddrOf)
        return false;
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
          BO && BO->isAssignmentOp() && BO->getLHS()->IgnoreParens() == Ref &&
          (BO->getOpcode() != BO_Assign || !isAllocation(BO->getRHS())))
        return false;
    }
  return true;
}

StartGuards::Effect StartGuards::effectOf(const Stmt *S,
                                          const AccessPath &Field,
                                          int64_t &Value) const {
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
    return Ref->getDecl() == Field.root() && escapes(Ref) ? Effect::Unknown
                                                          : Effect::None;
  Effect Result = Effect::None;
  auto It = WritesAt.find(S);
  if (It == WritesAt.end())
    return Result;
  for (const LocatedAccess *W : It->second) {
    const LocatedAccess &LA = *W;
    if (!overlaps(LA.A.Location, Field))
      continue;
    // `p->field = K` sets it to a constant; anything else is unknown.
    const Stmt *P = LA.Chain.empty() ? SpawnerBody.parentOf(LA.A.E) : nullptr;
    while (P && isa<ParenExpr>(P))
      P = SpawnerBody.parentOf(P);
    const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
    std::optional<int64_t> V;
    if (BO && BO->getOpcode() == BO_Assign && LA.A.Location == Field &&
        BO->getLHS()->IgnoreParens() == LA.A.E)
      V = integerConstant(BO->getRHS(),
                          SpawnerBody.callable()->getASTContext());
    if (!V || (Result == Effect::Constant && *V != Value))
      return Effect::Unknown;
    Result = Effect::Constant;
    Value = *V;
  }
  return Result;
}

namespace {
/// What is known of a field at a point: no path reaches it, a constant on
/// every path, or nothing.
struct FieldValue {
  enum Kind { Unreached, Known, Unknown } K = Unreached;
  int64_t V = 0;
  friend bool operator==(const FieldValue &A, const FieldValue &B) {
    return A.K == B.K && (A.K != Known || A.V == B.V);
  }
};
} // namespace

static FieldValue join(FieldValue A, FieldValue B) {
  if (A.K == FieldValue::Unreached)
    return B;
  if (B.K == FieldValue::Unreached || A == B)
    return A;
  return {FieldValue::Unknown, 0};
}

std::optional<int64_t> StartGuards::valueAt(const AccessPath &Field,
                                            CFGPoint At) const {
  const CFG &G = SpawnerBody.cfg();
  std::vector<FieldValue> In(G.getNumBlockIDs()), Out(G.getNumBlockIDs());
  auto Transfer = [&](const CFGBlock *B, FieldValue S, unsigned End) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (I++ == End)
        break;
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS || S.K == FieldValue::Unreached)
        continue;
      int64_t V = 0;
      switch (effectOf(CS->getStmt(), Field, V)) {
      case Effect::None:
        break;
      case Effect::Constant:
        S = {FieldValue::Known, V};
        break;
      case Effect::Unknown:
        S = {FieldValue::Unknown, 0};
        break;
      }
    }
    return S;
  };
  bool Changed = true;
  for (unsigned Round = 0; Changed && Round < 64; ++Round) {
    Changed = false;
    for (const CFGBlock *B : SpawnerBody.reversePostOrder()) {
      FieldValue S;
      if (B == &G.getEntry())
        S = {FieldValue::Unknown, 0};
      for (const CFGBlock::AdjacentBlock &P : B->preds())
        if (const CFGBlock *PB = P.getReachableBlock())
          S = join(S, Out[PB->getBlockID()]);
      In[B->getBlockID()] = S;
      FieldValue O = Transfer(B, S, ~0u);
      if (!(O == Out[B->getBlockID()])) {
        Out[B->getBlockID()] = O;
        Changed = true;
      }
    }
  }
  if (Changed)
    return std::nullopt;
  FieldValue S = Transfer(At.Block, In[At.Block->getBlockID()], At.Index);
  if (S.K != FieldValue::Known)
    return std::nullopt;
  return S.V;
}

bool StartGuards::touchedBetween(const AccessPath &Field, CFGPoint From,
                                 CFGPoint To) const {
  const bool FromCycle = SpawnerBody.inCycle(From.Block);
  const bool ToCycle = SpawnerBody.inCycle(To.Block);
  for (const CFGBlock *B : SpawnerBody.cfg()) {
    if (!B || (B != From.Block && !SpawnerBody.reaches(From.Block, B)) ||
        (B != To.Block && !SpawnerBody.reaches(B, To.Block)))
      continue;
    unsigned Begin = 0, End = B->size();
    if (B == From.Block && !FromCycle)
      Begin = From.Index + 1;
    if (B == To.Block && !ToCycle)
      End = To.Index;
    for (unsigned I = Begin; I < End; ++I) {
      std::optional<CFGStmt> CS = (*B)[I].getAs<CFGStmt>();
      int64_t V = 0;
      if (CS && effectOf(CS->getStmt(), Field, V) != Effect::None)
        return true;
    }
  }
  return false;
}

const std::vector<StartGuards::Guard> &
StartGuards::guardsOf(const TaskView &V) {
  auto [It, New] = Guards.try_emplace(V.T);
  std::vector<Guard> &Out = It->second;
  if (!New)
    return Out;
  const std::optional<CFGPoint> Spawn = SpawnerBody.pointOf(V.T->S.Site);
  if (!Spawn)
    return Out;
  const FunctionDecl *Spawner = SpawnerBody.callable();
  const ASTContext &Ctx = Spawner->getASTContext();

  // The fields the task tests against a constant, and where.
  struct Candidate {
    AccessPath Field;
    bool Atomic = false;
    llvm::SmallVector<std::pair<const CFGBlock *, ConstantTest>, 2> Tests;
  };
  llvm::SmallVector<Candidate, 2> Candidates;
  for (const CFGBlock *B : V.Body->cfg()) {
    const Expr *Cond =
        B && B->succ_size() == 2 ? B->getLastCondition() : nullptr;
    if (!Cond)
      continue;
    std::optional<ConstantTest> T = constantTest(Cond, Ctx, [&](const Expr *E) {
      QualType Ty = E->getType();
      if (const auto *AT = Ty->getAs<AtomicType>())
        Ty = AT->getValueType();
      if (!isa<MemberExpr>(E) || !Ty->isIntegralOrEnumerationType())
        return false;
      std::optional<AccessPath> P = AccessPath::of(E, &V.T->B);
      return P && isLocalField(*P, Spawner);
    });
    if (!T)
      continue;
    AccessPath Field = *AccessPath::of(T->Operand, &V.T->B);
    auto C = llvm::find_if(
        Candidates, [&](const Candidate &C) { return C.Field == Field; });
    if (C == Candidates.end()) {
      Candidates.push_back({Field, T->Operand->getType()->isAtomicType(), {}});
      C = std::prev(Candidates.end());
    }
    C->Tests.push_back({B, *T});
  }

  for (const Candidate &C : Candidates) {
    const auto *Root = cast<VarDecl>(C.Field.root());
    if (!freshObject(Root))
      continue;
    const std::optional<int64_t> Value = valueAt(C.Field, *Spawn);
    if (!Value)
      continue;
    // Another task of the spawner that writes the field would have to be
    // held back as well: not followed.
    const bool OthersWrite = llvm::any_of(Tasks, [&](const TaskView &O) {
      return O.Body != V.Body &&
             llvm::any_of(O.Shared, [&](const LocatedAccess &LA) {
               return LA.A.Write && overlaps(LA.A.Location, C.Field);
             });
    });
    if (OthersWrite)
      continue;

    // The task's blocks while the field keeps its value: no write of it,
    // no call the analysis cannot see handed the object, every test of it
    // made holding a lock (so that what opens it later is ordered).
    Guard G{C.Field, {}};
    bool Holds = true;
    // Where the task (or a callee, at its call) writes the field.
    llvm::SmallPtrSet<const Stmt *, 8> FieldWrites;
    for (const LocatedAccess &LA : V.Shared)
      if (LA.A.Write && overlaps(LA.A.Location, C.Field))
        FieldWrites.insert(LA.A.Anchor);
    llvm::SmallVector<const CFGBlock *, 16> Work{&V.Body->cfg().getEntry()};
    while (Holds && !Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      if (!G.Reached.insert(B).second)
        continue;
      for (const CFGElement &E : *B) {
        std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *S = CS->getStmt();
        if (FieldWrites.contains(S)) {
          Holds = false;
          break;
        }
        const auto *Call = dyn_cast<CallExpr>(S);
        const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
        if (Call && (!Callee || !Callee->hasBody())) {
          for (const Expr *Arg : Call->arguments())
            if (std::optional<AccessPath> P =
                    AccessPath::ofPointee(Arg, &V.T->B);
                P && overlaps(*P, C.Field))
              Holds = false;
          // A member function it cannot see may change the object it is
          // called on, unless it is const.
          const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
          const auto *Method = Member ? Member->getMethodDecl() : nullptr;
          if (Method && !Method->isConst())
            if (std::optional<AccessPath> P = AccessPath::ofObject(
                    Member->getImplicitObjectArgument(), &V.T->B);
                P && overlaps(*P, C.Field))
              Holds = false;
        }
      }
      const auto *Test =
          llvm::find_if(C.Tests, [&](const auto &T) { return T.first == B; });
      if (Test != C.Tests.end()) {
        if (!C.Atomic) {
          const std::optional<LockSet> Held =
              V.Locks->heldAt(B->getLastCondition());
          if (!Held || Held->empty()) {
            Holds = false;
            break;
          }
        }
        const bool True = (*Value == Test->second.Value) == Test->second.Equal;
        if (const CFGBlock *Next =
                (B->succ_begin() + (True ? 0 : 1))->getReachableBlock())
          Work.push_back(Next);
        continue;
      }
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *Next = Succ.getReachableBlock())
          Work.push_back(Next);
    }
    if (Holds)
      Out.push_back(std::move(G));
  }
  return Out;
}

bool StartGuards::heldBack(const Task &T, const Stmt *TaskAnchor,
                           const Stmt *SpawnerAnchor) {
  auto V = llvm::find_if(Tasks, [&](const TaskView &V) { return V.T == &T; });
  if (V == Tasks.end())
    return false;
  const std::vector<Guard> &Found = guardsOf(*V);
  if (Found.empty())
    return false;
  const std::optional<CFGPoint> At = V->Body->pointOf(TaskAnchor);
  const std::optional<CFGPoint> Spawn = SpawnerBody.pointOf(T.S.Site);
  const std::optional<CFGPoint> Other = SpawnerBody.pointOf(SpawnerAnchor);
  if (!At || !Spawn || !Other)
    return false;
  return llvm::any_of(Found, [&](const Guard &G) {
    return !G.Reached.contains(At->Block) &&
           !touchedBetween(G.Field, *Spawn, *Other);
  });
}

} // namespace concheck::model
