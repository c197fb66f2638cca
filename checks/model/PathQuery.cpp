//===--- PathQuery.cpp - Paths that leave a region without an event -------===//

#include "PathQuery.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include <deque>

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

llvm::SmallVector<Escape, 2>
findEscapes(const BodyCFG &Body, const PathStart &Start,
            llvm::function_ref<bool(const CFGElement &)> Stops) {
  llvm::SmallVector<Escape, 2> Result;
  const CFGBlock &Exit = Body.cfg().getExit();

  struct Item {
    const CFGBlock *Block;
    unsigned From; // first element to look at
    const Stmt *Jump;
  };
  std::deque<Item> Work;
  llvm::DenseSet<std::pair<const CFGBlock *, const Stmt *>> Seen;
  llvm::DenseSet<const Stmt *> Reported;
  bool ReportedFallThrough = false;

  auto enqueueSuccessors = [&](const CFGBlock *B, const Stmt *Jump,
                               std::optional<unsigned> Only) {
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const unsigned ThisIndex = Index++;
      if (Only && *Only != ThisIndex)
        continue;
      const CFGBlock *SB = Succ.getReachableBlock();
      if (!SB)
        continue;
      if (SB == &Exit) {
        if (Jump) {
          if (Reported.insert(Jump).second)
            Result.push_back({Jump, B});
        } else if (!ReportedFallThrough) {
          ReportedFallThrough = true;
          Result.push_back({nullptr, B});
        }
        continue;
      }
      if (Seen.insert({SB, Jump}).second)
        Work.push_back({SB, 0, Jump});
    }
  };

  // The start block: either the elements after the start point, or only the
  // chosen branch.
  if (Start.Successor) {
    enqueueSuccessors(Start.Point.Block, nullptr, Start.Successor);
  } else {
    Work.push_back({Start.Point.Block, Start.Point.Index + 1, nullptr});
  }

  while (!Work.empty()) {
    Item It = Work.front();
    Work.pop_front();
    const CFGBlock *B = It.Block;
    const Stmt *Jump = It.Jump;
    bool Stopped = false;
    for (unsigned I = It.From, E = B->size(); I < E; ++I) {
      const CFGElement &Elem = (*B)[I];
      if (Stops(Elem)) {
        Stopped = true;
        break;
      }
      if (!Jump)
        Jump = jumpOf(Elem);
    }
    if (Stopped || B->hasNoReturnElement())
      continue;
    if (!Jump)
      Jump = jumpOf(*B);
    enqueueSuccessors(B, Jump, std::nullopt);
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
/// Walks the blocks reachable from a start, element by element.
template <class Visit>
void walkFrom(const BodyCFG &Body, const PathStart &Start, unsigned States,
              Visit &&OnElement) {
  // A state is (block, tag); OnElement(elem, tag) returns the new tag, or
  // -1 to stop this path. Tags are small integers below States.
  struct Item {
    const CFGBlock *Block;
    unsigned From;
    int Tag;
  };
  std::deque<Item> Work;
  llvm::DenseSet<std::pair<const CFGBlock *, int>> Seen;
  auto Successors = [&](const CFGBlock *B, int Tag,
                        std::optional<unsigned> Only) {
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const unsigned ThisIndex = Index++;
      if (Only && *Only != ThisIndex)
        continue;
      if (const CFGBlock *SB = Succ.getReachableBlock())
        if (Seen.insert({SB, Tag}).second)
          Work.push_back({SB, 0, Tag});
    }
  };
  if (Start.Successor)
    Successors(Start.Point.Block, 0, Start.Successor);
  else
    Work.push_back({Start.Point.Block, Start.Point.Index + 1, 0});
  (void)States;
  while (!Work.empty()) {
    Item It = Work.front();
    Work.pop_front();
    int Tag = It.Tag;
    bool Stopped = false;
    for (unsigned I = It.From, E = It.Block->size(); I < E; ++I) {
      Tag = OnElement((*It.Block)[I], Tag);
      if (Tag < 0) {
        Stopped = true;
        break;
      }
    }
    if (Stopped || It.Block->hasNoReturnElement())
      continue;
    Successors(It.Block, Tag, std::nullopt);
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
  walkFrom(Body, Start, 0, [&](const CFGElement &E, int Tag) -> int {
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

bool reachesAvoiding(const BodyCFG &Body, const PathStart &Start,
                     const Stmt *Target,
                     llvm::function_ref<bool(const CFGElement &)> Stops) {
  bool Reached = false;
  walkFrom(Body, Start, 1, [&](const CFGElement &E, int Tag) -> int {
    if (Reached)
      return -1;
    if (std::optional<CFGStmt> S = E.getAs<CFGStmt>();
        S && S->getStmt() == Target) {
      Reached = true;
      return -1;
    }
    return Stops(E) ? -1 : Tag;
  });
  return Reached;
}

static bool isZeroOrFalse(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return IL->getValue() == 0;
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return !BL->getValue();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return true;
  return false;
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
