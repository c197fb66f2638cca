//===--- FlagFactsTest.cpp - Mode flags in summaries, fact by fact --------===//

#include "model/FlagFacts.h"
#include "ModelTestSupport.h"
#include "model/ModelContext.h"
#include "model/Summary.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

constexpr const char *Decls = R"(
  enum { IDLE, READ, WRITE };
  int mode;
  bool active;
  int hits, frees, later;
  void set_mode(int m) { mode = m; }
  void unseen();
)";

SummaryModel &summaries(Snippet &S) {
  return ModelContext::get(S.context(), ModelOptions{}).summaries();
}

/// The requirements of the summary's entry for global \p Name, as
/// "mode==0" / "mode!=2" joined by ' '; "?" when there is no such entry.
std::string required(const FunctionSummary *Sum, llvm::StringRef Name) {
  if (!Sum)
    return "?";
  for (const FunctionSummary::Entry &E : Sum->Accesses) {
    if (E.A.Location.str() != Name)
      continue;
    std::string Out;
    for (const FlagTest &T : E.Requires)
      Out += (Out.empty() ? "" : " ") + T.Flag->getName().str() +
             (T.Equal ? "==" : "!=") + std::to_string(T.Value);
    return Out;
  }
  return "?";
}

TEST(FlagFactsTest, TestsAndContradictions) {
  Snippet S(Decls);
  ASSERT_TRUE(S.valid());
  const VarDecl *Mode = nullptr;
  for (const Decl *D : S.context().getTranslationUnitDecl()->decls())
    if (const auto *V = dyn_cast<VarDecl>(D); V && V->getName() == "mode")
      Mode = V;
  ASSERT_TRUE(Mode);
  const FlagTest IsRead{Mode, 1, true}, NotIdle{Mode, 0, false},
      IsIdle{Mode, 0, true}, NotRead{Mode, 1, false};
  EXPECT_TRUE(contradicts({IsRead}, {IsIdle}));
  EXPECT_TRUE(contradicts({IsIdle}, {NotIdle}));
  EXPECT_TRUE(contradicts({NotRead}, {IsRead}));
  EXPECT_FALSE(contradicts({IsRead}, {NotIdle}));
  EXPECT_FALSE(contradicts({NotRead}, {IsIdle}));
  EXPECT_FALSE(contradicts({}, {IsIdle}));
  EXPECT_EQ(commonTests({IsRead, NotIdle}, {NotIdle}).size(), 1u);
  EXPECT_TRUE(commonTests({IsRead}, {IsIdle}).empty());
}

TEST(FlagFactsTest, AnEarlyReturnIsWhatTheEntryNeeds) {
  Snippet S(std::string(Decls) + R"(
    void main_only() { if (mode != IDLE) return; frees++; }
    void when_active() { if (!active) return; hits++; }
    void either() { hits++; }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_EQ(required(summaries(S).summaryOf(S.function("main_only")), "frees"),
            "mode==0");
  EXPECT_EQ(required(summaries(S).summaryOf(S.function("when_active")), "hits"),
            "active!=0");
  EXPECT_EQ(required(summaries(S).summaryOf(S.function("either")), "hits"), "");
}

TEST(FlagFactsTest, RequirementsCrossCallsUntilTheFlagIsWritten) {
  Snippet S(std::string(Decls) + R"(
    void main_only() { if (mode != IDLE) return; frees++; }
    void caller() { unseen(); main_only(); }
    void resets() { set_mode(IDLE); main_only(); }
    void assigns() { mode = READ; main_only(); }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &M = summaries(S);
  EXPECT_EQ(required(M.summaryOf(S.function("caller")), "frees"), "mode==0");
  // Written on the way (through a call, or here): the entry says nothing.
  EXPECT_EQ(required(M.summaryOf(S.function("resets")), "frees"), "");
  // Here the assignment decides: READ rules the access out.
  EXPECT_EQ(required(M.summaryOf(S.function("assigns")), "frees"), "?");
}

TEST(FlagFactsTest, CallersTestsAndConstantArgumentsPrune) {
  Snippet S(std::string(Decls) + R"(
    void main_only() { if (mode != IDLE) return; frees++; }
    void close_client(int async) { if (async) later++; else frees++; }
    void reader() { if (mode == READ) main_only(); }
    void idler() { if (mode == IDLE) main_only(); }
    void closes_later() { close_client(1); }
    void forwards(int a) { close_client(a); }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &M = summaries(S);
  EXPECT_EQ(required(M.summaryOf(S.function("reader")), "frees"), "?");
  EXPECT_EQ(required(M.summaryOf(S.function("idler")), "frees"), "mode==0");
  EXPECT_EQ(required(M.summaryOf(S.function("closes_later")), "frees"), "?");
  EXPECT_EQ(required(M.summaryOf(S.function("closes_later")), "later"), "");
  EXPECT_EQ(required(M.summaryOf(S.function("forwards")), "frees"), "a==0");
}

TEST(FlagFactsTest, TwoWaysToOneAccessNeedWhatBothNeed) {
  Snippet S(std::string(Decls) + R"(
    void main_only() { if (mode != IDLE) return; frees++; }
    void any_mode() { frees++; }
    void both() { main_only(); any_mode(); }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_EQ(required(summaries(S).summaryOf(S.function("both")), "frees"), "");
}

} // namespace
