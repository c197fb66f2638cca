//===--- LockCheckBase.h - Common plumbing of the lock checks ---*- C++ -*-===//
//
// Part of concheck. Three checks read the same facts of a function body: its
// lock operations, the guards it declares or discards, and whether it is the
// implementation of a lock itself. concheck-unscoped-lock gives the style
// advice (a scoped guard instead of lock()/unlock(), CP.20);
// concheck-unbalanced-lock and concheck-unnamed-guard report the bugs (a
// path that leaves a mutex locked; a guard that unlocks at once, CP.44). They
// are apart so that CI can gate on the bugs alone. This base owns the lock
// model and the IgnoreMacros option, walks each body once, and deduplicates
// reports (a template is analysed once per instantiation).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_LOCKCHECKBASE_H
#define CONCHECK_CHECKS_LOCKCHECKBASE_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/BodyCFG.h"
#include "model/LockModel.h"
#include "model/ModelContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <set>
#include <string>
#include <utility>

namespace concheck {

/// What one walk over a function body finds (nested lambdas and local classes
/// are functions of their own; no AST parent map is built).
struct LockScan {
  /// Every lock operation, in source order.
  llvm::SmallVector<model::LockOp, 8> Ops;
  /// The block each statement of a block sits in.
  llvm::DenseMap<const clang::Stmt *, const clang::CompoundStmt *> Block;
  /// Guard temporaries that are whole statements (T{m}; T(m);), with the
  /// functional cast that spells the type, if any.
  llvm::SmallVector<std::pair<const clang::CXXConstructExpr *,
                              const clang::CXXFunctionalCastExpr *>,
                    2>
      DiscardedGuards;
  /// Local variables of guard type.
  llvm::SmallVector<const clang::VarDecl *, 4> GuardVars;
  /// The mutex arguments of condition_variable_any waits.
  llvm::SmallPtrSet<const clang::Expr *, 2> CvAnyWaitArgs;
};

class LockCheckBase : public clang::tidy::ClangTidyCheck {
public:
  LockCheckBase(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

  /// How the user names the mutex of \p Op in messages: the object as
  /// written ("m", "this->mu_", "p" for p->lock(), "m" for
  /// pthread_mutex_lock(&m)).
  static std::string mutexName(const model::LockOp &Op,
                               const clang::ASTContext &Ctx);
  /// The object expression of a lock with a smart pointer's operator->
  /// looked through: for up->lock(), 'up' (which then points to the mutex).
  static const clang::Expr *writtenObject(const clang::Expr *E);
  static llvm::StringRef sourceText(clang::SourceRange Range,
                                    const clang::ASTContext &Ctx);
  /// A guard name declared or used nowhere in \p Callable, or "".
  static std::string freshGuardName(const clang::FunctionDecl *Callable);

protected:
  /// Called once for each function defined outside system headers (lambdas'
  /// call operators included; templates in their instantiations).
  virtual void analyze(const clang::FunctionDecl *Callable,
                       const LockScan &Scan, clang::ASTContext &Ctx) = 0;

  /// False when the same diagnostic was already emitted at \p Loc.
  bool firstReport(clang::SourceLocation Loc, llvm::StringRef Key);

  /// Whether \p Callable is itself part of a lock: a member of a mutex or
  /// guard type or of any class with lock()/unlock() (a BasicLockable
  /// wrapper forwarding to an inner mutex), or annotated as acquiring or
  /// releasing a capability. Its own calls to the inner mutex are the
  /// implementation.
  bool isLockImplementation(const clang::FunctionDecl *Callable) const;

  /// Whether \p Op is a manual lock for the lock checks to look at: it
  /// locks, it is not written in a macro (unless IgnoreMacros is false), and
  /// no guard adopts its mutex afterwards (std::lock(a, b) and adopt_lock
  /// guards are scoped after all).
  bool isManualLock(const model::LockOp &Op, const LockScan &Scan,
                    const clang::ASTContext &Ctx) const;

  /// Whether some unlock of \p Lock's mutex can run after it. Without one,
  /// the function hands the lock to its caller (or got it from the caller
  /// and re-takes it after dropping it): leaving it locked is the point.
  static bool releasedLater(const model::LockOp &Lock, const LockScan &Scan,
                            const model::BodyCFG *Body);

  /// The translation unit's lock model (valid within analyze).
  const model::LockModel &lockModel() const { return Model->locks(); }
  model::SummaryModel &summaries() const { return Model->summaries(); }
  /// The translation unit's whole model (valid within analyze and until
  /// the end of the translation unit).
  model::ModelContext &model() const { return *Model; }
  bool ignoreMacros() const { return IgnoreMacros; }

private:
  /// The IgnoreMacros option (default true).
  bool readIgnoreMacros();
  const bool IgnoreMacros;
  const model::ModelOptions Opts;
  model::ModelContext *Model = nullptr;
  llvm::DenseSet<const clang::FunctionDecl *> Analyzed;
  std::set<std::pair<clang::SourceLocation::UIntTy, std::string>> Reported;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_LOCKCHECKBASE_H
