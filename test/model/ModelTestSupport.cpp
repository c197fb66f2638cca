//===--- ModelTestSupport.cpp - Parsing snippets for the model's tests ----===//

#include "ModelTestSupport.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Tooling/Tooling.h"

using namespace clang;

namespace concheck::test {

Snippet::Snippet(llvm::StringRef Code) {
  std::vector<std::string> Args = {
      "-std=c++20", "-fno-delayed-template-parsing",
      "-isystem", CONCHECK_TEST_INPUTS "/concheck-mock",
      "-isystem", CONCHECK_TEST_INPUTS "/std",
      "-resource-dir", CONCHECK_CLANG_RESOURCE_DIR};
  Unit = tooling::buildASTFromCodeWithArgs(Code, Args, "snippet.cpp");
  HasErrors = !Unit || Unit->getDiagnostics().hasErrorOccurred();
}

const FunctionDecl *Snippet::function(llvm::StringRef Name) {
  struct Finder : RecursiveASTVisitor<Finder> {
    llvm::StringRef Name;
    const FunctionDecl *Found = nullptr;
    bool VisitFunctionDecl(FunctionDecl *FD) {
      // A constructor is found by its class's name.
      const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD);
      if (!Found && FD->isThisDeclarationADefinition() &&
          ((FD->getDeclName().isIdentifier() && FD->getName() == Name) ||
           (Ctor && Ctor->getParent()->getName() == Name)))
        Found = FD;
      return true;
    }
  } Find;
  Find.Name = Name;
  Find.TraverseDecl(context().getTranslationUnitDecl());
  return Find.Found;
}

const FunctionDecl *Snippet::lambdaIn(llvm::StringRef Name, unsigned N) {
  const FunctionDecl *F = function(Name);
  if (!F)
    return nullptr;
  std::vector<const LambdaExpr *> Lambdas = all<LambdaExpr>(F);
  return N < Lambdas.size() ? Lambdas[N]->getCallOperator() : nullptr;
}

const VarDecl *Snippet::var(const FunctionDecl *F, llvm::StringRef Name) {
  for (const ParmVarDecl *P : F->parameters())
    if (P->getName() == Name)
      return P;
  for (const DeclStmt *DS : all<DeclStmt>(F))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getName() == Name)
        return VD;
  return nullptr;
}

const CallExpr *Snippet::call(const FunctionDecl *F, llvm::StringRef Callee,
                              unsigned N) {
  for (const CallExpr *C : all<CallExpr>(F)) {
    const FunctionDecl *D = C->getDirectCallee();
    if (D && D->getDeclName().isIdentifier() && D->getName() == Callee &&
        N-- == 0)
      return C;
  }
  return nullptr;
}

const DeclRefExpr *Snippet::ref(const FunctionDecl *F, llvm::StringRef Name,
                                unsigned N) {
  for (const DeclRefExpr *R : all<DeclRefExpr>(F))
    if (R->getDecl()->getDeclName().isIdentifier() &&
        R->getDecl()->getName() == Name && N-- == 0)
      return R;
  return nullptr;
}

const Stmt *Snippet::stmt(const FunctionDecl *F, llvm::StringRef Class,
                          unsigned N) {
  for (const Stmt *S : all<Stmt>(F))
    if (llvm::StringRef(S->getStmtClassName()) == Class && N-- == 0)
      return S;
  return nullptr;
}

} // namespace concheck::test
