//===--- FlagFacts.h - What a body's tests say of mode flags ---*- C++ -*-===//
//
// Part of concheck. Code shared by the main thread and its workers often
// tests a global mode flag to tell which side runs it (`if (io_op !=
// OP_IDLE) return;` before what only the main thread may do), and the
// workers test the same flag before they call it (`else if (io_op ==
// OP_READ) read_query(c);`); a parameter does the same work when callers
// pass a constant (`close_client(c, /*async=*/1)`). FlagFacts follows, over
// one body's CFG, what its branches establish about such flags: plain
// globals and by-value parameters of integer, enum or bool type that the
// body tests against a constant (`f == K`, `f != K`, `f`, `!f`) or that a
// function it calls requires. At each point it knows
// the tests that hold on every path there (until the flag is written: an
// assignment, ++/--, its address taken, a call whose summary writes it),
// and which of them also held on entry (no path wrote the flag before).
// A summary keeps, with each access, the tests that must have held on its
// function's entry for the access to be reached (FlagTest); a caller whose
// own tests contradict them at the call does not reach the access.
//
// A call the translation unit cannot show is taken not to change a flag:
// a mode flag is set by the code that owns the mode, and a wrong guess here
// can only hide an access, never report one.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_FLAGFACTS_H
#define CONCHECK_MODEL_FLAGFACTS_H

#include "BodyCFG.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>
#include <vector>

namespace concheck::model {

class SummaryModel;

/// A flag equal to a value (Equal) or different from it.
struct FlagTest {
  const clang::VarDecl *Flag = nullptr;
  int64_t Value = 0;
  bool Equal = true;
  friend bool operator==(const FlagTest &A, const FlagTest &B) {
    return A.Flag == B.Flag && A.Value == B.Value && A.Equal == B.Equal;
  }
  friend bool operator<(const FlagTest &A, const FlagTest &B);
};
using FlagTests = llvm::SmallVector<FlagTest, 1>;

/// Whether tests \p Known (true at a point) rule out tests \p Required.
bool contradicts(llvm::ArrayRef<FlagTest> Known,
                 llvm::ArrayRef<FlagTest> Required);
/// The tests in both (for a requirement that two ways to one access make:
/// only what both require).
FlagTests commonTests(llvm::ArrayRef<FlagTest> A, llvm::ArrayRef<FlagTest> B);

class FlagFacts {
public:
  static constexpr unsigned MaxRounds = 64;

  /// Runs over \p Body; \p Summaries tells which calls write a flag and
  /// which flags a callee requires (null: calls write none).
  FlagFacts(const BodyCFG &Body, SummaryModel *Summaries);

  /// Whether the flag tests on every path to \p S contradict each other:
  /// no path reaches it (false for a statement outside the CFG).
  bool infeasible(const clang::Stmt *S) const;
  /// The tests that hold on every path to the evaluation of \p S and held
  /// on entry too (no path there wrote the flag).
  FlagTests onEntryAt(const clang::Stmt *S) const;
  /// For an access of \p Callee that needs \p Required on its entry, and
  /// that \p Call reaches: none when the tests at the call (or a constant
  /// argument) rule it out; else what this body needs on its own entry for
  /// it (its tests that lead to the call, and those of \p Required that
  /// nothing here changed before the call).
  std::optional<FlagTests> requiredAt(const clang::CallExpr *Call,
                                      const clang::FunctionDecl *Callee,
                                      llvm::ArrayRef<FlagTest> Required) const;

private:
  struct State {
    bool Reached = false;
    FlagTests Known;
    /// Flags some path to here may have written (sorted).
    llvm::SmallVector<const clang::VarDecl *, 2> Written;
  };
  std::optional<FlagTest> testOf(const clang::Expr *Cond) const;
  /// The flag of this body a callee's \p Flag stands for at \p Call: a
  /// global itself, a parameter the argument if it is a flag here (else
  /// null, with the argument in \p Arg).
  const clang::VarDecl *argumentFlag(const clang::CallExpr *Call,
                                     const clang::FunctionDecl *Callee,
                                     const clang::VarDecl *Flag,
                                     const clang::Expr **Arg) const;
  void written(State &S, const clang::VarDecl *Flag) const;
  void transfer(const clang::CFGElement &E, State &S) const;
  /// The state before \p S (none: not followed); the last one asked for
  /// is kept, as a call's accesses ask for it one by one.
  const std::optional<State> &stateAt(const clang::Stmt *S) const;

  const BodyCFG &Body;
  SummaryModel *Summaries;
  llvm::SmallVector<const clang::VarDecl *, 4> Flags; // tracked
  std::vector<State> In;
  /// Nothing tracked, or the fixed point was cut: every query is empty.
  bool Off = true;
  mutable const clang::Stmt *CachedAt = nullptr;
  mutable std::optional<State> Cached;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_FLAGFACTS_H
