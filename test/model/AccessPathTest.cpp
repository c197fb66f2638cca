//===--- AccessPathTest.cpp - Canonical names for memory locations --------===//

#include "ModelTestSupport.h"
#include "model/AccessPath.h"
#include "model/SpawnModel.h"
#include "clang/AST/Expr.h"
#include "gtest/gtest.h"

using namespace clang;
using concheck::model::AccessPath;
using concheck::model::Bindings;
using concheck::test::Snippet;

namespace {

/// The path of the left side of the \p N-th assignment in \p F, spelled.
std::string lhsPath(Snippet &S, const FunctionDecl *F, unsigned N,
                    const Bindings *B = nullptr) {
  std::vector<const BinaryOperator *> Assigns;
  for (const BinaryOperator *BO : S.all<BinaryOperator>(F))
    if (BO->isAssignmentOp())
      Assigns.push_back(BO);
  if (N >= Assigns.size())
    return "<no assignment>";
  std::optional<AccessPath> P = AccessPath::of(Assigns[N]->getLHS(), B);
  return P ? P->str() : "<none>";
}

TEST(AccessPathTest, FieldsIndicesAndDereferences) {
  Snippet S(R"(
    struct Inner { int v[4]; };
    struct Outer {
      Inner in; int *p; int n;
      void f() { n = 1; in.v[2] = 0; *p = 3; this->n = 4; }
    };
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(lhsPath(S, F, 0), "this->n");
  EXPECT_EQ(lhsPath(S, F, 1), "this->in.v[2]");
  EXPECT_EQ(lhsPath(S, F, 2), "*this->p");
  EXPECT_EQ(lhsPath(S, F, 3), "this->n");
}

TEST(AccessPathTest, AGetterNamesTheObjectItReturns) {
  Snippet S(R"(
    struct State { int field; };
    State g, h;
    struct Single {
      int count;
      static Single *instance() { static Single s; return &s; }
    };
    State &get() { return g; }
    State &either(bool b) { if (b) return g; return h; }
    State &param(State &s) { return s; }
    struct Box {
      State st;
      State &state() { return st; }
      virtual State &virt() { return st; }
    };
    void f(Box &box, Box *pb) {
      Single::instance()->count = 1;
      get().field = 2;
      box.state().field = 3;
      pb->state().field = 4;
      either(true).field = 5;
      param(g).field = 6;
      box.virt().field = 7;
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(lhsPath(S, F, 0), "s.count");
  EXPECT_EQ(lhsPath(S, F, 1), "g.field");
  EXPECT_EQ(lhsPath(S, F, 2), "box.st.field");
  EXPECT_EQ(lhsPath(S, F, 3), "pb->st.field");
  // Two objects, a parameter's object, a virtual call: no name.
  EXPECT_EQ(lhsPath(S, F, 4), "<none>");
  EXPECT_EQ(lhsPath(S, F, 5), "<none>");
  EXPECT_EQ(lhsPath(S, F, 6), "<none>");
}

TEST(AccessPathTest, AReferenceNamesWhatItIsBoundTo) {
  Snippet S(R"(
    #include <vector>
    struct Account { int balance; };
    int x;
    void f(std::vector<Account> &accounts, int i) {
      int &r = x;
      r = 1;
      Account &a = accounts[i];   // no name of its own: the reference names it
      a.balance = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(lhsPath(S, F, 0), "x");
  EXPECT_EQ(lhsPath(S, F, 1), "a.balance");
}

TEST(AccessPathTest, ARangeForReferenceIsAnElementOfTheRange) {
  Snippet S(R"(
    #include <vector>
    int cells[4];
    void f(std::vector<int> &v) {
      for (int &c : cells) c = 0;
      for (int &e : v) e = 1;
      for (int copy : v) copy = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(lhsPath(S, F, 0), "cells[c]");
  EXPECT_EQ(lhsPath(S, F, 1), "v[e]");
  EXPECT_EQ(lhsPath(S, F, 2), "copy"); // a copy is a variable of its own
}

TEST(AccessPathTest, WhatCannotBeNamedHasNoPath) {
  Snippet S(R"(
    int a[8];
    int &pick();
    void f(int i) { a[i + 1] = 0; pick() = 1; }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(lhsPath(S, F, 0), "<none>");
  EXPECT_EQ(lhsPath(S, F, 1), "<none>");
}

TEST(AccessPathTest, BindingsNameParametersInTheCallersTerms) {
  Snippet S(R"(
    struct Counter { int hits; };
    Counter global;
    void bump(Counter &c, Counter *p) { c.hits = 1; p->hits = 2; }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("bump");
  const VarDecl *Global = nullptr;
  for (const Decl *D : S.context().getTranslationUnitDecl()->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getName() == "global")
      Global = VD;
  ASSERT_NE(Global, nullptr);
  Bindings B;
  B.bindReference(S.var(F, "c"), AccessPath::ofDecl(Global));
  B.bindPointer(S.var(F, "p"), AccessPath::ofDecl(Global));
  EXPECT_EQ(lhsPath(S, F, 0, &B), "global.hits");
  EXPECT_EQ(lhsPath(S, F, 1, &B), "global.hits");
  EXPECT_EQ(lhsPath(S, F, 0), "c.hits");
  EXPECT_EQ(lhsPath(S, F, 1), "p->hits");
}

TEST(AccessPathTest, AnyElementForgetsTheIndex) {
  Snippet S(R"(
    int a[8][8];
    void f(int i) { a[i][3] = 0; }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  const auto *Assign = S.all<BinaryOperator>(F).front();
  std::optional<AccessPath> P = AccessPath::of(Assign->getLHS());
  ASSERT_TRUE(P);
  std::optional<AccessPath::Step> First;
  AccessPath Any = P->anyElement(First);
  EXPECT_EQ(Any.str(), "a[][]");
  ASSERT_TRUE(First);
  EXPECT_EQ(First->Kind, AccessPath::StepKind::IndexVar);
  EXPECT_EQ(First->Decl, S.var(F, "i"));
}

} // namespace

namespace {

TEST(AccessPathTest, SubstituteMovesACalleesPathIntoTheCaller) {
  Snippet S(R"(
    struct Counter { int hits; int *slot; void bump(); };
    Counter global;
    int tally;
    void add(Counter &c, Counter *p, int n) {
      int local = 0;
      c.hits = n; p->hits = n; tally = n; local = n;
    }
    void Counter::bump() { hits = 1; *slot = 2; }
    void caller(Counter &mine) {
      add(global, &mine, 1);
      mine.bump();
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *Add = S.function("add");
  const FunctionDecl *Bump = S.function("bump");
  const FunctionDecl *Caller = S.function("caller");
  auto Assigns = [&](const FunctionDecl *F) {
    std::vector<AccessPath> Out;
    for (const BinaryOperator *BO : S.all<BinaryOperator>(F))
      if (BO->isAssignmentOp())
        Out.push_back(*AccessPath::of(BO->getLHS()));
    return Out;
  };
  auto Spelled = [](const std::optional<AccessPath> &P) {
    return P ? P->str() : std::string("<none>");
  };
  Bindings AtAdd = concheck::model::bindCall(S.call(Caller, "add"), Add, {});
  std::vector<AccessPath> InAdd = Assigns(Add);
  ASSERT_EQ(InAdd.size(), 4u);
  EXPECT_EQ(Spelled(InAdd[0].substitute(AtAdd)), "global.hits");
  EXPECT_EQ(Spelled(InAdd[1].substitute(AtAdd)), "mine.hits");
  EXPECT_EQ(Spelled(InAdd[2].substitute(AtAdd)), "tally");  // a global
  EXPECT_EQ(Spelled(InAdd[3].substitute(AtAdd)), "<none>"); // the callee's own

  Bindings AtBump = concheck::model::bindCall(S.call(Caller, "bump"), Bump, {});
  std::vector<AccessPath> InBump = Assigns(Bump);
  ASSERT_EQ(InBump.size(), 2u);
  EXPECT_EQ(Spelled(InBump[0].substitute(AtBump)), "mine.hits");
  EXPECT_EQ(Spelled(InBump[1].substitute(AtBump)), "*mine.slot");
  // Nothing bound: only globals cross.
  EXPECT_EQ(Spelled(InBump[0].substitute(Bindings())), "<none>");
}

} // namespace
