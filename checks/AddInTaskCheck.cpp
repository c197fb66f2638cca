//===--- AddInTaskCheck.cpp - concheck-add-in-task ------------------------===//
//
// Part of concheck.
//
// A task that calls its group's done() is counted by that group. When the
// add() that balances that done() runs inside the task rather than in the
// spawner before the spawn, wait() can see a zero counter and return before
// the task has started: the seed's gotcha #2, and go vet's waitgroup
// analyzer, which only looks at the goroutine's first statement. Here any
// statement of the task counts; a task already counted when it starts (by
// go() or an add just before its spawn) may add for the children it spawns.
//
//===----------------------------------------------------------------------===//

#include "AddInTaskCheck.h"
#include "model/BodyCFG.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace concheck {

/// The fix-it moving \p Add (the task's first statement) before the spawn,
/// when that is certainly the same program with the add in the right place.
static void addMoveFix(const model::Task &T, const model::GroupOp &Add,
                       const std::string &AddText, DiagnosticBuilder &D,
                       ASTContext &Ctx, model::TaskModel &Parents) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  // Only a lambda whose first statement is the add, naming the group as the
  // spawner can (a variable captured by reference or a global).
  if (!T.S.Lambda)
    return;
  // Written at the spawn: a lambda stored in a variable first may also run
  // elsewhere, where the add would go missing.
  if (model::stripWrappers(T.S.Callable) != T.S.Lambda)
    return;
  const auto *Body = dyn_cast<CompoundStmt>(T.S.Lambda->getBody());
  if (!Body || Body->body_empty() || Body->body_front() != Add.Call)
    return;
  const auto *Ref =
      dyn_cast_or_null<DeclRefExpr>(Add.Object->IgnoreParenImpCasts());
  if (!Ref)
    return;
  const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
  if (!Var || Var->isInitCapture() ||
      (!Ref->refersToEnclosingVariableOrCapture() && Var->hasLocalStorage()))
    return;
  if (Add.Call->getBeginLoc().isMacroID())
    return;
  // The statement holding the spawn must be a statement of a block (not
  // the body of an unbraced loop, where an inserted statement would leave the
  // loop): climb through expressions and the declaration to it.
  const Stmt *Holder = T.S.Site;
  const Stmt *P = Parents.parentOf(T, Holder);
  while (P && (isa<Expr>(P) || isa<DeclStmt>(P))) {
    Holder = P;
    P = Parents.parentOf(T, P);
  }
  if (!P || !isa<CompoundStmt>(P))
    return;
  SourceLocation InsertAt = Holder->getBeginLoc();
  if (InsertAt.isMacroID())
    return;
  bool Invalid = false;
  StringRef Buffer = SM.getBufferData(SM.getFileID(InsertAt), &Invalid);
  if (Invalid)
    return;
  unsigned Off = SM.getFileOffset(InsertAt);
  unsigned LineStart = Off;
  while (LineStart > 0 && Buffer[LineStart - 1] != '\n')
    --LineStart;
  StringRef IndentText = Buffer.slice(LineStart, Off);
  if (!IndentText.trim().empty())
    return; // something else before it on the line
  // Remove the add statement (and its line, when alone on it).
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      Add.Call->getEndLoc(), tok::semi, SM, LO, false);
  if (AfterSemi.isInvalid())
    return;
  unsigned B = SM.getFileOffset(Add.Call->getBeginLoc());
  unsigned E = SM.getFileOffset(AfterSemi);
  unsigned LS = B;
  while (LS > 0 && (Buffer[LS - 1] == ' ' || Buffer[LS - 1] == '\t'))
    --LS;
  unsigned LE = E;
  while (LE < Buffer.size() && (Buffer[LE] == ' ' || Buffer[LE] == '\t'))
    ++LE;
  CharSourceRange Removal;
  if (LS > 0 && Buffer[LS - 1] == '\n' && LE < Buffer.size() &&
      Buffer[LE] == '\n')
    Removal = CharSourceRange::getCharRange(
        Add.Call->getBeginLoc().getLocWithOffset(-static_cast<int>(B - LS + 1)),
        AfterSemi.getLocWithOffset(static_cast<int>(LE - E)));
  else
    Removal = CharSourceRange::getCharRange(Add.Call->getBeginLoc(), AfterSemi);
  D << FixItHint::CreateInsertion(InsertAt, AddText + ";\n" + IndentText.str())
    << FixItHint::CreateRemoval(Removal);
}

/// How the spawner would call go() on \p G ("wg.go(...)", "p->go(...)"), or
/// just "go(...)" when the spawner has no name for it (a parameter or a local
/// of the task function).
static std::string goSpelling(const model::AccessPath &G,
                              const model::Task &T) {
  if (G.isThisRooted()) {
    const auto *MD = dyn_cast<CXXMethodDecl>(T.Spawner);
    if (!MD || !MD->isInstance())
      return "go(...)";
  } else {
    for (const DeclContext *DC = G.root()->getDeclContext(); DC;
         DC = DC->getParent())
      if (DC == T.S.Body)
        return "go(...)";
  }
  const std::string Spelled = G.str();
  llvm::StringRef Path = Spelled;
  // Inside a member function 'this->' goes without saying.
  Path.consume_front("this->");
  if (Path == "this")
    return "go(...)";
  if (Path.consume_front("*"))
    return (Path + "->go(...)").str();
  return (Path + ".go(...)").str();
}

void AddInTaskCheck::checkTask(const model::Task &T, ASTContext &Ctx) {
  for (const model::AccessPath &G : tasks().doneGroups(T)) {
    // Counted before it starts: its own adds are for children it spawns, or
    // balance one another.
    if (tasks().countedByGo(T, G) || tasks().pairedAdd(T, G))
      continue;
    const model::GroupOp *First = nullptr;
    for (const model::GroupOp &Op : T.Ops)
      if (Op.K == model::GroupOp::Add && Op.Group && *Op.Group == G &&
          (!First || Ctx.getSourceManager().isBeforeInTranslationUnit(
                         Op.Call->getBeginLoc(), First->Call->getBeginLoc())))
        First = &Op;
    if (!First)
      continue;
    SourceLocation Loc = First->Call->getBeginLoc();
    if (!firstReport(Loc, "add-in-task"))
      continue;
    const std::string AddText = text(First->Call, Ctx);
    {
      auto D = diag(Loc, "'%0' runs inside the task it counts, so 'wait()' "
                         "can return before the task starts")
               << AddText;
      addMoveFix(T, *First, AddText, D, Ctx, tasks());
    }
    noteSpawn(T);
    const CXXRecordDecl *RD = First->Call->getMethodDecl()->getParent();
    if (model::qualifiedName(RD) == "concheck::wait_group")
      diag(T.S.Site->getBeginLoc(),
           "'%0' counts the task and starts it in one call",
           DiagnosticIDs::Note)
          << goSpelling(G, T);
  }
}

} // namespace concheck
