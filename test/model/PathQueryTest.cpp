//===--- PathQueryTest.cpp - Paths that leave a region without an event ---===//

#include "ModelTestSupport.h"
#include "model/BodyCFG.h"
#include "model/PathQuery.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

/// Whether element \p E is a call to a function named \p Name.
bool callsNamed(const CFGElement &E, llvm::StringRef Name) {
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getDeclName().isIdentifier() && FD->getName() == Name;
}

/// The ways out of \p FnName from its call to start() that pass no call to
/// event(); the start's statement is the region's anchor.
llvm::SmallVector<Escape, 2> escapesFromStart(Snippet &S,
                                              llvm::StringRef FnName) {
  const FunctionDecl *F = S.function(FnName);
  const BodyCFG *Body = getBodyCFG(F);
  const CallExpr *Start = S.call(F, "start");
  std::optional<CFGPoint> P = Body->pointOf(Start);
  EXPECT_TRUE(P);
  return findEscapes(*Body, PathStart{*P, std::nullopt, Start},
                     [](const CFGElement &E) { return callsNamed(E, "event"); });
}

constexpr const char *Decls = R"(
  #include <stdexcept>
  void start();
  void event();
  bool cond();
  int global;
)";

TEST(PathQueryTest, TheReturnThatSkipsTheEvent) {
  Snippet S(std::string(Decls) + R"(
    void f() { start(); if (cond()) return; event(); }
  )");
  ASSERT_TRUE(S.valid());
  auto Escapes = escapesFromStart(S, "f");
  ASSERT_EQ(Escapes.size(), 1u);
  EXPECT_EQ(Escapes[0].Jump, S.stmt(S.function("f"), "ReturnStmt"));
}

TEST(PathQueryTest, ABreakAfterTheStartStaysInTheRegion) {
  Snippet S(std::string(Decls) + R"(
    void f(int n) {
      start();
      for (int i = 0; i < n; ++i) {
        if (cond()) continue;
        if (cond()) break;
      }
      if (cond()) return;
      event();
    }
  )");
  ASSERT_TRUE(S.valid());
  auto Escapes = escapesFromStart(S, "f");
  ASSERT_EQ(Escapes.size(), 1u);
  EXPECT_EQ(Escapes[0].Jump, S.stmt(S.function("f"), "ReturnStmt"));
}

TEST(PathQueryTest, ABreakOutOfTheLoopHoldingTheStartLeaves) {
  Snippet S(std::string(Decls) + R"(
    void f(int n) {
      for (int i = 0; i < n; ++i) {
        start();
        if (cond()) break;
        event();
      }
    }
  )");
  ASSERT_TRUE(S.valid());
  auto Escapes = escapesFromStart(S, "f");
  ASSERT_EQ(Escapes.size(), 1u);
  EXPECT_EQ(Escapes[0].Jump, S.stmt(S.function("f"), "BreakStmt"));
}

TEST(PathQueryTest, FromTheEntryABreakIsTheWayNotTheExit) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      for (;;) {
        if (cond()) break;
        event();
        return;
      }
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  const BodyCFG *Body = getBodyCFG(F);
  auto Escapes = findEscapes(*Body, entryOf(*Body), [](const CFGElement &E) {
    return callsNamed(E, "event");
  });
  ASSERT_EQ(Escapes.size(), 1u);
  EXPECT_EQ(Escapes[0].Jump, nullptr);
  EXPECT_EQ(Escapes[0].Via, S.stmt(F, "BreakStmt"));
}

TEST(PathQueryTest, AThrowGoesToTheHandlerThatCatchesIt) {
  Snippet S(std::string(Decls) + R"(
    void caught() {
      start();
      try {
        if (cond()) throw std::runtime_error("x");
      } catch (const std::exception &) {
      }
      event();
    }
    void uncaught() {
      start();
      try {
        if (cond()) throw std::runtime_error("x");
      } catch (int) {
      }
      event();
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(escapesFromStart(S, "caught").empty());
  auto Escapes = escapesFromStart(S, "uncaught");
  ASSERT_EQ(Escapes.size(), 1u);
  EXPECT_EQ(Escapes[0].Jump, S.stmt(S.function("uncaught"), "CXXThrowExpr"));
}

TEST(PathQueryTest, ValuesThePathSetDecideLaterBranches) {
  Snippet S(std::string(Decls) + R"(
    void pointer() {
      int *p = nullptr;
      if (cond()) { start(); p = &global; }
      if (!p) return;
      event();
    }
    void unknown(int *q) {
      int *p = nullptr;
      if (cond()) { start(); p = q; }
      if (!p) return;
      event();
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(escapesFromStart(S, "pointer").empty());
  EXPECT_EQ(escapesFromStart(S, "unknown").size(), 1u);
}

TEST(PathQueryTest, ReachesAvoidingStopsAtElementsAndEdges) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      start();
      if (cond())
        event();
      global = 1;
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  const BodyCFG *Body = getBodyCFG(F);
  const Stmt *Target = S.all<BinaryOperator>(F).front();
  PathStart From{*Body->pointOf(S.call(F, "start")), std::nullopt};
  auto Event = [](const CFGElement &E) { return callsNamed(E, "event"); };
  // The else side of the if reaches the assignment without the event.
  EXPECT_TRUE(reachesAvoiding(*Body, From, Target, Event));
  // Closing the if's false edge leaves only the path through the event.
  const CFGBlock *Branch = Body->pointOf(S.call(F, "cond"))->Block;
  EXPECT_FALSE(reachesAvoiding(
      *Body, From, Target, Event,
      [&](const CFGBlock *B, unsigned Succ) { return B == Branch && Succ == 1; }));
}

TEST(PathQueryTest, AnEventInALoopRepeats) {
  Snippet S(std::string(Decls) + R"(
    void looped() { for (;;) { event(); if (cond()) return; } }
    void flagged() {
      bool done = false;
      if (cond()) { event(); done = true; }
      if (!done) event();
    }
  )");
  ASSERT_TRUE(S.valid());
  auto Event = [](const CFGElement &E) { return callsNamed(E, "event"); };
  const BodyCFG *Looped = getBodyCFG(S.function("looped"));
  EXPECT_TRUE(findRepeat(*Looped, entryOf(*Looped), Event));
  // The flag the path set decides the second event: once on every path.
  const BodyCFG *Flagged = getBodyCFG(S.function("flagged"));
  EXPECT_FALSE(findRepeat(*Flagged, entryOf(*Flagged), Event));
}

} // namespace
