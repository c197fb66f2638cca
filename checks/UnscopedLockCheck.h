//===--- UnscopedLockCheck.h - concheck-unscoped-lock -----------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_UNSCOPEDLOCKCHECK_H
#define CONCHECK_CHECKS_UNSCOPEDLOCKCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/LockModel.h"
#include "llvm/ADT/DenseSet.h"
#include <set>
#include <string>
#include <utility>

namespace concheck {

/// Finds mutexes locked and unlocked by hand instead of by a scoped guard,
/// paths that leave such a mutex locked, and unnamed guards that unlock at once.
///
/// For the user-facing documentation see:
/// docs/checks/unscoped-lock.md
class UnscopedLockCheck : public clang::tidy::ClangTidyCheck {
public:
  UnscopedLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Ctx);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onStartOfTranslationUnit() override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  void analyzeCallable(const clang::FunctionDecl *Callable,
                       clang::ASTContext &Ctx);
  void checkUnnamedGuard(const clang::CXXConstructExpr *Construct,
                         const clang::CXXFunctionalCastExpr *Cast,
                         const clang::FunctionDecl *Callable,
                         clang::ASTContext &Ctx);
  void checkParenthesizedGuard(const clang::VarDecl *Guard,
                               const clang::FunctionDecl *Callable,
                               clang::ASTContext &Ctx);
  /// False when a diagnostic with the same location and text was already
  /// emitted in this translation unit (templates analyse once per
  /// instantiation).
  bool firstReport(clang::SourceLocation Loc, llvm::StringRef Key);

  const bool IgnoreMacros;
  const model::LockModelOptions ModelOptions;
  const model::LockModel Model;
  llvm::DenseSet<const clang::FunctionDecl *> Analyzed;
  std::set<std::pair<clang::SourceLocation::UIntTy, std::string>> Reported;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_UNSCOPEDLOCKCHECK_H
