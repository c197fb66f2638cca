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

TEST(LockSetTest, ARecursiveMutexIsHeldUntilUnlockedAsOften) {
  Snippet S(std::string(Decls) + R"(
    std::recursive_mutex r;
    void f() {
      r.lock(); r.lock(); r.unlock(); x = 1;
      r.unlock(); x = 2;
      { std::lock_guard<std::recursive_mutex> g(r); r.lock(); x = 3; }
      x = 4;
      r.unlock(); x = 5;
      r.lock();
      if (cond()) r.lock();
      r.unlock(); x = 6;
    }
    // A plain mutex taken twice is not held twice.
    void g() { m.lock(); m.lock(); m.unlock(); x = 1; }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(heldAt(S, "f", 0, "r"));
  EXPECT_FALSE(heldAt(S, "f", 1, "r"));
  EXPECT_TRUE(heldAt(S, "f", 2, "r"));
  EXPECT_TRUE(heldAt(S, "f", 3, "r"));
  EXPECT_FALSE(heldAt(S, "f", 4, "r"));
  // Held twice on one path only: one unlock may let it go.
  EXPECT_FALSE(heldAt(S, "f", 5, "r"));
  EXPECT_FALSE(heldAt(S, "g", 0));
}

TEST(LockSetTest, LockSetCountsHoldsAndMeetsAtTheFewer) {
  Snippet S(std::string(Decls) + "void f() { m.lock(); }");
  ASSERT_TRUE(S.valid());
  const VarDecl *M = nullptr;
  for (const DeclRefExpr *R : S.all<DeclRefExpr>(S.function("f")))
    if (R->getDecl()->getName() == "m")
      M = cast<VarDecl>(R->getDecl());
  ASSERT_TRUE(M);
  const AccessPath P = AccessPath::ofDecl(M);
  LockSet A, B;
  A.add({P, false});
  A.add({P, false}, /*Again=*/true);
  A.add({P, false}, /*Again=*/true);
  EXPECT_EQ(A.extraHolds(P), 2u);
  B.add({P, false});
  B.add({P, false}); // not again: one hold
  EXPECT_EQ(B.extraHolds(P), 0u);
  EXPECT_NE(A, B);
  LockSet C = A;
  C.intersect(B);
  EXPECT_EQ(C, B);
  EXPECT_TRUE(A.releaseOne(P));
  EXPECT_TRUE(A.releaseOne(P));
  EXPECT_FALSE(A.releaseOne(P));
  EXPECT_FALSE(A.holds(P));
  EXPECT_TRUE(A.empty());
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

namespace {

TEST(LockSetTest, LocksByTheirShape) {
  Snippet S(R"(
    #include <mutex>
    #include <pthread.h>
    struct Spin { void lock(); void unlock(); bool try_lock(); };
    struct Absl { void Lock(); void Unlock(); };
    struct HalfLock { void lock(); };
    class Hidden { void lock(); void unlock(); };
    struct Handle { explicit Handle(Spin &s); void lock(); void unlock(); };
    struct Derived : Spin {};
    Spin s; Absl a; Derived d; pthread_spinlock_t ps;
    int x;
    void f() {
      { std::lock_guard<Spin> g(s); x = 1; }
      a.Lock(); x = 2; a.Unlock();
      d.lock(); x = 3; d.unlock();
      pthread_spin_lock(&ps); x = 4; pthread_spin_unlock(&ps);
      if (pthread_spin_trylock(&ps) == 0) { x = 5; pthread_spin_unlock(&ps); }
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(heldAt(S, "f", 0, "s"));
  EXPECT_TRUE(heldAt(S, "f", 1, "a"));
  EXPECT_TRUE(heldAt(S, "f", 2, "d"));
  EXPECT_TRUE(heldAt(S, "f", 3, "ps"));
  EXPECT_TRUE(heldAt(S, "f", 4, "ps"));
  LockModel Model(LockModelOptions{});
  const FunctionDecl *F = S.function("f");
  ASSERT_TRUE(F);
  auto RecordNamed = [&](llvm::StringRef Name) -> const CXXRecordDecl * {
    for (const Decl *D : F->getASTContext().getTranslationUnitDecl()->decls())
      if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
        if (RD->getName() == Name && RD->isThisDeclarationADefinition())
          return RD;
    return nullptr;
  };
  EXPECT_TRUE(Model.isMutexRecord(RecordNamed("Spin")));
  EXPECT_TRUE(Model.isMutexRecord(RecordNamed("Absl")));
  EXPECT_TRUE(Model.isMutexRecord(RecordNamed("Derived")));
  // Half a lock, private members, a handle (or a guard) that is given a
  // lock by its constructor.
  ASSERT_TRUE(RecordNamed("HalfLock") && RecordNamed("Hidden") &&
              RecordNamed("Handle"));
  EXPECT_FALSE(Model.isMutexRecord(RecordNamed("HalfLock")));
  EXPECT_FALSE(Model.isMutexRecord(RecordNamed("Hidden")));
  EXPECT_FALSE(Model.isMutexRecord(RecordNamed("Handle")));
}

} // namespace
