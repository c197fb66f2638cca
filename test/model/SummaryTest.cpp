//===--- SummaryTest.cpp - Function summaries, fact by fact ---------------===//

#include "model/Summary.h"
#include "ModelTestSupport.h"
#include "model/BodyCFG.h"
#include "model/ModelContext.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

constexpr const char *Decls = R"(
  #include <mutex>
  std::mutex m;
  int x, y;
  struct Account { int balance; std::mutex mu; };
)";

SummaryModel &summaries(Snippet &S) {
  return ModelContext::get(S.context(), ModelOptions{}).summaries();
}

/// The summary's entries, as "location:w" / "location:r" with the held
/// locks after '@' ("x:w@m"), in order.
std::vector<std::string> entries(const FunctionSummary *Sum) {
  std::vector<std::string> Out;
  if (!Sum)
    return Out;
  for (const FunctionSummary::Entry &E : Sum->Accesses) {
    std::string S = E.A.Location.str() + (E.A.Write ? ":w" : ":r");
    for (const HeldLock &L : E.Held.locks())
      S += "@" + L.Mutex.str();
    Out.push_back(S);
  }
  return Out;
}

std::vector<std::string> names(const LockSet &L) {
  std::vector<std::string> Out;
  for (const HeldLock &H : L.locks())
    Out.push_back(H.Mutex.str());
  return Out;
}

bool contains(const std::vector<std::string> &V, const std::string &S) {
  return std::find(V.begin(), V.end(), S) != V.end();
}

TEST(SummaryTest, OwnWritesInTheCalleesTerms) {
  Snippet S(std::string(Decls) + R"(
    void deposit(Account &a, int n) { a.balance += n; int local = n; local++; }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionSummary *Sum = summaries(S).summaryOf(S.function("deposit"));
  ASSERT_TRUE(Sum);
  std::vector<std::string> E = entries(Sum);
  EXPECT_TRUE(contains(E, "a.balance:w")) << ::testing::PrintToString(E);
  // The callee's own local and by-value parameter are nobody else's.
  for (const std::string &Entry : E) {
    EXPECT_EQ(Entry.find("local"), std::string::npos) << Entry;
    EXPECT_NE(Entry, "n:r");
  }
}

TEST(SummaryTest, LocksHeldAtEachAccess) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      { std::lock_guard<std::mutex> g(m); x = 1; }
      y = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  std::vector<std::string> E = entries(summaries(S).summaryOf(S.function("f")));
  EXPECT_TRUE(contains(E, "x:w@m")) << ::testing::PrintToString(E);
  EXPECT_TRUE(contains(E, "y:w")) << ::testing::PrintToString(E);
}

TEST(SummaryTest, ACalleesAccessesMapOntoTheCallersArguments) {
  Snippet S(std::string(Decls) + R"(
    void add_to(Account *a) { a->balance += 1; }
    void settle(Account &acct) { std::lock_guard<std::mutex> g(m); add_to(&acct); }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionSummary *Sum = summaries(S).summaryOf(S.function("settle"));
  ASSERT_TRUE(Sum);
  std::vector<std::string> E = entries(Sum);
  EXPECT_TRUE(contains(E, "acct.balance:w@m")) << ::testing::PrintToString(E);
  // The chain names the call to add_to.
  for (const FunctionSummary::Entry &En : Sum->Accesses)
    if (En.A.Location.str() == "acct.balance")
      EXPECT_EQ(En.Chain.size(), 1u);
}

TEST(SummaryTest, LockAndUnlockHelpers) {
  Snippet S(std::string(Decls) + R"(
    void acquire_m() { m.lock(); }
    void release_m() { m.unlock(); }
    void lock_then_unlock() { acquire_m(); x = 1; release_m(); y = 1; }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &Sums = summaries(S);
  const FunctionSummary *Lock = Sums.summaryOf(S.function("acquire_m"));
  const FunctionSummary *Unlock = Sums.summaryOf(S.function("release_m"));
  ASSERT_TRUE(Lock && Unlock);
  EXPECT_EQ(names(Lock->HeldOnReturn), std::vector<std::string>{"m"});
  EXPECT_TRUE(Lock->ReleasedUnheld.empty());
  EXPECT_TRUE(Unlock->HeldOnReturn.empty());
  EXPECT_EQ(names(Unlock->ReleasedUnheld), std::vector<std::string>{"m"});
  std::vector<std::string> E =
      entries(Sums.summaryOf(S.function("lock_then_unlock")));
  EXPECT_TRUE(contains(E, "x:w@m")) << ::testing::PrintToString(E);
  EXPECT_TRUE(contains(E, "y:w")) << ::testing::PrintToString(E);
  // Balanced: nothing left held, nothing released that it did not take.
  const FunctionSummary *Both = Sums.summaryOf(S.function("lock_then_unlock"));
  EXPECT_TRUE(Both->HeldOnReturn.empty());
  EXPECT_TRUE(Both->ReleasedUnheld.empty());
}

TEST(SummaryTest, ALambdaHandedToACalleeKeepsItsMakersThis) {
  Snippet S(std::string(Decls) + R"(
    struct Tally {
      std::mutex mu_;
      int count_ = 0;
      template <class F> void with(F f) { std::lock_guard<std::mutex> g(mu_); f(); }
      void add() { with([this] { ++count_; }); }
    };
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &Sums = summaries(S);
  const FunctionDecl *Add = S.function("add");
  const FunctionDecl *With = nullptr;
  for (const CallExpr *C : S.all<CallExpr>(Add))
    if (const FunctionDecl *FD = C->getDirectCallee();
        FD && FD->getName() == "with")
      With = FD;
  ASSERT_TRUE(With);
  // In with<>: the write is to the maker's member, under with's own lock.
  const FunctionSummary *InWith = Sums.summaryOf(With);
  ASSERT_TRUE(InWith);
  ASSERT_EQ(InWith->Accesses.size(), 1u);
  const FunctionSummary::Entry &E = InWith->Accesses.front();
  EXPECT_TRUE(E.A.Write);
  EXPECT_TRUE(E.A.Location.capturedThisOf());
  EXPECT_EQ(E.A.Location.spelling(), "count_");
  EXPECT_EQ(names(E.Held), std::vector<std::string>{"this->mu_"});
  EXPECT_FALSE(E.Held.locks().front().Mutex.capturedThisOf());
  // In the maker, its own 'this' again: the same member, the same lock.
  const FunctionSummary *InAdd = Sums.summaryOf(Add);
  ASSERT_TRUE(InAdd);
  ASSERT_EQ(InAdd->Accesses.size(), 1u);
  EXPECT_TRUE(InAdd->Accesses.front().A.Location.isThisRooted());
  EXPECT_EQ(entries(InAdd),
            std::vector<std::string>{"this->count_:w@this->mu_"});
  EXPECT_EQ(InAdd->Accesses.front().Chain.size(), 2u); // with(), f()
}

TEST(SummaryTest, AReturnedGuardHoldsItsMutex) {
  Snippet S(std::string(Decls) + R"(
    std::unique_lock<std::mutex> hold_m() { return std::unique_lock<std::mutex>(m); }
    std::unique_lock<std::mutex> hold_named() {
      std::unique_lock<std::mutex> l(m);
      return l;
    }
    void f() { auto g = hold_named(); x = 1; }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &Sums = summaries(S);
  const FunctionSummary *Hold = Sums.summaryOf(S.function("hold_m"));
  ASSERT_TRUE(Hold && Hold->ReturnedGuard);
  EXPECT_EQ(Hold->ReturnedGuard->Mutex.str(), "m");
  const FunctionSummary *Named = Sums.summaryOf(S.function("hold_named"));
  ASSERT_TRUE(Named && Named->ReturnedGuard);
  EXPECT_EQ(Named->ReturnedGuard->Mutex.str(), "m");
  std::vector<std::string> E = entries(Sums.summaryOf(S.function("f")));
  EXPECT_TRUE(contains(E, "x:w@m")) << ::testing::PrintToString(E);
}

TEST(SummaryTest, AConstructorThatLocksWhatItIsHandedIsAGuard) {
  Snippet S(std::string(Decls) + R"(
    struct Holder {
      explicit Holder(Account &a) : a_(a) { a_.mu.lock(); }
      ~Holder() { a_.mu.unlock(); }
      Account &a_;
    };
    void f(Account &acct) {
      { Holder h(acct); acct.balance = 1; }
      acct.balance = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  std::vector<std::string> E = entries(summaries(S).summaryOf(S.function("f")));
  EXPECT_TRUE(contains(E, "acct.balance:w@acct.mu"))
      << ::testing::PrintToString(E);
  EXPECT_TRUE(contains(E, "acct.balance:w")) << ::testing::PrintToString(E);
}

TEST(SummaryTest, RecursionReachesAFixedPointAndEnds) {
  Snippet S(std::string(Decls) + R"(
    struct Node { Node *next; int mark; };
    void walk(Node *n) { if (!n) return; n->mark = 1; walk(n->next); }
    void ping(int k);
    void pong(int k) { x = k; if (k) ping(k - 1); }
    void ping(int k) { y = k; if (k) pong(k - 1); }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &Sums = summaries(S);
  const FunctionSummary *Walk = Sums.summaryOf(S.function("walk"));
  ASSERT_TRUE(Walk);
  EXPECT_TRUE(contains(entries(Walk), "n->mark:w"))
      << ::testing::PrintToString(entries(Walk));
  EXPECT_LE(Walk->Accesses.size(), SummaryModel::MaxAccesses);
  // Mutual recursion: each sees the other's write.
  std::vector<std::string> Ping = entries(Sums.summaryOf(S.function("ping")));
  EXPECT_TRUE(contains(Ping, "x:w")) << ::testing::PrintToString(Ping);
  EXPECT_TRUE(contains(Ping, "y:w")) << ::testing::PrintToString(Ping);
}

TEST(SummaryTest, WhatTheCodeDoesNotShowHasNoSummary) {
  Snippet S(std::string(Decls) + R"(
    void external(Account &a);
    struct Base { virtual void put() = 0; virtual ~Base() = default; };
    struct D1 : Base { void put() override { x = 1; } };
    void f(Account &a, Base &b, void (*fp)()) { external(a); b.put(); fp(); }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &Sums = summaries(S);
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(Sums.calleeOf(S.call(F, "external")), nullptr);
  EXPECT_EQ(Sums.calleeOf(S.call(F, "put")), nullptr);
  const FunctionSummary *Sum = Sums.summaryOf(F);
  ASSERT_TRUE(Sum);
  EXPECT_TRUE(entries(Sum).empty() || !contains(entries(Sum), "x:w"))
      << ::testing::PrintToString(entries(Sum));
}

TEST(SummaryTest, ALambdaCalledInPlaceWritesWhatItCapturedByReference) {
  Snippet S(std::string(Decls) + R"(
    void f(int &out) {
      int copy = 0;
      auto bump = [&out, copy]() mutable { ++out; ++copy; };
      bump();
    }
  )");
  ASSERT_TRUE(S.valid());
  std::vector<std::string> E = entries(summaries(S).summaryOf(S.function("f")));
  EXPECT_TRUE(contains(E, "out:w")) << ::testing::PrintToString(E);
  EXPECT_FALSE(contains(E, "copy:w")) << ::testing::PrintToString(E);
}

TEST(SummaryTest, EachFunctionIsSummarizedOnce) {
  Snippet S(std::string(Decls) + R"(
    void leaf() { x = 1; }
    void mid() { leaf(); leaf(); }
    void top() { mid(); leaf(); }
  )");
  ASSERT_TRUE(S.valid());
  SummaryModel &Sums = summaries(S);
  Sums.summaryOf(S.function("top"));
  EXPECT_EQ(Sums.computed(), 3u);
  Sums.summaryOf(S.function("mid"));
  Sums.summaryOf(S.function("leaf"));
  EXPECT_EQ(Sums.computed(), 3u);
}

} // namespace
