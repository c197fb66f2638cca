//===--- UnguardedWriteCheck.h - concheck-unguarded-write -------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_UNGUARDEDWRITECHECK_H
#define CONCHECK_CHECKS_UNGUARDEDWRITECHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelContext.h"
#include "llvm/ADT/DenseSet.h"
#include <set>
#include <string>

namespace concheck {

/// Finds a location written by a spawned task and accessed concurrently
/// (by another run of the task, the spawner before it joins, or another
/// task) with no common lock held and no atomic type: a data race.
///
/// For the user-facing documentation see:
/// docs/checks/unguarded-write.md
class UnguardedWriteCheck : public clang::tidy::ClangTidyCheck {
public:
  UnguardedWriteCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onStartOfTranslationUnit() override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    // C too: pthreads and C11 threads (no C++ is needed to race).
    return LangOpts.CPlusPlus || LangOpts.C99;
  }

private:
  void analyzeSpawner(const clang::FunctionDecl *Spawner,
                      clang::ASTContext &Ctx);
  /// The races between the threads of \p Fn's OpenMP parallel regions.
  void analyzeParallelRegions(const clang::FunctionDecl *Fn,
                              clang::ASTContext &Ctx);

  /// Whether a race on \p Location at the task start (or region) \p Site
  /// is not reported yet: one report per location and start.
  bool firstReport(clang::SourceLocation Site,
                   const model::AccessPath &Location) {
    return Reported.insert({Site.getRawEncoding(), Location.str()}).second;
  }

  const model::ModelOptions Opts;
  llvm::DenseSet<const clang::FunctionDecl *> Visited;
  std::set<std::pair<clang::SourceLocation::UIntTy, std::string>> Reported;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_UNGUARDEDWRITECHECK_H
