//===--- LockSetTest.cpp - Locks held at each point of a body -------------===//

#include "ModelTestSupport.h"
#include "model/BodyCFG.h"
#include "model/LockSetAnalysis.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

/// Whether mutex \p Mutex (a global) is held at the \p N-th assignment of
/// \p FnName on every path to it.
bool heldAt(Snippet &S, llvm::StringRef FnName, unsigned N,
            llvm::StringRef Mutex = "m") {
  const FunctionDecl *F = S.function(FnName);
  const BodyCFG *Body = getBodyCFG(F);
  LockModel Model(LockModelOptions{});
  LockSetAnalysis Locks(*Body, Model);
  std::vector<const BinaryOperator *> Assigns;
  for (const BinaryOperator *BO : S.all<BinaryOperator>(F))
    if (BO->getOpcode() == BO_Assign)
      Assigns.push_back(BO);
  EXPECT_LT(N, Assigns.size());
  std::optional<LockSet> Held = Locks.heldAt(Assigns[N]);
  EXPECT_TRUE(Held);
  if (!Held)
    return false;
  for (const HeldLock &L : Held->locks())
    if (L.Mutex.root() && L.Mutex.root()->getName() == Mutex)
      return true;
  return false;
}

constexpr const char *Decls = R"(
  #include <mutex>
  std::mutex m;
  int x;
  bool cond();
)";

TEST(LockSetTest, AGuardHoldsItsMutexForItsScope) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      { std::lock_guard<std::mutex> g(m); x = 1; }
      x = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(heldAt(S, "f", 0));
  EXPECT_FALSE(heldAt(S, "f", 1));
}

TEST(LockSetTest, ManualLockUntilUnlock) {
  Snippet S(std::string(Decls) + R"(
    void f() { m.lock(); x = 1; m.unlock(); x = 2; }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(heldAt(S, "f", 0));
  EXPECT_FALSE(heldAt(S, "f", 1));
}

TEST(LockSetTest, HeldOnSomePathsIsNotHeld) {
  Snippet S(std::string(Decls) + R"(
    void f() { if (cond()) m.lock(); x = 1; }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_FALSE(heldAt(S, "f", 0));
}

TEST(LockSetTest, TryLockHoldsOnItsSuccessBranch) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      if (m.try_lock()) { x = 1; m.unlock(); }
      else x = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(heldAt(S, "f", 0));
  EXPECT_FALSE(heldAt(S, "f", 1));
}

TEST(LockSetTest, UniqueLockUnlocksAndRelocks) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      std::unique_lock<std::mutex> l(m);
      l.unlock();
      x = 1;
      l.lock();
      x = 2;
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_FALSE(heldAt(S, "f", 0));
  EXPECT_TRUE(heldAt(S, "f", 1));
}

} // namespace
