//===--- TaskCheckBase.h - Common plumbing of the task checks ---*- C++ -*-===//
//
// Part of concheck. The wait-group checks all visit every spawn in the
// translation unit and reason about it through the shared model; this base
// owns the models, reads their options, finds the spawners, and deduplicates
// reports (a task function spawned from several places, or a template
// instantiated several times, reports each defect once).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_TASKCHECKBASE_H
#define CONCHECK_CHECKS_TASKCHECKBASE_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelContext.h"
#include "llvm/ADT/DenseSet.h"
#include <set>
#include <string>

namespace concheck {

class TaskCheckBase : public clang::tidy::ClangTidyCheck {
public:
  TaskCheckBase(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onStartOfTranslationUnit() override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

protected:
  /// Called once for each function defined outside system headers (in its
  /// instantiations for a template), before the tasks it starts.
  virtual void checkFunction(const clang::FunctionDecl *FD,
                             clang::ASTContext &Ctx) {}

  /// Called once for each task the translation unit starts. The task's body
  /// (T.S.Body) may be unknown or have no definition here.
  virtual void checkTask(const model::Task &T, clang::ASTContext &Ctx) = 0;

  /// False when the same diagnostic was already emitted at \p Loc.
  bool firstReport(clang::SourceLocation Loc, llvm::StringRef Key);

  /// The source text of \p E, for messages ("wg.done()").
  static std::string text(const clang::Expr *E, const clang::ASTContext &Ctx);

  /// Emits the "task started here" note at \p T's spawn.
  void noteSpawn(const model::Task &T);

  /// The translation unit's task model (valid within checkTask).
  model::TaskModel &tasks() { return Model->tasks(); }
  /// The model's options, as read from CheckOptions.
  const model::ModelOptions &modelOptions() const { return Opts; }
  /// The translation unit's whole model (valid within the calls above).
  model::ModelContext &model() { return *Model; }
  const model::WaitGroupModel &groups() const { return Model->groups(); }

private:
  const model::ModelOptions Opts;
  model::ModelContext *Model = nullptr;
  llvm::DenseSet<const clang::FunctionDecl *> Visited;
  std::set<std::pair<clang::SourceLocation::UIntTy, std::string>> Reported;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_TASKCHECKBASE_H
