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
#include "PathNotes.h"
#include "model/BodyCFG.h"
#include "model/PathQuery.h"
#include "clang/AST/ASTContext.h"

using namespace clang;

namespace concheck {

/// "wg.done()" / "p->done()": the done member of the group \p Object names,
/// called on it as written.
static std::string
callSpelling(const Expr *Object, const model::WaitGroupModel &Groups,
             const ASTContext &Ctx,
             std::string (*Text)(const Expr *, const ASTContext &)) {
  const bool Pointer = Object->getType()->isPointerType();
  std::string Method = Groups.methodFor(
      model::recordOf(Object->getType(), /*ThroughPointer=*/true),
      model::GroupOp::Done);
  if (Method.empty())
    Method = "done";
  return Text(Object, Ctx) + (Pointer ? "->" : ".") + Method + "()";
}

/// How a done on \p G is spelled in this task, for messages: the first done
/// call's text, or the group as a guard names it with the group's done member
/// ("wg.done()").
static std::string
doneSpelling(const model::Task &T, const model::AccessPath &G,
             const model::WaitGroupModel &Groups, const ASTContext &Ctx,
             std::string (*Text)(const Expr *, const ASTContext &)) {
  for (const model::GroupOp &Op : T.Ops)
    if (Op.counts() && Op.Group && *Op.Group == G)
      return Text(Op.Call, Ctx);
  for (const model::DoneGuard &DG : T.Guards)
    if (DG.Group == G && DG.GroupExpr)
      return callSpelling(DG.GroupExpr, Groups, Ctx, Text);
  // A done in a function the task calls: the group as the task names it.
  if (const auto *VD = dyn_cast_or_null<VarDecl>(G.root());
      VD && G.steps().empty())
    if (std::string Method = Groups.methodFor(
            model::recordOf(VD->getType(), /*ThroughPointer=*/true),
            model::GroupOp::Done);
        !Method.empty())
      return G.spelling() + "." + Method + "()";
  return "done()";
}

void MissingDoneCheck::checkTask(const model::Task &T, ASTContext &Ctx) {
  const model::BodyCFG *Body = model::getBodyCFG(T.S.Body);
  const llvm::SmallVector<model::AccessPath, 2> DoneGroups =
      tasks().doneGroups(T);

  for (const model::AccessPath &G : DoneGroups) {
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
    // Past a guard's construction done is certain, also when a throw unwinds
    // (the CFG leads a throw straight to the exit, without destructors).
    auto DoneIsCertain = [&](const CFGElement &E) {
      return IsDone(E) || tasks().startsDoneGuard(T, G, E);
    };
    const std::string Done =
        doneSpelling(T, G, groups(), Ctx, &TaskCheckBase::text);
    const model::PathStart Entry = model::entryOf(*Body);

    for (const model::Escape &Esc :
         model::findEscapes(*Body, Entry, DoneIsCertain)) {
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
      noteVia(*this, Esc.Via);
      noteSpawn(T);
    }

    // A task that adds on the group itself (for one more unit of its own
    // work, as Go allows) balances an extra done with that add; counting
    // both along each path is more than this check does.
    const bool AddsItself = llvm::any_of(T.Ops, [&](const model::GroupOp &Op) {
      return Op.K == model::GroupOp::Add && Op.Group && *Op.Group == G;
    });
    if (std::optional<model::Repeat> R =
            AddsItself ? std::nullopt
                       : model::findRepeat(*Body, Entry, IsDone)) {
      // Report at a call the user wrote rather than at a guard's
      // declaration: the guard is the other done.
      SourceLocation At = R->Second, Other = R->First;
      const VarDecl *OtherGuard = R->FirstDestroyed;
      if (R->SecondDestroyed && !R->FirstDestroyed) {
        std::swap(At, Other);
        OtherGuard = R->SecondDestroyed;
      }
      if (At.isValid() && firstReport(At, "twice:" + G.str())) {
        diag(At, "'%0' can run twice in this task") << Done;
        if (At == Other)
          diag(Other, "it is in a loop", DiagnosticIDs::Note);
        else if (OtherGuard)
          diag(Other, "'%0' also calls it when it goes out of scope",
               DiagnosticIDs::Note)
              << OtherGuard->getName();
        else
          diag(Other, "first call on this path", DiagnosticIDs::Note);
        noteSpawn(T);
      }
    }
  }

  // A task counted by the add just before its spawn, on a group whose done
  // nothing can call: wait() blocks forever.
  if (T.S.K == model::Spawn::WaitGroupGo)
    return;
  for (const model::GroupOp &Add : tasks().pairedAdds(T)) {
    if ((Add.Amount && *Add.Amount <= 0) ||
        llvm::is_contained(DoneGroups, *Add.Group) ||
        !tasks().neverCountedDown(T.Spawner, *Add.Group))
      continue;
    SourceLocation Loc = T.S.Site->getBeginLoc();
    if (!firstReport(Loc, "never:" + Add.Group->str()))
      continue;
    diag(Loc, "the task never calls '%0'")
        << callSpelling(Add.Object, groups(), Ctx, &TaskCheckBase::text);
    diag(Add.Call->getBeginLoc(), "'%0' counts it", DiagnosticIDs::Note)
        << text(Add.Call, Ctx);
  }
}

} // namespace concheck
