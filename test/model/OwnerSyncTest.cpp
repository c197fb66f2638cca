//===--- OwnerSyncTest.cpp - Tasks left running, and what joins them ------===//

#include "ModelTestSupport.h"
#include "model/BodyCFG.h"
#include "model/ModelContext.h"
#include "model/SpawnModel.h"
#include "model/SyncModel.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

ModelContext &model(Snippet &S) {
  return ModelContext::get(S.context(), ModelOptions{});
}

/// Where the first task \p Spawner starts runs on after it returns.
SpawnerSync::LeftRunning leftRunning(Snippet &S, const FunctionDecl *Spawner) {
  if (!Spawner) {
    ADD_FAILURE() << "no such function";
    return SpawnerSync::LeftRunning::No;
  }
  ModelContext &M = model(S);
  const std::vector<Task> &Tasks = M.tasks().tasksOf(Spawner);
  const BodyCFG *Body = getBodyCFG(Spawner);
  if (Tasks.empty() || !Body) {
    ADD_FAILURE() << "no task in " << Spawner->getNameAsString();
    return SpawnerSync::LeftRunning::No;
  }
  const Bindings Locals = SpawnModel::localPointerBindings(Spawner);
  SpawnerSync Sync(M, Spawner, *Body, Locals);
  return Sync.leftRunning(Tasks.front());
}

/// Whether \p FD joins on every path: no way out of its body avoids a join.
bool joinsEveryPath(Snippet &S, const FunctionDecl *FD) {
  OwnerSync Owner(model(S));
  const BodyCFG *Body = FD ? getBodyCFG(FD) : nullptr;
  return Body &&
         findEscapes(
             *Body, entryOf(*Body),
             [&](const CFGElement &E) { return Owner.isJoin(FD, E); },
             [&](const CFGBlock *B, unsigned I) {
               return Owner.isJoinEdge(FD, B, I);
             })
             .empty();
}

constexpr const char *Worker = R"(
  #include <thread>
  #include <vector>
  int compute(int);
  class Worker {
  public:
    Worker() : poller_([this] { v_ = 1; }) {}
    void start() { t_ = std::thread([this] { v_ = compute(v_); }); }
    void start_and_join() {
      t_ = std::thread([this] { v_ = 2; });
      t_.join();
    }
    void local() {
      std::thread t([this] { v_ = 3; });
      t.join();
    }
    void many() { pool_.emplace_back([this] { v_ = 4; }); }
    void detached() { std::thread([this] { v_ = 5; }).detach(); }
    void stop() { t_.join(); }
    void stop_if() {
      if (t_.joinable())
        t_.join();
    }
    void stop_all() {
      for (std::thread &t : pool_)
        t.join();
    }
    void stop_through_helper() { stop_if(); }
    void maybe_stop(bool b) {
      if (b)
        t_.join();
    }
    int read() const { return v_; }
    static void helper();
  protected:
    void prot() {}
  private:
    void priv() {}
    std::thread t_, poller_;
    std::vector<std::thread> pool_;
    int v_ = 0;
  };
  std::thread g_t;
  int g;
  void start_global() { g_t = std::thread([] { g = 1; }); }
  void detach_free() { std::thread([] { g = 2; }).detach(); }
  void stop_global() { g_t.join(); }
)";

TEST(OwnerSyncTest, WhereATaskRunsOn) {
  Snippet S(Worker);
  ASSERT_TRUE(S.valid());
  using LR = SpawnerSync::LeftRunning;
  EXPECT_EQ(leftRunning(S, S.function("start")), LR::OnObject);
  EXPECT_EQ(leftRunning(S, S.function("many")), LR::OnObject);
  EXPECT_EQ(leftRunning(S, S.function("detached")), LR::OnObject);
  EXPECT_EQ(leftRunning(S, S.function("Worker")), LR::OnObject);
  // Joined before the function returns, or a local thread.
  EXPECT_EQ(leftRunning(S, S.function("start_and_join")), LR::No);
  EXPECT_EQ(leftRunning(S, S.function("local")), LR::No);
  EXPECT_EQ(leftRunning(S, S.function("start_global")), LR::InGlobal);
  // A free function's detached thread is left out (see leftRunning).
  EXPECT_EQ(leftRunning(S, S.function("detach_free")), LR::No);
}

TEST(OwnerSyncTest, WhatJoinsOnEveryPath) {
  Snippet S(Worker);
  ASSERT_TRUE(S.valid());
  EXPECT_TRUE(joinsEveryPath(S, S.function("stop")));
  // Not joinable: joined already, or never started.
  EXPECT_TRUE(joinsEveryPath(S, S.function("stop_if")));
  // A loop of joins over a member container, through zero iterations too.
  EXPECT_TRUE(joinsEveryPath(S, S.function("stop_all")));
  EXPECT_TRUE(joinsEveryPath(S, S.function("stop_through_helper")));
  EXPECT_TRUE(joinsEveryPath(S, S.function("stop_global")));
  EXPECT_FALSE(joinsEveryPath(S, S.function("maybe_stop")));
  EXPECT_FALSE(joinsEveryPath(S, S.function("read")));
}

TEST(OwnerSyncTest, MembersTheUsersMayCall) {
  Snippet S(Worker);
  ASSERT_TRUE(S.valid());
  const auto *Start = cast<CXXMethodDecl>(S.function("start"));
  std::vector<std::string> Names;
  for (const CXXMethodDecl *M : OwnerSync::callableMembers(Start->getParent()))
    Names.push_back(M->getNameAsString());
  auto Has = [&](const char *N) {
    return std::find(Names.begin(), Names.end(), N) != Names.end();
  };
  EXPECT_TRUE(Has("read")) << ::testing::PrintToString(Names);
  EXPECT_TRUE(Has("stop"));
  EXPECT_TRUE(Has("prot"));
  // Not private ones, not constructors, not static ones or ones with no body.
  EXPECT_FALSE(Has("priv"));
  EXPECT_FALSE(Has("Worker"));
  EXPECT_FALSE(Has("helper"));
}

TEST(OwnerSyncTest, WindowsOfAThreadKeptInAGlobal) {
  Snippet S(R"(
    #include <thread>
    std::thread g_t;
    int g;
    void start() { g_t = std::thread([] { g = 1; }); }
    void stop() { if (g_t.joinable()) g_t.join(); }
    void configure() { g = 0; }
    int peek() { return g; }
    void start_and_stop() { start(); stop(); }
    void program() { configure(); start(); peek(); stop(); }
    int main() { start_and_stop(); program(); }
  )");
  ASSERT_TRUE(S.valid());
  OwnerSync Owner(model(S));
  llvm::SmallPtrSet<const Decl *, 4> None;
  std::vector<std::string> Names;
  for (const OwnerSync::Window &W :
       Owner.globalWindows(S.function("start"), None))
    Names.push_back(W.F->getNameAsString());
  auto Count = [&](const char *N) {
    return std::count(Names.begin(), Names.end(), N);
  };
  // program() runs beside the task after its call to start(); peek() is
  // seen through it. main() calls start_and_stop(), which joins on every
  // path after its start: no window. configure() is called before start().
  EXPECT_EQ(Count("program"), 1) << ::testing::PrintToString(Names);
  EXPECT_EQ(Count("start_and_stop"), 1);
  EXPECT_EQ(Count("main"), 0);
  EXPECT_EQ(Count("configure"), 0);
  EXPECT_EQ(Count("peek"), 0);
  EXPECT_EQ(Count("start"), 0);
}

} // namespace
