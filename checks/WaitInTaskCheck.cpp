//===--- WaitInTaskCheck.cpp - concheck-wait-in-task ----------------------===//
//
// Part of concheck.
//
// A task that a group counts and that waits on the same group while its own
// count is still outstanding waits for itself: the counter cannot reach zero
// until the task calls done, and the task does not get there (the seed's
// gotcha #3, "no nested waits"). The wait may be in the task's body or in a
// function of this translation unit that the task calls, with the group
// passed by reference or pointer; a wait on another group (a child's) and a
// wait after the task's own done are fine.
//
//===----------------------------------------------------------------------===//

#include "WaitInTaskCheck.h"
#include "model/BodyCFG.h"
#include "model/PathQuery.h"
#include "clang/AST/ASTContext.h"

using namespace clang;

namespace concheck {

void WaitInTaskCheck::checkTask(const model::Task &T, ASTContext &Ctx) {
  // The groups that count this task: the ones it calls done on, and the one
  // whose go() started it.
  llvm::SmallVector<model::AccessPath, 2> Counting = tasks().doneGroups(T);
  if (T.S.K == model::Spawn::WaitGroupGo && T.S.Executor) {
    const Expr *Obj = T.S.Executor;
    std::optional<model::AccessPath> G =
        model::AccessPath::ofObject(Obj, &T.B);
    if (G && llvm::find(Counting, *G) == Counting.end())
      Counting.push_back(*G);
  }
  const model::BodyCFG *Body = model::getBodyCFG(T.S.Body);
  if (!Body)
    return;

  for (const model::AccessPath &G : Counting) {
    const bool ByGo = tasks().countedByGo(T, G);
    // Whether some path from the task's entry reaches \p Target before a
    // done on G (under go() the task's done comes only after it returns).
    auto BeforeDone = [&](const Stmt *Target) {
      return model::reachesAvoiding(
          *Body, model::entryOf(*Body), Target, [&](const CFGElement &E) {
            return !ByGo && tasks().isDoneEvent(T, G, E);
          });
    };
    for (const model::ReachedOp &R : tasks().waitsOn(T, G)) {
      // The statement in the task's own body that waits: the wait itself or
      // the first call of the chain that leads to it.
      const Stmt *InTask = R.Chain.empty()
                               ? static_cast<const Stmt *>(R.Op.Call)
                               : static_cast<const Stmt *>(R.Chain.front());
      // Only while the task's own count is outstanding: some path reaches
      // the wait before any done, in the task and in each function on the
      // way to the wait (a helper may count the task down first; the
      // summaries say so).
      if (!BeforeDone(InTask) || (!ByGo && R.AfterDoneInCallees))
        continue;
      SourceLocation Loc = InTask->getBeginLoc();
      if (!firstReport(Loc, "wait-in-task:" + G.str()))
        continue;
      if (R.Chain.empty()) {
        diag(Loc, "'%0' inside a task that the group counts: the task waits "
                  "for itself (deadlock)")
            << text(R.Op.Call, Ctx);
      } else {
        const auto *Call = R.Chain.front();
        const FunctionDecl *Callee = Call->getDirectCallee();
        diag(Loc, "call to '%0' waits on a group that counts this task: the "
                  "task waits for itself (deadlock)")
            << (Callee ? Callee->getNameAsString() : std::string("function"));
        for (size_t I = 1; I < R.Chain.size(); ++I)
          diag(R.Chain[I]->getBeginLoc(), "which calls this",
               DiagnosticIDs::Note);
        diag(R.Op.Call->getBeginLoc(), "'%0' waits here", DiagnosticIDs::Note)
            << text(R.Op.Call, Ctx);
      }
      noteSpawn(T);
    }
  }
}

} // namespace concheck
