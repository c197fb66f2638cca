//===--- UnnamedGuardCheck.cpp - concheck-unnamed-guard -------------------===//
//
// Part of concheck.
//
// A guard that is not a named variable lives until the end of its statement:
// `std::lock_guard<std::mutex>{m};` locks and unlocks at once, and the code
// after it runs unprotected (C++ Core Guidelines CP.44). Its cousin,
// `std::unique_lock<std::mutex>(m);`, declares a new default-constructed
// guard named m that locks nothing. Both are reported with a fix-it that
// gives the guard a name.
//
//===----------------------------------------------------------------------===//

#include "UnnamedGuardCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using concheck::model::LockOp;

namespace concheck {

void UnnamedGuardCheck::analyze(const FunctionDecl *Callable,
                                const LockScan &Scan, ASTContext &Ctx) {
  for (const auto &[Construct, Cast] : Scan.DiscardedGuards)
    checkUnnamedGuard(Construct, Cast, Callable, Ctx);
  for (const VarDecl *Guard : Scan.GuardVars)
    checkParenthesizedGuard(Guard, Callable, Ctx);
}

void UnnamedGuardCheck::checkUnnamedGuard(const CXXConstructExpr *Construct,
                                          const CXXFunctionalCastExpr *Cast,
                                          const FunctionDecl *Callable,
                                          ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = Cast ? Cast->getBeginLoc() : Construct->getBeginLoc();
  if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
    return;
  if (ignoreMacros() && Loc.isMacroID())
    return;
  if (!lockModel().isGuardRecord(Construct->getConstructor()->getParent()))
    return;
  llvm::SmallVector<LockOp, 1> Ops = lockModel().classify(Construct);
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

void UnnamedGuardCheck::checkParenthesizedGuard(const VarDecl *Guard,
                                                const FunctionDecl *Callable,
                                                ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation NameLoc = Guard->getLocation();
  if (NameLoc.isInvalid() || NameLoc.isMacroID() ||
      SM.isInSystemHeader(NameLoc))
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
  auto D = diag(Guard->getBeginLoc(),
                "parentheses make this declare a guard named '%0' "
                "that locks nothing; give the guard a name to lock "
                "'%0'")
           << Guard->getName();
  if (!Name.empty())
    D << FixItHint::CreateInsertion(Paren, " " + Name);
}

} // namespace concheck
