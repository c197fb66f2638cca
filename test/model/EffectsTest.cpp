//===--- EffectsTest.cpp - What each element of a body does, fact by fact -===//

#include "model/Effects.h"
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
  #include <concheck/wait_group.h>
  std::mutex m;
  void unlock_all() { m.unlock(); }
  void lock_all() { m.lock(); }
  void finish(concheck::wait_group &g) { g.done(); }
  void finish_later(concheck::wait_group &g) { finish(g); }
  void work();
)";

std::string spell(const Effect &E) {
  static const char *const Names[] = {
      "acquire", "try",    "release",   "guard-end", "bind", "guard-unlock",
      "relock",  "forget", "scope-end", "done",      "wait"};
  std::string S = Names[E.K];
  switch (E.K) {
  case Effect::Done:
  case Effect::Wait:
    S += ":" + E.Group.str();
    break;
  case Effect::GuardBind:
    S += ":" + E.Var->getName().str() + "=" + E.Lock.Mutex.str();
    break;
  case Effect::GuardUnlock:
  case Effect::GuardRelock:
  case Effect::GuardForget:
  case Effect::ScopeEnd:
    S += ":" + E.Var->getName().str();
    break;
  default:
    S += ":" + E.Lock.Mutex.str();
  }
  if (E.Adopt)
    S += "(adopt)";
  if (E.Via)
    S += "(via)";
  return S;
}

/// Every effect of \p F's body, in the order of its CFG's blocks (entry
/// first) and elements.
std::vector<std::string> effects(Snippet &S, const FunctionDecl *F,
                                 unsigned Want = BodyEffects::All) {
  ModelContext &Ctx = ModelContext::get(S.context(), ModelOptions{});
  BodyEffects Effects(Ctx.locks(), &Ctx.groups(), &Ctx.summaries(), F, nullptr);
  std::vector<std::string> Out;
  const CFG &G = getBodyCFG(F)->cfg();
  std::vector<const CFGBlock *> Blocks(G.begin(), G.end());
  // Blocks are numbered from the exit up: the entry has the highest id.
  std::sort(Blocks.begin(), Blocks.end(),
            [](const CFGBlock *A, const CFGBlock *B) {
              return A->getBlockID() > B->getBlockID();
            });
  for (const CFGBlock *Blk : Blocks)
    for (const CFGElement &E : *Blk) {
      llvm::SmallVector<Effect, 2> Found;
      Effects.of(E, Found, Want);
      for (const Effect &Eff : Found)
        Out.push_back(spell(Eff));
    }
  return Out;
}

TEST(EffectsTest, ManualLocksAndHelpersThatLockOrUnlock) {
  Snippet S(std::string(Decls) + R"(
    void f() { m.lock(); unlock_all(); lock_all(); m.unlock(); }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_EQ(effects(S, S.function("f")),
            (std::vector<std::string>{"acquire:m", "release:m(via)",
                                      "acquire:m(via)", "release:m"}));
}

TEST(EffectsTest, GuardsBindTheirVariableAndLetGoAtTheEndOfScope) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      { std::lock_guard<std::mutex> g(m); work(); }
      std::unique_lock<std::mutex> u(m);
      u.unlock();
      u.lock();
      u.release();
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_EQ(effects(S, S.function("f")),
            (std::vector<std::string>{"acquire:m", "bind:g=m", "scope-end:g",
                                      "acquire:m", "bind:u=m", "guard-unlock:u",
                                      "relock:u", "forget:u", "scope-end:u"}));
}

TEST(EffectsTest, AdoptionAndTryLock) {
  Snippet S(std::string(Decls) + R"(
    void f() {
      m.lock();
      std::lock_guard<std::mutex> g(m, std::adopt_lock);
    }
    void t() {
      if (m.try_lock())
        m.unlock();
    }
  )");
  ASSERT_TRUE(S.valid());
  EXPECT_EQ(effects(S, S.function("f")),
            (std::vector<std::string>{"acquire:m", "acquire:m(adopt)",
                                      "bind:g=m", "scope-end:g"}));
  EXPECT_EQ(effects(S, S.function("t")),
            (std::vector<std::string>{"try:m", "release:m"}));
}

TEST(EffectsTest, DonesAndWaitsAtAnyDepthOfCalls) {
  Snippet S(std::string(Decls) + R"(
    void f(concheck::wait_group &wg) {
      finish_later(wg);
      wg.wait();
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  EXPECT_EQ(effects(S, F),
            (std::vector<std::string>{"done:wg(via)", "wait:wg"}));
  // Only what is asked for.
  EXPECT_TRUE(effects(S, F, BodyEffects::Locks).empty());
}

TEST(EffectsTest, TheTestsTheChecksAsk) {
  Snippet S(std::string(Decls) + R"(
    void f(concheck::wait_group &wg, bool c) {
      m.lock();
      if (c) { unlock_all(); return; }
      finish(wg);
      m.unlock();
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  ModelContext &Ctx = ModelContext::get(S.context(), ModelOptions{});
  BodyEffects Effects(Ctx.locks(), &Ctx.groups(), &Ctx.summaries(), F, nullptr);
  std::optional<AccessPath> M, WG;
  for (const DeclRefExpr *Ref : S.all<DeclRefExpr>(F))
    if (!WG && Ref->getDecl() == S.var(F, "wg"))
      WG = AccessPath::ofObject(Ref);
  unsigned Releases = 0, Locks = 0, Dones = 0;
  for (const CFGBlock *Blk : getBodyCFG(F)->cfg())
    for (const CFGElement &E : *Blk) {
      llvm::SmallVector<Effect, 2> Found;
      Effects.of(E, Found, BodyEffects::Locks);
      for (const Effect &Eff : Found)
        if (!M && Eff.K == Effect::Acquire)
          M = Eff.Lock.Mutex;
    }
  ASSERT_TRUE(M && WG);
  for (const CFGBlock *Blk : getBodyCFG(F)->cfg())
    for (const CFGElement &E : *Blk) {
      Releases += Effects.releases(E, *M);
      Locks += Effects.locks(E, *M);
      Dones += Effects.countsDown(E, *WG);
      EXPECT_FALSE(Effects.countsDown(E, *M));
    }
  EXPECT_EQ(Releases, 2u); // unlock_all() and m.unlock()
  EXPECT_EQ(Locks, 1u);
  EXPECT_EQ(Dones, 1u); // finish(wg)
}

} // namespace
