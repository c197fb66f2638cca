//===--- TaskCheckBase.cpp - Common plumbing of the task checks -----------===//

#include "TaskCheckBase.h"
#include "ModelOptions.h"
#include "model/BodyCFG.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace concheck {

TaskCheckBase::TaskCheckBase(StringRef Name,
                             clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Opts(readModelOptions(Options)) {}

void TaskCheckBase::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &OptionMap) {
  storeTaskModelOptions(Options, OptionMap, Opts.Spawns, Opts.Groups);
}

void TaskCheckBase::onStartOfTranslationUnit() {
  Visited.clear();
  Reported.clear();
}

void TaskCheckBase::registerMatchers(MatchFinder *Finder) {
  // Every function defined outside system headers may start tasks; the model
  // walks each body once (no AST parent map).
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()))
                         .bind("spawner"),
                     this);
}

void TaskCheckBase::check(const MatchFinder::MatchResult &Result) {
  const auto *Spawner = Result.Nodes.getNodeAs<FunctionDecl>("spawner");
  if (!Spawner || !Visited.insert(Spawner).second)
    return;
  // Templates are analysed in their instantiations, where types are known.
  if (Spawner->isDependentContext() || Spawner->isInvalidDecl())
    return;
  Model = &model::ModelContext::get(*Result.Context, Opts);
  checkFunction(Spawner, *Result.Context);
  for (const model::Task &T : tasks().tasksOf(Spawner)) {
    // A library's own tasks are the library's business. A task whose body
    // is not visible is still checked: what the spawner does around it (an
    // add nothing can balance) may be certain all the same.
    if (T.S.Body && T.S.Body->hasBody() &&
        Result.SourceManager->isInSystemHeader(T.S.Body->getLocation()))
      continue;
    checkTask(T, *Result.Context);
  }
}

bool TaskCheckBase::firstReport(SourceLocation Loc, StringRef Key) {
  return Reported.insert({Loc.getRawEncoding(), Key.str()}).second;
}

std::string TaskCheckBase::text(const Expr *E, const ASTContext &Ctx) {
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  Range = Lexer::makeFileCharRange(Range, Ctx.getSourceManager(),
                                   Ctx.getLangOpts());
  std::string Text =
      Lexer::getSourceText(Range, Ctx.getSourceManager(), Ctx.getLangOpts())
          .str();
  // One line, no runs of blanks: messages quote it.
  std::string Out;
  bool Blank = false;
  for (char C : Text) {
    if (C == '\n' || C == '\t' || C == ' ') {
      Blank = true;
      continue;
    }
    if (Blank && !Out.empty())
      Out += ' ';
    Blank = false;
    Out += C;
  }
  return Out;
}

void TaskCheckBase::noteSpawn(const model::Task &T) {
  diag(T.S.Site->getBeginLoc(), "task started here", DiagnosticIDs::Note);
}

} // namespace concheck
