//===--- ModelContextTest.cpp - The model of one translation unit ---------===//

#include "ModelTestSupport.h"
#include "model/BodyCFG.h"
#include "model/ModelContext.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

constexpr const char *Code = R"(
  #include <thread>
  int x;
  void f() { std::thread t([] { x = 1; }); t.join(); }
)";

TEST(ModelContextTest, ChecksWithTheSameOptionsShareOneContext) {
  Snippet S(Code);
  ASSERT_TRUE(S.valid());
  ModelOptions Defaults;
  ModelOptions Other;
  Other.Locks.MutexTypes = "::app::SpinLock";
  ModelContext &A = ModelContext::get(S.context(), Defaults);
  EXPECT_EQ(&A, &ModelContext::get(S.context(), Defaults));
  EXPECT_NE(&A, &ModelContext::get(S.context(), Other));
  // The task model's facts are found once and kept.
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(&A.tasks().tasksOf(F), &A.tasks().tasksOf(F));
}

TEST(ModelContextTest, ACFGIsBuiltOncePerBody) {
  Snippet S(Code);
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  const BodyCFG *First = getBodyCFG(F);
  ASSERT_NE(First, nullptr);
  EXPECT_EQ(First, getBodyCFG(F));
}

TEST(ModelContextTest, EachTranslationUnitHasItsOwn) {
  Snippet One(Code), Two(Code);
  ASSERT_TRUE(One.valid() && Two.valid());
  EXPECT_NE(&ModelContext::get(One.context(), {}),
            &ModelContext::get(Two.context(), {}));
  EXPECT_NE(getBodyCFG(One.function("f")), getBodyCFG(Two.function("f")));
}

} // namespace
