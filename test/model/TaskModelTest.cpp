//===--- TaskModelTest.cpp - Spawned tasks and the groups that count them -===//

#include "ModelTestSupport.h"
#include "model/BodyCFG.h"
#include "model/ModelContext.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace concheck::model;
using concheck::test::Snippet;

namespace {

std::vector<std::string> spelled(const llvm::SmallVectorImpl<AccessPath> &Ps) {
  std::vector<std::string> Out;
  for (const AccessPath &P : Ps)
    Out.push_back(P.str());
  return Out;
}

TEST(TaskModelTest, EverySpawnIsATaskWithItsBody) {
  Snippet S(R"(
    #include <thread>
    #include <concheck/wait_group.h>
    void work(int);
    void f() {
      concheck::wait_group wg;
      std::thread a([] { work(1); });
      wg.go([] { work(2); });
      a.join();
      wg.wait();
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  TaskModel &Tasks = ModelContext::get(S.context(), {}).tasks();
  const std::vector<Task> &All = Tasks.tasksOf(F);
  ASSERT_EQ(All.size(), 2u);
  EXPECT_EQ(All[0].S.K, Spawn::StdThread);
  EXPECT_EQ(All[0].S.Body, S.lambdaIn("f", 0));
  EXPECT_EQ(All[1].S.K, Spawn::WaitGroupGo);
  EXPECT_TRUE(Tasks.countedByGo(All[1], AccessPath::ofDecl(S.var(F, "wg"))));
}

TEST(TaskModelTest, DoneOnTheSpawnersGroupCountsTheTask) {
  Snippet S(R"(
    #include <thread>
    #include <concheck/wait_group.h>
    void finish(concheck::wait_group &g) { g.done(); }
    void f() {
      concheck::wait_group wg;
      wg.add(2);
      std::thread a([&] { wg.done(); });
      std::thread b([&] { finish(wg); });
      wg.wait();
      a.join();
      b.join();
    }
  )");
  ASSERT_TRUE(S.valid());
  TaskModel &Tasks = ModelContext::get(S.context(), {}).tasks();
  const std::vector<Task> &All = Tasks.tasksOf(S.function("f"));
  ASSERT_EQ(All.size(), 2u);
  EXPECT_EQ(spelled(Tasks.doneGroups(All[0])), std::vector<std::string>{"wg"});
  EXPECT_EQ(spelled(Tasks.doneGroups(All[1])), std::vector<std::string>{"wg"});
}

TEST(TaskModelTest, AGroupTheTaskDeclaresIsNotOneThatCountsIt) {
  Snippet S(R"(
    #include <thread>
    #include <concheck/wait_group.h>
    void work();
    void f() {
      concheck::wait_group outer;
      outer.add(1);
      std::thread t([&] {
        concheck::wait_group inner;
        inner.add(1);
        std::thread child([&] { work(); inner.done(); });
        child.detach();
        inner.wait();
        outer.done();
      });
      outer.wait();
      t.join();
    }
  )");
  ASSERT_TRUE(S.valid());
  TaskModel &Tasks = ModelContext::get(S.context(), {}).tasks();
  // The spawns of f's body, its lambdas' included: t and child.
  const std::vector<Task> &All = Tasks.tasksOf(S.function("f"));
  ASSERT_EQ(All.size(), 2u);
  const Task &Outer = All[0];
  ASSERT_EQ(Outer.S.Body, S.lambdaIn("f", 0));
  // inner's ops are about the task's children; child's lambda runs on its
  // own thread, so its variable is no scope-exit guard.
  EXPECT_EQ(spelled(Tasks.doneGroups(Outer)),
            std::vector<std::string>{"outer"});
  EXPECT_TRUE(Outer.Guards.empty());
  for (const GroupOp &Op : Outer.Ops)
    EXPECT_EQ(Op.Group->str(), "outer");
}

TEST(TaskModelTest, ARecursionsGroupIsNewInEveryCall) {
  Snippet S(R"(
    #include <concheck/wait_group.h>
    void fan_out(int depth) {
      if (depth == 0) return;
      concheck::wait_group wg;
      wg.go([depth] { fan_out(depth - 1); });
      wg.wait();
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("fan_out");
  TaskModel &Tasks = ModelContext::get(S.context(), {}).tasks();
  const std::vector<Task> &All = Tasks.tasksOf(F);
  ASSERT_EQ(All.size(), 1u);
  // The callee's wg.wait() is on the callee's own group, not the spawner's.
  EXPECT_TRUE(
      Tasks.waitsOn(All[0], AccessPath::ofDecl(S.var(F, "wg"))).empty());
}

TEST(TaskModelTest, GroupOperationsAtAnyDepthThroughSummaries) {
  Snippet S(R"(
    #include <thread>
    #include <concheck/wait_group.h>
    void count_down(concheck::wait_group *g) { g->done(); }
    void finish(concheck::wait_group &g) { count_down(&g); }
    void settle(concheck::wait_group &g) { g.wait(); }
    void done_then_wait(concheck::wait_group &g) { g.done(); g.wait(); }
    void deep(concheck::wait_group &g) { settle(g); }
    void f() {
      concheck::wait_group wg;
      wg.add(3);
      std::thread a([&] { finish(wg); });
      std::thread b([&] { deep(wg); wg.done(); });
      std::thread c([&] { done_then_wait(wg); });
      wg.wait();
      a.join();
      b.join();
      c.join();
    }
  )");
  ASSERT_TRUE(S.valid());
  const FunctionDecl *F = S.function("f");
  TaskModel &Tasks = ModelContext::get(S.context(), {}).tasks();
  const std::vector<Task> &All = Tasks.tasksOf(F);
  ASSERT_EQ(All.size(), 3u);
  const AccessPath WG = AccessPath::ofDecl(S.var(F, "wg"));
  // A done two calls deep counts the task, as a done in its body does.
  EXPECT_EQ(spelled(Tasks.doneGroups(All[0])), std::vector<std::string>{"wg"});
  // A wait two calls deep is found, with the chain down to it.
  llvm::SmallVector<ReachedOp, 2> Waits = Tasks.waitsOn(All[1], WG);
  ASSERT_EQ(Waits.size(), 1u);
  EXPECT_EQ(Waits[0].Chain.size(), 2u);
  EXPECT_FALSE(Waits[0].AfterDoneInCallees);
  // A helper that counts the task down before it waits.
  Waits = Tasks.waitsOn(All[2], WG);
  ASSERT_EQ(Waits.size(), 1u);
  EXPECT_TRUE(Waits[0].AfterDoneInCallees);
  // The call of a function that calls done is a done event in the task.
  const BodyCFG *Body = getBodyCFG(All[0].S.Body);
  ASSERT_TRUE(Body);
  bool Found = false;
  for (const CFGBlock *B : Body->cfg())
    for (const CFGElement &E : *B)
      Found |= Tasks.isDoneEvent(All[0], WG, E);
  EXPECT_TRUE(Found);
}

} // namespace
