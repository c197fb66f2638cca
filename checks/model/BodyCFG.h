//===--- BodyCFG.h - One CFG per function body, shared by the checks -*- C++ -*-===//
//
// Part of concheck. Every flow-sensitive check needs the CFG of the function
// (or lambda) it analyses. BodyCFG builds it once with the options all concheck
// analyses rely on (implicit and temporary destructors, so a guard's end of
// scope is an element; every statement an element) and indexes where each
// statement sits. The translation unit's state hands the same BodyCFG to
// every check that asks.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_BODYCFG_H
#define CONCHECK_MODEL_BODYCFG_H

#include "AccessPath.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/Analyses/Dominators.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>

namespace concheck::model {

/// A position in the CFG: element \c Index of \c Block.
struct CFGPoint {
  const clang::CFGBlock *Block = nullptr;
  unsigned Index = 0;
};

class BodyCFG {
public:
  /// Builds the CFG of \p Callable's body; null when it has none or the CFG
  /// builder gives up (it does on some invalid code).
  static std::unique_ptr<BodyCFG> build(const clang::FunctionDecl *Callable);
  ~BodyCFG();

  const clang::FunctionDecl *callable() const { return Callable; }
  const clang::CFG &cfg() const { return *Cfg; }

  /// Where \p S is evaluated, when it is an element of the CFG.
  std::optional<CFGPoint> pointOf(const clang::Stmt *S) const;

  /// True when every path from the entry to \p B passes through \p A.
  bool dominates(const clang::CFGBlock *A, const clang::CFGBlock *B) const;

  /// The blocks in reverse post-order from the entry (clang's
  /// PostOrderCFGView, which skips the null successors of pruned edges):
  /// the order a forward dataflow analysis visits them in.
  const clang::PostOrderCFGView &reversePostOrder() const;

  /// True when \p From reaches \p To (a block reaches itself only through a
  /// cycle, and even then this says false: ask inCycle).
  bool reaches(const clang::CFGBlock *From, const clang::CFGBlock *To) const;

  /// True when \p B lies on a cycle: a path from it leads back to it.
  bool inCycle(const clang::CFGBlock *B) const;

  /// The statement that directly holds \p S in the body (null for the body
  /// itself and for statements outside it). Nested lambdas and local classes
  /// are functions of their own and are not mapped.
  const clang::Stmt *parentOf(const clang::Stmt *S) const;

  /// Whether \p Inner is \p Outer or lies inside it.
  bool isWithin(const clang::Stmt *Inner, const clang::Stmt *Outer) const;

  /// The scalar locals that a two-way branch of the body tests against zero
  /// (`if (!p)`, `while (flag)`, `if (n == 0)`) and that only the body's own
  /// statements can change: their address is never taken, no reference is
  /// bound to them, no lambda captures them by reference. A path query may
  /// follow their values.
  const llvm::SmallPtrSetImpl<const clang::VarDecl *> &branchVariables() const;

  /// The fields (`m->needs_lock`, `s.ready`) that two or more `if`
  /// statements of the body test against zero, as a map from each tested
  /// expression to a key that the tests of one field (one access path)
  /// share. A path query takes a later test's branch the way the earlier
  /// one went, until the path assigns to one of the path's fields.
  const llvm::DenseMap<const clang::Expr *, const AccessPath *> &
  branchFields() const;

private:
  BodyCFG() = default;
  const clang::FunctionDecl *Callable = nullptr;
  std::unique_ptr<clang::CFG> Cfg;
  llvm::DenseMap<const clang::Stmt *, CFGPoint> Points;
  mutable std::unique_ptr<clang::CFGDomTree> DomTree;
  mutable std::unique_ptr<clang::PostOrderCFGView> Order;
  mutable std::unique_ptr<clang::CFGReverseBlockReachabilityAnalysis> Reach;
  mutable std::unique_ptr<
      llvm::DenseMap<const clang::Stmt *, const clang::Stmt *>>
      Parents;
  mutable std::unique_ptr<llvm::SmallPtrSet<const clang::VarDecl *, 4>>
      BranchVariables;
  mutable std::unique_ptr<
      llvm::DenseMap<const clang::Expr *, const AccessPath *>>
      BranchFields;
  mutable std::deque<AccessPath> FieldKeys;
};

/// Whether \p E is a literal zero, false, nullptr or NULL.
bool isZeroOrFalse(const clang::Expr *E);

/// What condition \p Cond tests against zero: the operand of `x`, `!x`,
/// `x == 0`, `x != nullptr` (parentheses and implicit casts removed), with
/// \p TrueWhenNonZero telling which way the condition goes; null for any
/// other condition.
const clang::Expr *testedValue(const clang::Expr *Cond, bool &TrueWhenNonZero);

/// Whether condition \p Cond tests one variable against zero: `v`, `!v`,
/// `v == nullptr`, `v != 0`, ... The variable, and in \p TrueWhenNonZero
/// whether the condition holds exactly when the variable is non-zero.
const clang::VarDecl *testedVariable(const clang::Expr *Cond,
                                     bool &TrueWhenNonZero);

/// The integer value of constant expression \p E (a literal, an enumerator,
/// `sizeof`, ...), when it fits in 64 bits.
std::optional<int64_t> integerConstant(const clang::Expr *E,
                                       const clang::ASTContext &C);

/// What a condition states, when true, of one operand: that it equals
/// \c Value (\c Equal) or differs from it.
struct ConstantTest {
  const clang::Expr *Operand = nullptr;
  int64_t Value = 0;
  bool Equal = true;
};
/// Whether condition \p Cond compares an operand that \p IsOperand accepts
/// with a constant: `x == K`, `K != x`, `x` (x != 0), `!x` (x == 0), and
/// their negations.
std::optional<ConstantTest>
constantTest(const clang::Expr *Cond, const clang::ASTContext &C,
             llvm::function_ref<bool(const clang::Expr *)> IsOperand);

/// The BodyCFG of \p Callable, built on first use and kept as long as its
/// translation unit's ASTContext (TranslationUnitState). Null when there is
/// none.
const BodyCFG *getBodyCFG(const clang::FunctionDecl *Callable);

/// The function whose body contains \p S: the innermost function, or the call
/// operator of the innermost lambda. Null outside any body (e.g. a global's
/// initializer).
const clang::FunctionDecl *enclosingCallable(const clang::Stmt *S,
                                             clang::ASTContext &Ctx);

/// Removes parentheses, implicit casts and the nodes C++ wraps temporaries in.
const clang::Expr *stripWrappers(const clang::Expr *E);

/// Removes parentheses and the casts that carry a value unchanged from one
/// integer or pointer type to another: `(void *)(long)i`, the C idiom for
/// handing a thread its number, is `i`, and `(long)arg` is `arg`.
const clang::Expr *stripValueCasts(const clang::Expr *E);

/// x for std::move(x) or std::forward<T>(x) (wrappers removed first), else
/// null.
const clang::Expr *movedFrom(const clang::Expr *E);

/// The expressions that initialize \p FD's members when it is a
/// constructor, in the order they run (before its body); none otherwise.
/// With \p Of, only the initializer written for that member.
llvm::SmallVector<const clang::Expr *, 4>
memberInitializers(const clang::FunctionDecl *FD,
                   const clang::FieldDecl *Of = nullptr);

/// What a call hands its callee: the object a method is called on (null for
/// a free function) and the arguments the callee's parameters receive, in
/// order. A member operator takes its object as the call's first argument.
struct CallOperands {
  const clang::Expr *Object = nullptr;
  llvm::SmallVector<const clang::Expr *, 4> Args;
};
CallOperands operandsOf(const clang::CallExpr *Call,
                        const clang::FunctionDecl *Callee);

} // namespace concheck::model

#endif // CONCHECK_MODEL_BODYCFG_H
