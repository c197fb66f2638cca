//===--- LockCheckBase.cpp - Common plumbing of the lock checks -----------===//

#include "LockCheckBase.h"
#include "ModelOptions.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/YAMLParser.h"

using namespace clang;
using namespace clang::ast_matchers;
using concheck::model::LockOp;

namespace concheck {

/// The statements directly held by \p S, where an expression statement can
/// stand.
static llvm::SmallVector<const Stmt *, 8> childStatements(const Stmt *S) {
  llvm::SmallVector<const Stmt *, 8> Out;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    Out.append(CS->body_begin(), CS->body_end());
  else if (const auto *If = dyn_cast<IfStmt>(S)) {
    Out.push_back(If->getThen());
    Out.push_back(If->getElse());
  } else if (const auto *F = dyn_cast<ForStmt>(S))
    Out.push_back(F->getBody());
  else if (const auto *W = dyn_cast<WhileStmt>(S))
    Out.push_back(W->getBody());
  else if (const auto *D = dyn_cast<DoStmt>(S))
    Out.push_back(D->getBody());
  else if (const auto *R = dyn_cast<CXXForRangeStmt>(S))
    Out.push_back(R->getBody());
  else if (const auto *L = dyn_cast<LabelStmt>(S))
    Out.push_back(L->getSubStmt());
  else if (const auto *C = dyn_cast<SwitchCase>(S))
    Out.push_back(C->getSubStmt());
  llvm::erase(Out, nullptr);
  return Out;
}

/// The guard construction an expression statement consists of, if any:
/// T{m}; T(m); (void)T{m}; with the wrappers C++ puts around temporaries.
/// \p Cast receives the functional cast that spells the type, if any.
static const CXXConstructExpr *
discardedConstruction(const Stmt *S, const CXXFunctionalCastExpr *&Cast) {
  Cast = nullptr;
  const auto *E = dyn_cast_or_null<Expr>(S);
  while (E) {
    E = model::stripWrappers(E);
    if (const auto *C = dyn_cast<CStyleCastExpr>(E);
        C && C->getType()->isVoidType()) {
      E = C->getSubExpr();
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      Cast = FC;
      E = FC->getSubExpr();
      continue;
    }
    break;
  }
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
  if (!CE)
    return nullptr;
  // Either a temporary object spelled T{...}/T(a, b), or a single-argument
  // functional cast T(x): both are a statement that makes and drops a guard.
  if (isa<CXXTemporaryObjectExpr>(CE) || Cast)
    return CE;
  return nullptr;
}

namespace {

/// Fills a LockScan in one walk over a function body.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  BodyScanner(const model::LockModel &Model, LockScan &Out)
      : Model(Model), Out(Out) {}

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

  bool VisitExpr(Expr *E) {
    if (isa<CallExpr, CXXConstructExpr>(E))
      for (LockOp &Op : Model.classify(E))
        Out.Ops.push_back(std::move(Op));
    return true;
  }

  bool VisitStmt(Stmt *S) {
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      for (const Stmt *Child : CS->body())
        Out.Block[Child] = CS;
    for (const Stmt *Child : childStatements(S)) {
      const CXXFunctionalCastExpr *Cast = nullptr;
      if (const CXXConstructExpr *CE = discardedConstruction(Child, Cast))
        Out.DiscardedGuards.push_back({CE, Cast});
    }
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
        Model.isGuardType(VD->getType()))
      Out.GuardVars.push_back(VD);
    return true;
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const CXXMethodDecl *MD = Call->getMethodDecl();
    if (MD && Call->getNumArgs() > 0 && MD->getDeclName().isIdentifier() &&
        MD->getName().starts_with("wait") &&
        MD->getParent()->getName() == "condition_variable_any" &&
        MD->getParent()->isInStdNamespace())
      Out.CvAnyWaitArgs.insert(Call->getArg(0)->IgnoreParenImpCasts());
    return true;
  }

private:
  const model::LockModel &Model;
  LockScan &Out;
};

/// Every name declared or referenced in a function, to pick a fresh one.
class NameCollector : public RecursiveASTVisitor<NameCollector> {
public:
  bool VisitNamedDecl(NamedDecl *D) {
    if (D->getDeclName().isIdentifier())
      Names.insert(D->getName());
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl()->getDeclName().isIdentifier())
      Names.insert(E->getDecl()->getName());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (E->isImplicitAccess() &&
        E->getMemberDecl()->getDeclName().isIdentifier())
      Names.insert(E->getMemberDecl()->getName());
    return true;
  }
  llvm::StringSet<> Names;
};

} // namespace

StringRef LockCheckBase::sourceText(SourceRange Range, const ASTContext &Ctx) {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(Range),
                              Ctx.getSourceManager(), Ctx.getLangOpts());
}

/// The object expression of a lock with a smart pointer's operator-> looked
/// through: for up->lock(), 'up' (which then points to the mutex).
const Expr *LockCheckBase::writtenObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Arrow && Op->getNumArgs() == 1)
    return Op->getArg(0)->IgnoreParenImpCasts();
  return E;
}

std::string LockCheckBase::mutexName(const LockOp &Op, const ASTContext &Ctx) {
  const Expr *E = writtenObject(Op.MutexExpr);
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *This = dyn_cast<CXXThisExpr>(E); This && This->isImplicit())
    return "*this";
  std::string Text = sourceText(E->getSourceRange(), Ctx).str();
  if (Text.empty())
    return Op.Mutex ? Op.Mutex->str() : "<mutex>";
  return Text;
}

std::string LockCheckBase::freshGuardName(const FunctionDecl *Callable) {
  NameCollector Names;
  Names.TraverseDecl(const_cast<FunctionDecl *>(Callable));
  for (const char *Candidate : {"lock", "guard", "lock_guard_", "scoped"})
    if (!Names.Names.contains(Candidate))
      return Candidate;
  return "";
}

LockCheckBase::LockCheckBase(StringRef Name,
                             clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), IgnoreMacros(readIgnoreMacros()),
      Opts(readModelOptions(Options)) {}

// IgnoreMacros goes through the options' string interface. Their bool
// specializations (get<bool>, store<bool>) are defined in libclangTidy,
// and GCC mangles their names otherwise than the Clang that built Debian's
// library: a concheck built with GCC could not link them. The values are
// read as clang-tidy reads a bool: true/false (yes/no, on/off, any case),
// or an integer.
bool LockCheckBase::readIgnoreMacros() {
  const StringRef Value = Options.getLocalOrGlobal("IgnoreMacros", "");
  if (Value.empty())
    return true;
  if (std::optional<bool> B = llvm::yaml::parseBool(Value))
    return *B;
  long long N = 0;
  if (!Value.getAsInteger(10, N))
    return N != 0;
  configurationDiag("invalid configuration value '%0' for option '%1.%2'; "
                    "expected a bool")
      << Value << getID() << "IgnoreMacros";
  return true;
}

void LockCheckBase::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &OptionMap) {
  Options.store(OptionMap, "IgnoreMacros", IgnoreMacros ? "true" : "false");
  storeLockModelOptions(Options, OptionMap, Opts.Locks);
}

void LockCheckBase::onStartOfTranslationUnit() {
  Analyzed.clear();
  Reported.clear();
}

bool LockCheckBase::firstReport(SourceLocation Loc, StringRef Key) {
  return Reported.insert({Loc.getRawEncoding(), Key.str()}).second;
}

void LockCheckBase::registerMatchers(MatchFinder *Finder) {
  // Every function defined outside system headers, lambdas' call operators
  // included, is scanned once. Nothing here asks for the AST parent map:
  // building it walks the whole translation unit, standard headers included,
  // and would cost more than the checks themselves.
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("callable"),
      this);
}

void LockCheckBase::check(const MatchFinder::MatchResult &Result) {
  const auto *Callable = Result.Nodes.getNodeAs<FunctionDecl>("callable");
  if (!Callable || !Analyzed.insert(Callable).second)
    return;
  // Templates are analysed in their instantiations, where types are known;
  // the pattern's calls on dependent types cannot be classified.
  if (Callable->isDependentContext() || Callable->isInvalidDecl())
    return;
  if (Result.SourceManager->isInSystemHeader(Callable->getLocation()))
    return;
  Model = &model::ModelContext::get(*Result.Context, Opts);
  LockScan Scan;
  BodyScanner(lockModel(), Scan).TraverseStmt(Callable->getBody());
  analyze(Callable, Scan, *Result.Context);
}

bool LockCheckBase::isLockImplementation(const FunctionDecl *FD) const {
  if (FD->hasAttr<AcquireCapabilityAttr>() ||
      FD->hasAttr<ReleaseCapabilityAttr>() ||
      FD->hasAttr<TryAcquireCapabilityAttr>())
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD)
    return false;
  const CXXRecordDecl *RD = MD->getParent();
  if (RD->isLambda())
    return false;
  return lockModel().isMutexRecord(RD) || lockModel().isGuardRecord(RD) ||
         lockModel().isGuardShaped(RD);
}

bool LockCheckBase::isManualLock(const LockOp &Lock, const LockScan &Scan,
                                 const ASTContext &Ctx) const {
  if (!Lock.locks())
    return false;
  if (IgnoreMacros && (Lock.Site->getBeginLoc().isMacroID() ||
                       Lock.Site->getEndLoc().isMacroID()))
    return false;
  if (!Lock.Mutex)
    return true;
  const SourceManager &SM = Ctx.getSourceManager();
  return llvm::none_of(Scan.Ops, [&](const LockOp &Op) {
    return Op.K == LockOp::GuardAdopt && Op.Mutex && *Op.Mutex == *Lock.Mutex &&
           SM.isBeforeInTranslationUnit(Lock.Site->getBeginLoc(),
                                        Op.Site->getBeginLoc());
  });
}

bool LockCheckBase::releasedLater(const LockOp &Lock, const LockScan &Scan,
                                  const model::BodyCFG *Body) {
  if (!Lock.Mutex)
    return false;
  std::optional<model::CFGPoint> From =
      Body ? Body->pointOf(Lock.Site) : std::nullopt;
  return llvm::any_of(Scan.Ops, [&](const LockOp &Op) {
    if (Op.K != LockOp::Release || !Op.Mutex || *Op.Mutex != *Lock.Mutex)
      return false;
    if (!From)
      return true;
    std::optional<model::CFGPoint> To = Body->pointOf(Op.Site);
    if (!To)
      return true;
    if (To->Block == From->Block && To->Index > From->Index)
      return true;
    for (const CFGBlock::AdjacentBlock &Succ : From->Block->succs())
      if (Succ.getReachableBlock() &&
          (Succ.getReachableBlock() == To->Block ||
           Body->reaches(Succ.getReachableBlock(), To->Block)))
        return true;
    return false;
  });
}

} // namespace concheck
