//===--- AccessPathTest.cpp - Canonical names for memory locations --------===//

#include "ModelTestSupport.h"
#include "model/AccessPath.h"
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
