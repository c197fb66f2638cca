//===--- MissingDoneCheck.cpp - concheck-missing-done ---------------------===//
//
// Part of concheck.
//
// Every path of a counted task, from its entry to its exit, must call the
// group's done() exactly once (the seed's gotcha #1: a forgotten done makes
// wait() block forever). Over the task's CFG, each way out that passes no
// done (an early return, a break out of the task's loop, an explicit throw)
// is reported where it leaves, and a path that meets done twice where it meets
// it the second time. A done_guard or any local object whose destructor calls
// done is a done at the end of its scope; paths that end in [[noreturn]]
// calls or never end (a server loop) are not ways out, as in Go's lostcancel
// analyzer. A task started by go() is counted and finished by go() itself.
//
//===----------------------------------------------------------------------===//

#include "MissingDoneCheck.h"
#include "model/BodyCFG.h"
#include "model/PathQuery.h"
#include "clang/AST/ASTContext.h"

using namespace clang;

namespace concheck {

/// How a done on \p G is spelled in this task, for messages: the first done
/// call's text, or "done()" on the group's method name.
static std::string doneSpelling(const model::Task &T, const model::AccessPath &G,
                                const ASTContext &Ctx,
                                std::string (*Text)(const Expr *,
                                                    const ASTContext &)) {
  for (const model::GroupOp &Op : T.Ops)
    if (Op.counts() && Op.Group && *Op.Group == G)
      return Text(Op.Call, Ctx);
  for (const model::DoneGuard &DG : T.Guards)
    if (DG.Group == G)
      return DG.Var->getType().getUnqualifiedType().getAsString() + "'s done";
  return "done()";
}

void MissingDoneCheck::checkTask(const model::Task &T, ASTContext &Ctx) {
  const model::BodyCFG *Body = model::getBodyCFG(T.S.Body);

  for (const model::AccessPath &G : tasks().doneGroups(T)) {
    // go() calls done when the task ends: a done of the task's own on top of
    // it is one too many.
    if (tasks().countedByGo(T, G)) {
      for (const model::GroupOp &Op : T.Ops)
        if (Op.counts() && Op.Group && *Op.Group == G &&
            firstReport(Op.Call->getBeginLoc(), "done-in-go")) {
          diag(Op.Call->getBeginLoc(),
               "'%0' in a task started by 'go()', which calls done itself "
               "when the task ends")
              << text(Op.Call, Ctx);
          noteSpawn(T);
        }
      continue;
    }
    if (!Body)
      continue;
    auto IsDone = [&](const CFGElement &E) {
      return tasks().isDoneEvent(T, G, E);
    };
    const std::string Done = doneSpelling(T, G, Ctx, &TaskCheckBase::text);
    const model::PathStart Entry = model::entryOf(*Body);

    for (const model::Escape &Esc : model::findEscapes(*Body, Entry, IsDone)) {
      if (Esc.Jump) {
        SourceLocation Loc = Esc.Jump->getBeginLoc();
        if (!firstReport(Loc, "skips:" + G.str()))
          continue;
        diag(Loc, "'%0' leaves the task without calling '%1'")
            << model::jumpKeyword(Esc.Jump) << Done;
        noteSpawn(T);
        continue;
      }
      const auto *BodyStmt = dyn_cast<CompoundStmt>(T.S.Body->getBody());
      if (!BodyStmt)
        continue;
      SourceLocation End = BodyStmt->getRBracLoc();
      if (!firstReport(End, "end:" + G.str()))
        continue;
      diag(End, "the task can reach its end without calling '%0'") << Done;
      noteSpawn(T);
    }

    if (std::optional<model::Repeat> R =
            model::findRepeat(*Body, Entry, IsDone)) {
      SourceLocation Second = R->Second;
      if (Second.isValid() && firstReport(Second, "twice:" + G.str())) {
        diag(Second, "'%0' can run twice in this task") << Done;
        diag(R->First, R->First == Second ? "it is in a loop"
                                          : "first call on this path",
             DiagnosticIDs::Note);
        noteSpawn(T);
      }
    }
  }
}

} // namespace concheck
