//===--- ModelTestSupport.h - Parsing snippets for the model's tests -*- C++ -*-===//
//
// Part of concheck. A translation unit made from a snippet, compiled as C++20
// against the mock headers of test/Inputs, and the lookups the tests need:
// a function by name, the n-th expression of a kind in it, a variable.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TEST_MODEL_MODELTESTSUPPORT_H
#define CONCHECK_TEST_MODEL_MODELTESTSUPPORT_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <vector>

namespace concheck::test {

/// A parsed snippet. The snippet must compile without errors.
class Snippet {
public:
  explicit Snippet(llvm::StringRef Code);
  clang::ASTContext &context() { return Unit->getASTContext(); }
  bool valid() const { return Unit != nullptr && !HasErrors; }

  /// The definition of the function (or method) named \p Name (a
  /// constructor by its class's name); for a lambda inside it, see lambdaIn.
  const clang::FunctionDecl *function(llvm::StringRef Name);
  /// The call operator of the \p N-th lambda (0-based, in source order) in
  /// function \p Name.
  const clang::FunctionDecl *lambdaIn(llvm::StringRef Name, unsigned N = 0);
  /// The variable or parameter named \p Name declared in \p F.
  const clang::VarDecl *var(const clang::FunctionDecl *F, llvm::StringRef Name);

  /// Every node of type T in \p F's body (nested lambdas included), in
  /// source order.
  template <class T>
  std::vector<const T *> all(const clang::FunctionDecl *F) {
    struct Finder : clang::RecursiveASTVisitor<Finder> {
      bool shouldVisitLambdaBody() const { return true; }
      bool VisitStmt(clang::Stmt *S) {
        if (const auto *N = llvm::dyn_cast<T>(S))
          Found.push_back(N);
        return true;
      }
      std::vector<const T *> Found;
    } Find;
    Find.TraverseStmt(F->getBody());
    return Find.Found;
  }

  /// The \p N-th call in \p F whose callee is named \p Callee.
  const clang::CallExpr *call(const clang::FunctionDecl *F,
                              llvm::StringRef Callee, unsigned N = 0);
  /// The \p N-th reference to a variable named \p Name in \p F.
  const clang::DeclRefExpr *ref(const clang::FunctionDecl *F,
                                llvm::StringRef Name, unsigned N = 0);
  /// The \p N-th statement of class \p Class ("ReturnStmt", "BreakStmt") in
  /// \p F.
  const clang::Stmt *stmt(const clang::FunctionDecl *F, llvm::StringRef Class,
                          unsigned N = 0);

private:
  std::unique_ptr<clang::ASTUnit> Unit;
  bool HasErrors = false;
};

} // namespace concheck::test

#endif // CONCHECK_TEST_MODEL_MODELTESTSUPPORT_H
