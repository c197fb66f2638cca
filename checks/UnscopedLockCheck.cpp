//===--- UnscopedLockCheck.cpp - concheck-unscoped-lock -------------------===//
//
// Part of concheck.
//
// Three findings share this check:
//  * a mutex locked by a direct call (m.lock(), pthread_mutex_lock(&m),
//    std::lock(a, b)) rather than by a scoped guard (C++ Core Guidelines CP.20),
//    with a fix-it when the guard is certainly equivalent;
//  * a path from such a lock to the function's exit that leaves the mutex
//    locked, reported at the jump statement that takes it (CFG-based);
//  * an unnamed guard, destroyed at the end of its statement (CP.44).
//
//===----------------------------------------------------------------------===//

#include "UnscopedLockCheck.h"
#include "ModelOptions.h"
#include "model/BodyCFG.h"
#include "model/PathQuery.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;
using namespace clang::ast_matchers;
using concheck::model::AccessPath;
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

/// One walk over a function body (nested lambdas and local classes are
/// functions of their own) that gathers what the check needs, so that no AST
/// parent map is ever built: the lock operations, the block each statement
/// sits in, guard temporaries that are whole statements, parenthesized guard
/// declarations, and the mutex arguments of condition_variable_any waits.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  explicit BodyScanner(const model::LockModel &Model) : Model(Model) {}

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

  bool VisitExpr(Expr *E) {
    if (isa<CallExpr, CXXConstructExpr>(E))
      for (LockOp &Op : Model.classify(E))
        Ops.push_back(std::move(Op));
    return true;
  }

  bool VisitStmt(Stmt *S) {
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      for (const Stmt *Child : CS->body())
        Block[Child] = CS;
    for (const Stmt *Child : childStatements(S)) {
      const CXXFunctionalCastExpr *Cast = nullptr;
      if (const CXXConstructExpr *CE = discardedConstruction(Child, Cast))
        DiscardedGuards.push_back({CE, Cast});
    }
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
        Model.isGuardType(VD->getType()))
      GuardVars.push_back(VD);
    return true;
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const CXXMethodDecl *MD = Call->getMethodDecl();
    if (MD && Call->getNumArgs() > 0 && MD->getDeclName().isIdentifier() &&
        MD->getName().starts_with("wait") &&
        MD->getParent()->getName() == "condition_variable_any" &&
        MD->getParent()->isInStdNamespace())
      CvAnyWaitArgs.insert(Call->getArg(0)->IgnoreParenImpCasts());
    return true;
  }

  const model::LockModel &Model;
  llvm::SmallVector<LockOp, 8> Ops;
  llvm::DenseMap<const Stmt *, const CompoundStmt *> Block;
  llvm::SmallVector<std::pair<const CXXConstructExpr *,
                              const CXXFunctionalCastExpr *>, 2>
      DiscardedGuards;
  llvm::SmallVector<const VarDecl *, 4> GuardVars;
  llvm::SmallPtrSet<const Expr *, 2> CvAnyWaitArgs;
};

/// Facts about the statements between a lock and its unlock that decide
/// whether a guard is an exact replacement.
class RegionScanner : public RecursiveASTVisitor<RegionScanner> {
public:
  bool TraverseLambdaExpr(LambdaExpr *) { return true; } // its own returns

  bool TraverseForStmt(ForStmt *S) { return loop([&] { return Base::TraverseForStmt(S); }); }
  bool TraverseWhileStmt(WhileStmt *S) { return loop([&] { return Base::TraverseWhileStmt(S); }); }
  bool TraverseDoStmt(DoStmt *S) { return loop([&] { return Base::TraverseDoStmt(S); }); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) { return loop([&] { return Base::TraverseCXXForRangeStmt(S); }); }
  bool TraverseSwitchStmt(SwitchStmt *S) {
    ++SwitchDepth;
    bool R = Base::TraverseSwitchStmt(S);
    --SwitchDepth;
    return R;
  }

  bool VisitReturnStmt(ReturnStmt *) { return leaves(); }
  bool VisitCoreturnStmt(CoreturnStmt *) { return leaves(); }
  bool VisitGotoStmt(GotoStmt *) { return leaves(); }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *) { return leaves(); }
  bool VisitCXXThrowExpr(CXXThrowExpr *) { return leaves(); }
  bool VisitBreakStmt(BreakStmt *) {
    return LoopDepth + SwitchDepth == 0 ? leaves() : true;
  }
  bool VisitContinueStmt(ContinueStmt *) {
    return LoopDepth == 0 ? leaves() : true;
  }

  bool Leaves = false;

private:
  using Base = RecursiveASTVisitor<RegionScanner>;
  template <class F> bool loop(F Traverse) {
    ++LoopDepth;
    bool R = Traverse();
    --LoopDepth;
    return R;
  }
  bool leaves() {
    Leaves = true;
    return false; // stop: one is enough
  }
  unsigned LoopDepth = 0;
  unsigned SwitchDepth = 0;
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

/// Every expression in a region that names a given mutex.
class MutexUseCollector : public RecursiveASTVisitor<MutexUseCollector> {
public:
  explicit MutexUseCollector(const AccessPath &Mutex) : Mutex(Mutex) {}
  bool VisitDeclRefExpr(DeclRefExpr *E) { return note(E); }
  bool VisitMemberExpr(MemberExpr *E) { return note(E); }
  llvm::SmallVector<const Expr *, 4> Uses;

private:
  bool note(const Expr *E) {
    if (std::optional<AccessPath> P = AccessPath::of(E); P && *P == Mutex)
      Uses.push_back(E);
    return true;
  }
  const AccessPath &Mutex;
};

} // namespace

static StringRef sourceText(SourceRange Range, const ASTContext &Ctx) {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(Range),
                              Ctx.getSourceManager(), Ctx.getLangOpts());
}

/// How the user names the mutex of \p Op in messages: the object as written
/// ("m", "this->mu_", "p" for p->lock(), "m" for pthread_mutex_lock(&m)).
/// The object expression of a lock with a smart pointer's operator-> looked
/// through: for up->lock(), 'up' (which then points to the mutex).
static const Expr *writtenObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Arrow && Op->getNumArgs() == 1)
    return Op->getArg(0)->IgnoreParenImpCasts();
  return E;
}

static std::string mutexName(const LockOp &Op, const ASTContext &Ctx) {
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

/// True when the class of \p FD is itself a lock: a mutex or guard type, or any
/// class that offers lock()/unlock() (a BasicLockable wrapper forwarding to an
/// inner mutex). Its own calls to the inner mutex are the implementation.
static bool isLockableImplementation(const FunctionDecl *FD,
                                     const model::LockModel &Model) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD)
    return false;
  const CXXRecordDecl *RD = MD->getParent();
  if (RD->isLambda())
    return false;
  if (Model.isMutexRecord(RD) || Model.isGuardRecord(RD))
    return true;
  bool HasLock = false, HasUnlock = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getDeclName().isIdentifier())
      continue;
    StringRef N = M->getName();
    HasLock |= N == "lock" || N == "Lock" || N == "lock_shared";
    HasUnlock |= N == "unlock" || N == "Unlock" || N == "unlock_shared";
  }
  return HasLock && HasUnlock;
}

/// Functions annotated as acquiring or releasing a capability lock on purpose.
static bool isAnnotatedLockFunction(const FunctionDecl *FD) {
  return FD->hasAttr<AcquireCapabilityAttr>() ||
         FD->hasAttr<ReleaseCapabilityAttr>() ||
         FD->hasAttr<TryAcquireCapabilityAttr>();
}

UnscopedLockCheck::UnscopedLockCheck(StringRef Name,
                                     clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      IgnoreMacros(Options.getLocalOrGlobal("IgnoreMacros", true)),
      ModelOptions(readLockModelOptions(Options)), Model(ModelOptions) {}

void UnscopedLockCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "IgnoreMacros", IgnoreMacros);
  storeLockModelOptions(Options, Opts, ModelOptions);
}

void UnscopedLockCheck::onStartOfTranslationUnit() {
  Analyzed.clear();
  Reported.clear();
  model::resetCFGCache();
}

bool UnscopedLockCheck::firstReport(SourceLocation Loc, StringRef Key) {
  return Reported.insert({Loc.getRawEncoding(), Key.str()}).second;
}

void UnscopedLockCheck::registerMatchers(MatchFinder *Finder) {
  // Every function defined outside system headers, lambdas' call operators
  // included, is scanned once by BodyScanner. Nothing here asks for the AST
  // parent map: building it walks the whole translation unit, standard
  // headers included, and would cost more than the check itself.
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()))
                         .bind("callable"),
                     this);
}

void UnscopedLockCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Callable = Result.Nodes.getNodeAs<FunctionDecl>("callable");
  if (Callable && Analyzed.insert(Callable).second)
    analyzeCallable(Callable, *Result.Context);
}

namespace {

/// The rewrite of one manual lock into a scoped guard.
struct GuardFix {
  llvm::SmallVector<FixItHint, 4> Hints;
};

} // namespace

/// Picks a guard name not declared or used anywhere in \p Callable.
static std::string freshGuardName(const FunctionDecl *Callable) {
  NameCollector Names;
  Names.TraverseDecl(const_cast<FunctionDecl *>(Callable));
  for (const char *Candidate : {"lock", "guard", "lock_guard_", "scoped"})
    if (!Names.Names.contains(Candidate))
      return Candidate;
  return "";
}

/// The range covering statement \p S and its ';' and, when they are alone on
/// their line, the whole line.
static CharSourceRange wholeStatementRange(const Stmt *S, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Begin = S->getBeginLoc();
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      S->getEndLoc(), tok::semi, SM, Ctx.getLangOpts(),
      /*SkipTrailingWhitespaceAndNewLine=*/false);
  if (AfterSemi.isInvalid())
    return {};
  bool Invalid = false;
  StringRef Buffer = SM.getBufferData(SM.getFileID(Begin), &Invalid);
  if (Invalid)
    return {};
  unsigned B = SM.getFileOffset(Begin), E = SM.getFileOffset(AfterSemi);
  unsigned LineStart = B;
  while (LineStart > 0 && (Buffer[LineStart - 1] == ' ' || Buffer[LineStart - 1] == '\t'))
    --LineStart;
  unsigned LineEnd = E;
  while (LineEnd < Buffer.size() && (Buffer[LineEnd] == ' ' || Buffer[LineEnd] == '\t'))
    ++LineEnd;
  const bool AloneOnLine = (LineStart == 0 || Buffer[LineStart - 1] == '\n') &&
                           (LineEnd == Buffer.size() || Buffer[LineEnd] == '\n');
  if (AloneOnLine && LineStart > 0) {
    // Remove the newline before the statement rather than the one after it:
    // clang's fix-it merging widens a removal that leaves whitespace on both
    // sides, which would eat the next line's indentation.
    return CharSourceRange::getCharRange(
        Begin.getLocWithOffset(-static_cast<int>(B - LineStart + 1)),
        AfterSemi.getLocWithOffset(static_cast<int>(LineEnd - E)));
  }
  return CharSourceRange::getCharRange(Begin, AfterSemi);
}

/// The object expression of a lock as the guard's constructor argument: "m"
/// for m.lock(), "*p" for p->lock(), "*this" for an implicit this.
static std::string guardArgument(const LockOp &Op, const ASTContext &Ctx,
                                 bool WantPointer) {
  const Expr *Written = Op.MutexExpr->IgnoreParenImpCasts();
  const Expr *Obj = writtenObject(Written);
  // A smart pointer behaves as a pointer here: *up names the mutex.
  const bool IsPointer = Obj != Written || Obj->getType()->isPointerType();
  std::string Text;
  if (const auto *This = dyn_cast<CXXThisExpr>(Obj); This && This->isImplicit())
    Text = "this";
  else
    Text = sourceText(Obj->getSourceRange(), Ctx).str();
  if (Text.empty())
    return "";
  const bool Simple = isa<DeclRefExpr, MemberExpr, CXXThisExpr>(Obj);
  const bool SmartPointer = Obj != Written;
  if (SmartPointer && WantPointer) // a raw pointer from a smart one
    return Simple ? "&*" + Text : "&*(" + Text + ")";
  if (IsPointer == WantPointer)
    return Text;
  if (IsPointer) // want the object
    return Simple ? "*" + Text : "*(" + Text + ")";
  return Simple ? "&" + Text : "&(" + Text + ")";
}

/// Builds the fix-it for manual lock \p Lock in \p Callable when a scoped
/// guard is certainly equivalent; std::nullopt otherwise.
static std::optional<GuardFix>
computeGuardFix(const LockOp &Lock, const BodyScanner &Scan,
                const FunctionDecl *Callable, ASTContext &Ctx) {
  llvm::ArrayRef<LockOp> AllOps = Scan.Ops;
  if (Lock.K != LockOp::Acquire || !Lock.Mutex)
    return std::nullopt;
  const auto *LockCall = dyn_cast<CXXMemberCallExpr>(Lock.Site);
  if (!LockCall || LockCall->getBeginLoc().isMacroID() ||
      LockCall->getEndLoc().isMacroID())
    return std::nullopt;
  const CXXRecordDecl *MutexClass = LockCall->getMethodDecl()->getParent();
  const bool IsAbsl = MutexClass->getName() == "Mutex" &&
                      model::qualifiedName(MutexClass) == "absl::Mutex";

  // The lock must be a statement of a block, and the block's last statement
  // the matching unlock.
  const CompoundStmt *Block = Scan.Block.lookup(LockCall);
  if (!Block || Block->body_empty())
    return std::nullopt;
  auto LockIt = llvm::find(Block->body(), LockCall);
  if (LockIt == Block->body_end())
    return std::nullopt;
  const Stmt *Last = Block->body_back();
  const auto *UnlockCall = dyn_cast<CXXMemberCallExpr>(Last);
  if (!UnlockCall || UnlockCall == LockCall || UnlockCall->getBeginLoc().isMacroID())
    return std::nullopt;
  const LockOp *Unlock = nullptr;
  for (const LockOp &Op : AllOps)
    if (Op.Site == UnlockCall)
      Unlock = &Op;
  if (!Unlock || Unlock->K != LockOp::Release || Unlock->Shared != Lock.Shared ||
      !Unlock->Mutex || *Unlock->Mutex != *Lock.Mutex)
    return std::nullopt;

  // The region between them: no way out that the guard would change, and no
  // block-level local whose destructor would then run under the lock.
  const SourceManager &SM = Ctx.getSourceManager();
  RegionScanner Scanner;
  MutexUseCollector Uses(*Lock.Mutex);
  for (auto It = std::next(LockIt); It != Block->body_end() && *It != Last;
       ++It) {
    Stmt *S = const_cast<Stmt *>(*It);
    Scanner.TraverseStmt(S);
    if (Scanner.Leaves)
      return std::nullopt;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->needsDestruction(Ctx) != QualType::DK_none)
          return std::nullopt;
    Uses.TraverseStmt(S);
  }
  auto InRegion = [&](SourceLocation L) {
    return SM.isBeforeInTranslationUnit(LockCall->getEndLoc(), L) &&
           SM.isBeforeInTranslationUnit(L, UnlockCall->getBeginLoc());
  };

  // Inner unlock/relock of the same mutex needs a std::unique_lock, whose own
  // unlock()/lock() then take their place.
  bool NeedsUnique = false;
  GuardFix Fix;
  std::string Name = freshGuardName(Callable);
  if (Name.empty())
    return std::nullopt;
  llvm::SmallPtrSet<const Expr *, 4> Explained;
  for (const LockOp &Op : AllOps) {
    if (Op.Site == LockCall || Op.Site == UnlockCall ||
        !InRegion(Op.Site->getBeginLoc()))
      continue;
    if (!Op.Mutex || *Op.Mutex != *Lock.Mutex)
      continue;
    if (Op.K == LockOp::GuardAdopt || Op.K == LockOp::GuardAcquire ||
        Op.K == LockOp::GuardDefer || Op.K == LockOp::GuardTryAcquire)
      return std::nullopt; // a guard of its own inside: leave it to the user
    const auto *Inner = dyn_cast<CXXMemberCallExpr>(Op.Site);
    if (!Inner || Op.K == LockOp::TryAcquire || Op.Shared != Lock.Shared ||
        IsAbsl || Inner->getBeginLoc().isMacroID())
      return std::nullopt;
    NeedsUnique = true;
    Fix.Hints.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getTokenRange(Inner->getSourceRange()),
        Name + (Op.K == LockOp::Acquire ? ".lock()" : ".unlock()")));
    Explained.insert(Op.MutexExpr->IgnoreParenImpCasts());
  }

  // condition_variable_any::wait(m, ...) takes the mutex itself; with a guard
  // it takes the guard.
  for (const Expr *Use : Uses.Uses) {
    if (Explained.count(Use))
      continue;
    if (Scan.CvAnyWaitArgs.count(Use) && !IsAbsl &&
        !Use->getBeginLoc().isMacroID()) {
      NeedsUnique = true;
      Fix.Hints.push_back(FixItHint::CreateReplacement(
          CharSourceRange::getTokenRange(Use->getSourceRange()), Name));
      continue;
    }
    // Some other use of the mutex (passed to a function that may unlock it,
    // its address taken, ...): the guard might not be equivalent.
    return std::nullopt;
  }

  // The guard's declaration.
  const bool Cxx17 = Ctx.getLangOpts().CPlusPlus17;
  const bool Instantiation =
      Callable->getTemplateInstantiationPattern() != nullptr;
  std::string Decl;
  if (IsAbsl) {
    std::string Arg = guardArgument(Lock, Ctx, /*WantPointer=*/true);
    if (Arg.empty())
      return std::nullopt;
    Decl = (Lock.Shared ? "absl::ReaderMutexLock " : "absl::MutexLock ") +
           Name + "(" + Arg + ")";
  } else {
    std::string Arg = guardArgument(Lock, Ctx, /*WantPointer=*/false);
    if (Arg.empty())
      return std::nullopt;
    StringRef Template = Lock.Shared  ? "std::shared_lock"
                         : NeedsUnique ? "std::unique_lock"
                         : Cxx17       ? "std::scoped_lock"
                                       : "std::lock_guard";
    std::string TemplateArgs;
    if (!Cxx17) {
      // Spelling the mutex type in a template instantiation could name the
      // instantiation's argument instead of the template's parameter.
      if (Instantiation)
        return std::nullopt;
      QualType MutexType = LockCall->getImplicitObjectArgument()->getType();
      if (MutexType->isPointerType())
        MutexType = MutexType->getPointeeType();
      PrintingPolicy Policy(Ctx.getLangOpts());
      Policy.SuppressTagKeyword = true;
      TemplateArgs = "<" + MutexType.getUnqualifiedType().getAsString(Policy) + ">";
    }
    Decl = (Template + TemplateArgs + " " + Name + "(" + Arg + ")").str();
  }

  CharSourceRange UnlockRange = wholeStatementRange(UnlockCall, Ctx);
  if (UnlockRange.isInvalid())
    return std::nullopt;
  Fix.Hints.insert(Fix.Hints.begin(),
                   FixItHint::CreateReplacement(
                       CharSourceRange::getTokenRange(LockCall->getSourceRange()),
                       Decl));
  Fix.Hints.push_back(FixItHint::CreateRemoval(UnlockRange));
  return Fix;
}

void UnscopedLockCheck::analyzeCallable(const FunctionDecl *Callable,
                                        ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // Templates are analysed in their instantiations, where types are known;
  // the pattern's calls on dependent types cannot be classified.
  if (Callable->isDependentContext() || Callable->isInvalidDecl())
    return;
  if (SM.isInSystemHeader(Callable->getLocation()))
    return;
  BodyScanner Scan(Model);
  Scan.TraverseStmt(Callable->getBody());
  for (const auto &[Construct, Cast] : Scan.DiscardedGuards)
    checkUnnamedGuard(Construct, Cast, Callable, Ctx);
  for (const VarDecl *Guard : Scan.GuardVars)
    checkParenthesizedGuard(Guard, Callable, Ctx);
  if (Scan.Ops.empty())
    return;

  // A lockable or guard type's own lock()/unlock() forward to the inner mutex
  // by design, and so do functions annotated as acquiring or releasing.
  if (isLockableImplementation(Callable, Model) ||
      isAnnotatedLockFunction(Callable))
    return;
  llvm::ArrayRef<LockOp> Ops = Scan.Ops;

  auto IsAdopted = [&](const LockOp &Lock) {
    if (!Lock.Mutex)
      return false;
    return llvm::any_of(Ops, [&](const LockOp &Op) {
      return Op.K == LockOp::GuardAdopt && Op.Mutex && *Op.Mutex == *Lock.Mutex &&
             SM.isBeforeInTranslationUnit(Lock.Site->getBeginLoc(),
                                          Op.Site->getBeginLoc());
    });
  };
  const model::BodyCFG *Body = model::getBodyCFG(Callable);
  // Whether some unlock of the lock's mutex can run after it. Without one the
  // function hands the lock to its caller (or got it from the caller and
  // re-takes it after dropping it): leaving it locked is the point.
  auto ReleasedLater = [&](const LockOp &Lock) {
    if (!Lock.Mutex)
      return false;
    std::optional<model::CFGPoint> From =
        Body ? Body->pointOf(Lock.Site) : std::nullopt;
    return llvm::any_of(Ops, [&](const LockOp &Op) {
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
  };

  llvm::SmallPtrSet<const Expr *, 8> WarnedSites;

  for (const LockOp &Lock : Ops) {
    if (!Lock.locks())
      continue;
    const SourceLocation Loc = Lock.Site->getBeginLoc();
    if (IgnoreMacros && (Loc.isMacroID() || Lock.Site->getEndLoc().isMacroID()))
      continue;
    if (IsAdopted(Lock))
      continue; // handed to a guard with std::adopt_lock: scoped after all
    // A constructor that locks what it does not unlock is a hand-written
    // guard whose destructor unlocks.
    if (isa<CXXConstructorDecl>(Callable) && !ReleasedLater(Lock))
      continue;

    // CP.20: one warning per call (std::lock(a, b) is one call).
    if (WarnedSites.insert(Lock.Site).second) {
      const std::string Name = mutexName(Lock, Ctx);
      if (firstReport(Loc, "manual")) {
        auto D = diag(Loc, "mutex '%0' is locked with '%1()' instead of a "
                           "scoped guard")
                 << Name << Lock.Function;
        if (std::optional<GuardFix> Fix =
                computeGuardFix(Lock, Scan, Callable, Ctx))
          for (const FixItHint &H : Fix->Hints)
            D << H;
      }
    }

    // Paths that leave the mutex locked. A function that never unlocks what it
    // locks hands the lock to its caller on purpose: CP.20 above is enough.
    if (!Body || !Lock.Mutex || !ReleasedLater(Lock))
      continue;
    std::optional<model::CFGPoint> Point = Body->pointOf(Lock.Site);
    if (!Point)
      continue;
    model::PathStart Start{*Point, std::nullopt};
    if (Lock.K == LockOp::TryAcquire) {
      if (Lock.Function == "std::try_lock")
        continue; // -1 means success: no branch to follow
      Start.Successor =
          model::branchWhenCallReturns(*Body, Lock.Site, Lock.SuccessIsNonZero);
      if (!Start.Successor)
        continue; // the success path is not a branch we can follow
    }
    const AccessPath &Mutex = *Lock.Mutex;
    auto ReleasesMutex = [&](const CFGElement &E) {
      std::optional<CFGStmt> S = E.getAs<CFGStmt>();
      if (!S)
        return false;
      const auto *Ex = dyn_cast<Expr>(S->getStmt());
      if (!Ex || !isa<CallExpr, CXXConstructExpr>(Ex))
        return false;
      for (const LockOp &Op : Model.classify(Ex))
        if ((Op.K == LockOp::Release || Op.K == LockOp::GuardAdopt) &&
            Op.Mutex && *Op.Mutex == Mutex)
          return true;
      return false;
    };
    const std::string Name = mutexName(Lock, Ctx);
    for (const model::Escape &Esc :
         model::findEscapes(*Body, Start, ReleasesMutex)) {
      if (Esc.Jump) {
        SourceLocation JumpLoc = Esc.Jump->getBeginLoc();
        std::string Key = "leaves:" + Mutex.str();
        if (!firstReport(JumpLoc, Key))
          continue;
        diag(JumpLoc, "'%0' leaves mutex '%1' locked")
            << model::jumpKeyword(Esc.Jump) << Name;
        diag(Loc, "'%0' locked here", DiagnosticIDs::Note) << Name;
        continue;
      }
      // Falling off the end: only when the lock runs on every path to that
      // end, so that correlated conditions (if (a) lock ... if (a) unlock)
      // are not mistaken for a leak.
      if (!Esc.LastBlock || !Body->dominates(Point->Block, Esc.LastBlock))
        continue;
      const auto *BodyStmt = dyn_cast_or_null<CompoundStmt>(Callable->getBody());
      if (!BodyStmt)
        continue;
      SourceLocation End = BodyStmt->getRBracLoc();
      if (!firstReport(End, "end:" + Mutex.str()))
        continue;
      diag(End, "mutex '%0' may still be locked at the end of the function")
          << Name;
      diag(Loc, "'%0' locked here", DiagnosticIDs::Note) << Name;
    }
  }
}

void UnscopedLockCheck::checkUnnamedGuard(const CXXConstructExpr *Construct,
                                          const CXXFunctionalCastExpr *Cast,
                                          const FunctionDecl *Callable,
                                          ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = Cast ? Cast->getBeginLoc() : Construct->getBeginLoc();
  if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
    return;
  if (IgnoreMacros && Loc.isMacroID())
    return;
  if (!Model.isGuardRecord(Construct->getConstructor()->getParent()))
    return;
  llvm::SmallVector<LockOp, 1> Ops = Model.classify(Construct);
  const LockOp *First = nullptr;
  for (const LockOp &Op : Ops)
    if (Op.K != LockOp::GuardDefer) {
      First = &Op;
      break;
    }
  if (!First)
    return; // locks nothing: harmless
  if (!firstReport(Loc, "unnamed"))
    return;

  auto D = diag(Loc, "unnamed guard unlocks '%0' at the end of the "
                     "statement; give it a name")
           << mutexName(*First, Ctx);
  // The name goes right after the type as written.
  TypeSourceInfo *TSI = nullptr;
  if (Cast)
    TSI = Cast->getTypeInfoAsWritten();
  else if (const auto *Temp = dyn_cast<CXXTemporaryObjectExpr>(Construct))
    TSI = Temp->getTypeSourceInfo();
  if (!TSI)
    return;
  SourceLocation TypeEnd = TSI->getTypeLoc().getEndLoc();
  if (TypeEnd.isInvalid() || TypeEnd.isMacroID())
    return;
  std::string Name = freshGuardName(Callable);
  if (Name.empty())
    return;
  SourceLocation After =
      Lexer::getLocForEndOfToken(TypeEnd, 0, SM, Ctx.getLangOpts());
  D << FixItHint::CreateInsertion(After, " " + Name);
}

void UnscopedLockCheck::checkParenthesizedGuard(const VarDecl *Guard,
                                                const FunctionDecl *Callable,
                                                ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation NameLoc = Guard->getLocation();
  if (NameLoc.isInvalid() || NameLoc.isMacroID() || SM.isInSystemHeader(NameLoc))
    return;
  if (isa<ParmVarDecl>(Guard) || !Guard->getDeclName().isIdentifier())
    return;
  // Only a default-constructed guard: one with arguments locks something.
  if (const Expr *Init = Guard->getInit()) {
    const auto *CE = dyn_cast<CXXConstructExpr>(model::stripWrappers(Init));
    if (!CE || CE->getNumArgs() != 0)
      return;
  }
  // T(m); declares m: the character before the name is '('.
  bool Invalid = false;
  const char *Data = SM.getCharacterData(NameLoc, &Invalid);
  if (Invalid)
    return;
  StringRef Buffer = SM.getBufferData(SM.getFileID(NameLoc), &Invalid);
  if (Invalid)
    return;
  size_t Off = Data - Buffer.data();
  while (Off > 0 && (Buffer[Off - 1] == ' ' || Buffer[Off - 1] == '\t'))
    --Off;
  if (Off == 0 || Buffer[Off - 1] != '(')
    return;
  SourceLocation Paren = NameLoc.getLocWithOffset(
      -static_cast<int>(Data - Buffer.data() - (Off - 1)));
  if (!firstReport(Guard->getBeginLoc(), "paren-decl"))
    return;
  std::string Name = freshGuardName(Callable);
  auto D = diag(Guard->getBeginLoc(), "parentheses make this declare a guard named '%0' "
                         "that locks nothing; give the guard a name to lock "
                         "'%0'")
           << Guard->getName();
  if (!Name.empty())
    D << FixItHint::CreateInsertion(Paren, " " + Name);
}

} // namespace concheck
