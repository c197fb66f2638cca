//===--- PathQuery.cpp - Paths that leave a region without an event -------===//

#include "PathQuery.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include <deque>
#include <set>
#include <tuple>

using namespace clang;

namespace concheck::model {

const Stmt *jumpOf(const CFGElement &E) {
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  if (!S)
    return nullptr;
  const Stmt *St = S->getStmt();
  if (isa<ReturnStmt, CoreturnStmt, CXXThrowExpr>(St))
    return St;
  return nullptr;
}

const Stmt *jumpOf(const CFGBlock &B) {
  const Stmt *T = B.getTerminatorStmt();
  if (T && isa<BreakStmt, ContinueStmt, GotoStmt, IndirectGotoStmt,
               CXXThrowExpr>(T))
    return T;
  return nullptr;
}

llvm::StringRef jumpKeyword(const Stmt *Jump) {
  if (!Jump)
    return "";
  if (isa<ReturnStmt>(Jump))
    return "return";
  if (isa<CoreturnStmt>(Jump))
    return "co_return";
  if (isa<CXXThrowExpr>(Jump))
    return "throw";
  if (isa<BreakStmt>(Jump))
    return "break";
  if (isa<ContinueStmt>(Jump))
    return "continue";
  return "goto";
}

namespace {

/// What a path knows of the local variables it set itself, and of the
/// values its `if` statements tested (a local, or a field of
/// BodyCFG::branchFields): each one non-zero (true) or zero (false). Keyed
/// by the variable's declaration or the field's key, sorted, so equal sets
/// compare equal.
using FactKey = const void *;
using Facts = llvm::SmallVector<std::pair<FactKey, bool>, 2>;

/// How sure it is that a handler catches a thrown type.
enum class Catches { No, Maybe, Yes };

} // namespace

/// The truth of a value stored in a variable, when the expression alone
/// decides it: an address, `new`, `this`, a literal.
static std::optional<bool> constantTruth(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (isZeroOrFalse(E))
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    return true;
  if (isa<CXXNewExpr, CXXThisExpr, StringLiteral>(E))
    return true;
  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return IL->getValue() != 0;
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return BL->getValue();
  return std::nullopt;
}

static void setFact(Facts &F, FactKey V, std::optional<bool> Value) {
  auto It = llvm::lower_bound(F, V, [](const auto &P, FactKey D) {
    return std::less<FactKey>()(P.first, D);
  });
  const bool Present = It != F.end() && It->first == V;
  if (!Value) {
    if (Present)
      F.erase(It);
  } else if (Present) {
    It->second = *Value;
  } else {
    F.insert(It, {V, *Value});
  }
}

/// What element \p E does to the tracked variables' known values.
/// Forgets what the path knows of the tested fields that a write through
/// member expression \p Written may change (any key naming its field).
static void forgetFields(const Expr *Written, const BodyCFG &Body, Facts &F) {
  const auto *ME = dyn_cast<MemberExpr>(Written->IgnoreParenImpCasts());
  if (!ME || F.empty())
    return;
  const ValueDecl *Field = ME->getMemberDecl();
  for (const auto &[E, Key] : Body.branchFields())
    if (llvm::any_of(Key->steps(), [&](const AccessPath::Step &S) {
          return S.Kind == AccessPath::StepKind::Field && S.Decl == Field;
        }))
      setFact(F, Key, std::nullopt);
}

static void applyFacts(const CFGElement &E, const BodyCFG &Body, Facts &F) {
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *S = CS->getStmt();
  if (!Body.branchFields().empty()) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp())
      forgetFields(BO->getLHS(), Body, F);
    else if (const auto *UO = dyn_cast<UnaryOperator>(S);
             UO &&
             (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf))
      forgetFields(UO->getSubExpr(), Body, F);
  }
  if (Body.branchVariables().empty())
    return;
  auto Var = [&](const Expr *X) -> const VarDecl * {
    const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return V && Body.branchVariables().count(V) ? V : nullptr;
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (!BO->isAssignmentOp())
      return;
    if (const VarDecl *V = Var(BO->getLHS()))
      setFact(F, V,
              BO->getOpcode() == BO_Assign ? constantTruth(BO->getRHS())
                                           : std::nullopt);
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp())
      if (const VarDecl *V = Var(UO->getSubExpr()))
        setFact(F, V, std::nullopt);
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D);
          V && Body.branchVariables().count(V))
        setFact(F, V,
                V->getInit() ? constantTruth(V->getInit()) : std::nullopt);
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    // Passed by non-const reference: the callee may change it.
    const FunctionDecl *FD = Call->getDirectCallee();
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      const VarDecl *V = Var(Call->getArg(I));
      if (!V)
        continue;
      if (!FD || I >= FD->getNumParams() ||
          (FD->getParamDecl(I)->getType()->isReferenceType() &&
           !FD->getParamDecl(I)
                ->getType()
                .getNonReferenceType()
                .isConstQualified()))
        setFact(F, V, std::nullopt);
    }
  }
}

/// What the two-way branch at the end of \p B tests, as a fact's key: a
/// tracked local, or a tested field; and whether it goes to its first
/// successor when that value is non-zero.
static std::optional<std::pair<FactKey, bool>> branchKey(const CFGBlock &B,
                                                         const BodyCFG &Body) {
  if (B.succ_size() != 2)
    return std::nullopt;
  const Expr *Cond = B.getLastCondition();
  bool TrueWhenNonZero = false;
  const Expr *Tested = Cond ? testedValue(Cond, TrueWhenNonZero) : nullptr;
  if (!Tested)
    return std::nullopt;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Tested)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (V && Body.branchVariables().count(V))
      return std::make_pair(FactKey(V), TrueWhenNonZero);
    return std::nullopt;
  }
  auto It = Body.branchFields().find(Tested);
  if (It == Body.branchFields().end())
    return std::nullopt;
  return std::make_pair(FactKey(It->second), TrueWhenNonZero);
}

/// The successor a two-way branch at the end of \p B takes under \p F, when
/// its condition tests a value the path knows.
static std::optional<unsigned>
decidedBranch(const CFGBlock &B, const BodyCFG &Body, const Facts &F) {
  if (F.empty())
    return std::nullopt;
  std::optional<std::pair<FactKey, bool>> K = branchKey(B, Body);
  if (!K)
    return std::nullopt;
  for (const auto &[Known, NonZero] : F)
    if (Known == K->first)
      return NonZero == K->second ? 0u : 1u;
  return std::nullopt;
}

namespace {
/// What a path learns by taking a side of an `if`: the value it tested is
/// non-zero on one side and zero on the other, for the tests after it (`if
/// (!m->needs_lock) unlock(); ... if (m->needs_lock) unlock();` releases on
/// every path). Only values that two or more `if`s of the body test are
/// learned (one tested once decides nothing later), and at most MaxFacts,
/// so that the states of a search stay few. Loops are left alone: their
/// test sees the value change.
class BranchLearning {
public:
  static constexpr unsigned MaxFacts = 8;

  explicit BranchLearning(const BodyCFG &Body) : Body(Body) {
    if (Body.branchVariables().empty() && Body.branchFields().empty())
      return;
    llvm::SmallDenseMap<FactKey, unsigned, 8> Tests;
    for (const CFGBlock *B : Body.cfg())
      if (B && isa_and_nonnull<IfStmt>(B->getTerminatorStmt()))
        if (std::optional<std::pair<FactKey, bool>> K = branchKey(*B, Body))
          ++Tests[K->first];
    for (const auto &[Key, N] : Tests)
      if (N >= 2)
        Retested.insert(Key);
  }

  /// What taking successor \p Index of \p B teaches the path.
  void learn(const CFGBlock &B, unsigned Index, Facts &F) const {
    if (Retested.empty() || F.size() >= MaxFacts ||
        !isa_and_nonnull<IfStmt>(B.getTerminatorStmt()))
      return;
    std::optional<std::pair<FactKey, bool>> K = branchKey(B, Body);
    if (K && Retested.contains(K->first))
      setFact(F, K->first, (Index == 0) == K->second);
  }

private:
  const BodyCFG &Body;
  llvm::SmallPtrSet<FactKey, 4> Retested;
};
} // namespace

/// What the path knows when it starts: the tracked variables set before the
/// start point in its block and in the blocks that certainly lead to it (a
/// chain of single predecessors), and the sides of the `if`s that chain
/// took (a start inside `if (early) { ... }` knows `early`).
static Facts initialFacts(const PathStart &Start, const BodyCFG &Body,
                          const BranchLearning &Learning) {
  Facts F;
  if (Body.branchVariables().empty() && Body.branchFields().empty())
    return F;
  llvm::SmallVector<const CFGBlock *, 8> Chain;
  for (const CFGBlock *B = Start.Point.Block; B && Chain.size() < 8;) {
    Chain.push_back(B);
    if (B->pred_size() != 1)
      break;
    const CFGBlock *P = B->pred_begin()->getReachableBlock();
    if (!P || llvm::is_contained(Chain, P))
      break;
    B = P;
  }
  const CFGBlock *Prev = nullptr;
  for (const CFGBlock *B : llvm::reverse(Chain)) {
    if (Prev) {
      unsigned Index = 0;
      for (const CFGBlock::AdjacentBlock &Succ : Prev->succs()) {
        if (Succ.getReachableBlock() == B) {
          Learning.learn(*Prev, Index, F);
          break;
        }
        ++Index;
      }
    }
    const unsigned End =
        B == Start.Point.Block
            ? std::min<unsigned>(Start.Point.Index + 1, B->size())
            : B->size();
    for (unsigned I = 0; I < End; ++I)
      applyFacts((*B)[I], Body, F);
    Prev = B;
  }
  return F;
}

/// Whether handler \p H catches an exception of type \p Thrown (null: not
/// known, as for a rethrow).
static Catches handlerCatches(const CXXCatchStmt *H, QualType Thrown) {
  if (!H->getExceptionDecl())
    return Catches::Yes; // catch (...)
  if (Thrown.isNull() || Thrown->isDependentType() ||
      H->getCaughtType()->isDependentType())
    return Catches::Maybe;
  ASTContext &Ctx = H->getExceptionDecl()->getASTContext();
  QualType Caught = H->getCaughtType()
                        .getNonReferenceType()
                        .getCanonicalType()
                        .getUnqualifiedType();
  QualType T = Thrown.getCanonicalType().getUnqualifiedType();
  if (Ctx.hasSameType(Caught, T))
    return Catches::Yes;
  if (Caught->isPointerType() && T->isPointerType()) {
    Caught = Caught->getPointeeType().getUnqualifiedType();
    T = T->getPointeeType().getUnqualifiedType();
    if (Ctx.hasSameType(Caught, T) || Caught->isVoidType())
      return Catches::Yes;
  }
  const CXXRecordDecl *CR = Caught->getAsCXXRecordDecl();
  const CXXRecordDecl *TR = T->getAsCXXRecordDecl();
  if (CR && TR) {
    if (!TR->hasDefinition() || !CR->hasDefinition())
      return Catches::Maybe;
    return TR->isDerivedFrom(CR) ? Catches::Yes : Catches::No;
  }
  // Two different arithmetic or enumeration types: no conversion applies.
  if ((Caught->isArithmeticType() || Caught->isEnumeralType()) &&
      (T->isArithmeticType() || T->isEnumeralType()))
    return Catches::No;
  return Catches::Maybe;
}

/// The loop (or, for a break, switch) that a break or continue jumps out of.
static const Stmt *jumpTarget(const BodyCFG &Body, const Stmt *Jump) {
  const bool Continue = isa<ContinueStmt>(Jump);
  for (const Stmt *P = Body.parentOf(Jump); P; P = Body.parentOf(P)) {
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
      return P;
    if (!Continue && isa<SwitchStmt>(P))
      return P;
  }
  return nullptr;
}

llvm::SmallVector<Escape, 2>
findEscapes(const BodyCFG &Body, const PathStart &Start,
            llvm::function_ref<bool(const CFGElement &)> Stops,
            llvm::function_ref<bool(const CFGBlock *, unsigned)> StopsEdge) {
  llvm::SmallVector<Escape, 2> Result;
  const CFGBlock &Exit = Body.cfg().getExit();

  struct Item {
    const CFGBlock *Block;
    unsigned From; // first element to look at
    const Stmt *Jump;
    const Stmt *Via;
    const CXXThrowExpr *InFlight; // a throw on its way to a handler
    Facts Known;
  };
  // A path's state, for the visited set: where it is and what it carries
  // (the note it would get, Via, is not part of it).
  using Key = std::tuple<const CFGBlock *, const Stmt *, const Stmt *,
                         std::vector<std::pair<FactKey, bool>>>;
  std::deque<Item> Work;
  std::set<Key> Seen;
  llvm::DenseSet<const Stmt *> Reported;
  bool ReportedFallThrough = false;

  // Whether a break or continue jumps out of a statement holding the start.
  auto Leaves = [&](const Stmt *Jump) {
    if (isa<BreakStmt, ContinueStmt>(Jump)) {
      if (!Start.Anchor)
        return false;
      const Stmt *Target = jumpTarget(Body, Jump);
      return Target && Body.isWithin(Start.Anchor, Target);
    }
    return true; // return, goto
  };

  auto Enqueue = [&](const CFGBlock *From, const CFGBlock *SB, Item Next) {
    if (SB == &Exit) {
      const Stmt *Jump = Next.Jump ? Next.Jump : Next.InFlight;
      if (Jump) {
        if (Reported.insert(Jump).second)
          Result.push_back({Jump, nullptr, From});
      } else if (!ReportedFallThrough) {
        ReportedFallThrough = true;
        Result.push_back({nullptr, Next.Via, From});
      }
      return;
    }
    Key K{SB, Next.Jump, Next.InFlight,
          std::vector<std::pair<FactKey, bool>>(Next.Known.begin(),
                                                Next.Known.end())};
    if (!Seen.insert(std::move(K)).second)
      return;
    Next.Block = SB;
    Next.From = 0;
    Work.push_back(std::move(Next));
  };

  const BranchLearning Learning(Body);
  auto Successors = [&](const CFGBlock *B, const Item &State,
                        std::optional<unsigned> Only) {
    if (!Only)
      Only = decidedBranch(*B, Body, State.Known);
    // A try's dispatch: the handlers a throw in flight can reach.
    const auto *Try = dyn_cast_or_null<CXXTryStmt>(B->getTerminatorStmt());
    const CXXCatchStmt *CaughtBy = nullptr;
    QualType Thrown;
    if (Try && State.InFlight) {
      if (const Expr *Sub = State.InFlight->getSubExpr())
        Thrown = Sub->getType();
      for (unsigned I = 0; I < Try->getNumHandlers() && !CaughtBy; ++I)
        if (handlerCatches(Try->getHandler(I), Thrown) == Catches::Yes)
          CaughtBy = Try->getHandler(I);
    }
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const unsigned ThisIndex = Index++;
      if (Only && *Only != ThisIndex)
        continue;
      if (StopsEdge && StopsEdge(B, ThisIndex))
        continue;
      const CFGBlock *SB = Succ.getReachableBlock();
      if (!SB)
        continue;
      Item Next = State;
      Learning.learn(*B, ThisIndex, Next.Known);
      if (Try && State.InFlight) {
        const auto *Handler = dyn_cast_or_null<CXXCatchStmt>(SB->getLabel());
        if (Handler) {
          if ((CaughtBy && Handler != CaughtBy) ||
              handlerCatches(Handler, Thrown) == Catches::No)
            continue;
          // Caught: the throw leaves the region when the start is inside
          // the try block it jumps out of.
          const bool Out =
              Start.Anchor && Body.isWithin(Start.Anchor, Try->getTryBlock());
          if (Out && !Next.Jump)
            Next.Jump = State.InFlight;
          else if (!Out && !Next.Via)
            Next.Via = State.InFlight;
          Next.InFlight = nullptr;
        } else if (CaughtBy) {
          continue; // a handler certainly takes it: it goes no further
        }
      }
      Enqueue(B, SB, std::move(Next));
    }
  };

  // The start block: either the elements after the start point, or only the
  // chosen branch.
  Item First{Start.Point.Block, Start.Point.Index + 1,
             nullptr,           nullptr,
             nullptr,           initialFacts(Start, Body, Learning)};
  if (Start.Successor)
    Successors(Start.Point.Block, First, Start.Successor);
  else
    Work.push_back(std::move(First));

  while (!Work.empty()) {
    Item It = std::move(Work.front());
    Work.pop_front();
    const CFGBlock *B = It.Block;
    bool Stopped = false;
    for (unsigned I = It.From, E = B->size(); I < E; ++I) {
      const CFGElement &Elem = (*B)[I];
      if (Stops(Elem)) {
        Stopped = true;
        break;
      }
      applyFacts(Elem, Body, It.Known);
      if (const Stmt *J = jumpOf(Elem)) {
        if (const auto *Throw = dyn_cast<CXXThrowExpr>(J))
          It.InFlight = Throw; // where it goes is decided at the handlers
        else if (!It.Jump)
          It.Jump = J;
      }
    }
    if (Stopped || B->hasNoReturnElement())
      continue;
    if (const Stmt *J = jumpOf(*B); J && !isa<CXXThrowExpr>(J)) {
      if (Leaves(J)) {
        if (!It.Jump)
          It.Jump = J;
      } else if (!It.Via) {
        It.Via = J;
      }
    }
    Successors(B, It, std::nullopt);
  }
  return Result;
}

PathStart entryOf(const BodyCFG &Body) {
  return PathStart{CFGPoint{&Body.cfg().getEntry(), 0}, 0u};
}

SourceLocation locationOf(const CFGElement &E) {
  if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
    return S->getStmt()->getBeginLoc();
  if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>())
    return D->getVarDecl()->getLocation();
  if (std::optional<CFGLifetimeEnds> L = E.getAs<CFGLifetimeEnds>())
    return L->getVarDecl()->getLocation();
  return {};
}

namespace {
/// Walks the blocks reachable from a start, element by element, leaving out
/// the branches that the values the path set decide against (as
/// findEscapes does).
template <class Visit>
void walkFrom(
    const BodyCFG &Body, const PathStart &Start, Visit &&OnElement,
    llvm::function_ref<bool(const CFGBlock *, unsigned)> StopsEdge = nullptr) {
  // A state is (block, tag, facts); OnElement(elem, tag) returns the new
  // tag, or -1 to stop this path.
  struct Item {
    const CFGBlock *Block;
    unsigned From;
    int Tag;
    Facts Known;
  };
  using Key =
      std::tuple<const CFGBlock *, int, std::vector<std::pair<FactKey, bool>>>;
  std::deque<Item> Work;
  std::set<Key> Seen;
  const BranchLearning Learning(Body);
  auto Successors = [&](const CFGBlock *B, int Tag, const Facts &Known,
                        std::optional<unsigned> Only) {
    if (!Only)
      Only = decidedBranch(*B, Body, Known);
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const unsigned ThisIndex = Index++;
      if (Only && *Only != ThisIndex)
        continue;
      if (StopsEdge && StopsEdge(B, ThisIndex))
        continue;
      const CFGBlock *SB = Succ.getReachableBlock();
      if (!SB)
        continue;
      Facts Next = Known;
      Learning.learn(*B, ThisIndex, Next);
      if (Seen.insert(Key{SB, Tag,
                          std::vector<std::pair<FactKey, bool>>(Next.begin(),
                                                                Next.end())})
              .second)
        Work.push_back({SB, 0, Tag, std::move(Next)});
    }
  };
  Facts Initial = initialFacts(Start, Body, Learning);
  if (Start.Successor)
    Successors(Start.Point.Block, 0, Initial, Start.Successor);
  else
    Work.push_back({Start.Point.Block, Start.Point.Index + 1, 0, Initial});
  while (!Work.empty()) {
    Item It = std::move(Work.front());
    Work.pop_front();
    int Tag = It.Tag;
    bool Stopped = false;
    for (unsigned I = It.From, E = It.Block->size(); I < E; ++I) {
      Tag = OnElement((*It.Block)[I], Tag);
      if (Tag < 0) {
        Stopped = true;
        break;
      }
      applyFacts((*It.Block)[I], Body, It.Known);
    }
    if (Stopped || It.Block->hasNoReturnElement())
      continue;
    Successors(It.Block, Tag, It.Known, std::nullopt);
  }
}
} // namespace

std::optional<Repeat>
findRepeat(const BodyCFG &Body, const PathStart &Start,
           llvm::function_ref<bool(const CFGElement &)> IsEvent) {
  // Tag: 0 before any event, 1 + index of the first event's element in a
  // side table after it (so two different first events are different states).
  auto Destroyed = [](const CFGElement &E) -> const VarDecl * {
    if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>())
      return D->getVarDecl();
    return nullptr;
  };
  std::vector<std::pair<SourceLocation, const VarDecl *>> Firsts;
  std::optional<Repeat> Found;
  walkFrom(Body, Start, [&](const CFGElement &E, int Tag) -> int {
    if (Found)
      return -1;
    if (!IsEvent(E))
      return Tag;
    if (Tag == 0) {
      Firsts.push_back({locationOf(E), Destroyed(E)});
      return static_cast<int>(Firsts.size());
    }
    const auto &[FirstLoc, FirstVar] = Firsts[Tag - 1];
    Found = Repeat{FirstLoc, locationOf(E), FirstVar, Destroyed(E)};
    return -1;
  });
  return Found;
}

bool reachesAvoiding(
    const BodyCFG &Body, const PathStart &Start, const Stmt *Target,
    llvm::function_ref<bool(const CFGElement &)> Stops,
    llvm::function_ref<bool(const CFGBlock *, unsigned)> StopsEdge) {
  bool Reached = false;
  walkFrom(
      Body, Start,
      [&](const CFGElement &E, int Tag) -> int {
        if (Reached)
          return -1;
        if (std::optional<CFGStmt> S = E.getAs<CFGStmt>();
            S && S->getStmt() == Target) {
          Reached = true;
          return -1;
        }
        return Stops(E) ? -1 : Tag;
      },
      StopsEdge);
  return Reached;
}

llvm::DenseSet<const Stmt *>
reachedAvoiding(const BodyCFG &Body, const PathStart &Start,
                llvm::function_ref<bool(const CFGElement &)> Stops) {
  llvm::DenseSet<const Stmt *> Reached;
  walkFrom(Body, Start, [&](const CFGElement &E, int Tag) -> int {
    if (Stops(E))
      return -1;
    if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
      Reached.insert(S->getStmt());
    return Tag;
  });
  return Reached;
}

static bool isTrueLiteral(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return BL->getValue();
  return false;
}

// Whether Cond is true exactly when Call returned non-zero (true), exactly
// when it returned zero (false), or unknown.
static std::optional<bool> truthOfNonZero(const Expr *Cond, const Expr *Call) {
  Cond = Cond->IgnoreParenImpCasts();
  if (Cond == Call)
    return true;
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    if (std::optional<bool> Inner = truthOfNonZero(UO->getSubExpr(), Call))
      return !*Inner;
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    const Expr *Other = nullptr;
    std::optional<bool> Side;
    if ((Side = truthOfNonZero(BO->getLHS(), Call)))
      Other = BO->getRHS();
    else if ((Side = truthOfNonZero(BO->getRHS(), Call)))
      Other = BO->getLHS();
    if (!Side)
      return std::nullopt;
    bool Eq = BO->getOpcode() == BO_EQ;
    if (isZeroOrFalse(Other))
      return Eq ? !*Side : *Side;
    if (isTrueLiteral(Other))
      return Eq ? *Side : !*Side;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<unsigned> branchWhenCallReturns(const BodyCFG &Body,
                                              const Expr *Call, bool NonZero) {
  std::optional<CFGPoint> P = Body.pointOf(Call);
  if (!P)
    return std::nullopt;
  const CFGBlock *B = P->Block;
  if (B->succ_size() != 2 || !B->getTerminatorStmt())
    return std::nullopt;
  const Expr *Cond = B->getLastCondition();
  if (!Cond)
    return std::nullopt;
  std::optional<bool> TrueWhenNonZero = truthOfNonZero(Cond, Call);
  if (!TrueWhenNonZero)
    return std::nullopt;
  const bool CondTrue = NonZero ? *TrueWhenNonZero : !*TrueWhenNonZero;
  return CondTrue ? 0u : 1u;
}

} // namespace concheck::model
