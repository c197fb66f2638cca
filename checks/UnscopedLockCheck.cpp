//===--- UnscopedLockCheck.cpp - concheck-unscoped-lock -------------------===//
//
// Part of concheck.
//
// A mutex locked by a direct call (m.lock(), pthread_mutex_lock(&m),
// std::lock(a, b)) rather than by a scoped guard (C++ Core Guidelines CP.20).
// This is style advice, not a bug by itself: the bugs it invites (a path
// that leaves the mutex locked) are concheck-unbalanced-lock's. A fix-it
// rewrites the lock()/unlock() pair into a guard when the guard is certainly
// equivalent.
//
//===----------------------------------------------------------------------===//

#include "UnscopedLockCheck.h"
#include "model/BodyCFG.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using concheck::model::AccessPath;
using concheck::model::LockOp;

namespace concheck {

namespace {

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

namespace {

/// The rewrite of one manual lock into a scoped guard.
struct GuardFix {
  llvm::SmallVector<FixItHint, 4> Hints;
};

} // namespace

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
  const Expr *Obj = LockCheckBase::writtenObject(Written);
  // A smart pointer behaves as a pointer here: *up names the mutex.
  const bool IsPointer = Obj != Written || Obj->getType()->isPointerType();
  std::string Text;
  if (const auto *This = dyn_cast<CXXThisExpr>(Obj); This && This->isImplicit())
    Text = "this";
  else
    Text = LockCheckBase::sourceText(Obj->getSourceRange(), Ctx).str();
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
static std::optional<GuardFix> computeGuardFix(const LockOp &Lock,
                                               const LockScan &Scan,
                                               const FunctionDecl *Callable,
                                               ASTContext &Ctx) {
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
  std::string Name = LockCheckBase::freshGuardName(Callable);
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

void UnscopedLockCheck::analyze(const FunctionDecl *Callable,
                                const LockScan &Scan, ASTContext &Ctx) {
  // A lockable or guard type's own lock()/unlock() forward to the inner mutex
  // by design, and so do functions annotated as acquiring or releasing.
  if (Scan.Ops.empty() || isLockImplementation(Callable))
    return;
  const model::BodyCFG *Body = model::getBodyCFG(Callable);
  llvm::SmallPtrSet<const Expr *, 8> WarnedSites;
  for (const LockOp &Lock : Scan.Ops) {
    if (!isManualLock(Lock, Scan, Ctx))
      continue;
    const SourceLocation Loc = Lock.Site->getBeginLoc();
    // A constructor that locks what it does not unlock is a hand-written
    // guard whose destructor unlocks.
    if (isa<CXXConstructorDecl>(Callable) && !releasedLater(Lock, Scan, Body))
      continue;
    // One warning per call (std::lock(a, b) is one call).
    if (!WarnedSites.insert(Lock.Site).second || !firstReport(Loc, "manual"))
      continue;
    auto D = diag(Loc, "mutex '%0' is locked with '%1()' instead of a "
                       "scoped guard")
             << mutexName(Lock, Ctx) << Lock.Function;
    if (std::optional<GuardFix> Fix =
            computeGuardFix(Lock, Scan, Callable, Ctx))
      for (const FixItHint &H : Fix->Hints)
        D << H;
  }
}

} // namespace concheck
