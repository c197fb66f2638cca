//===--- PathQuery.h - Paths that leave a region without an event -*- C++ -*-===//
//
// Part of concheck. "A path from lock() to the exit that skips unlock()" and
// "a path through the task that skips done()" are the same question: from a
// starting point, which ways out of the function avoid every element of a
// given kind? findEscapes answers it over the CFG and names, for each such way
// out, the first jump statement (return, break, continue, goto, throw) on it:
// the statement a diagnostic should point at.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_PATHQUERY_H
#define CONCHECK_MODEL_PATHQUERY_H

#include "BodyCFG.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace concheck::model {

struct Escape {
  /// The first jump statement on the path, or null when the path falls off
  /// the end of the body without one.
  const clang::Stmt *Jump = nullptr;
  /// The block the path enters the exit from (for a fall-through escape, the
  /// end of the body).
  const clang::CFGBlock *LastBlock = nullptr;
};

/// Where a path search starts: after element \c Point.Index of its block, or,
/// when \c Successor is set, on that successor edge of the block only (the
/// success branch of a try_lock).
struct PathStart {
  CFGPoint Point;
  std::optional<unsigned> Successor;
};

/// The distinct ways out of the body from \p Start along which no element
/// satisfies \p Stops. Paths through a [[noreturn]] call end there and are no
/// escape. One Escape per distinct first jump (and at most one without a jump).
llvm::SmallVector<Escape, 2>
findEscapes(const BodyCFG &Body, const PathStart &Start,
            llvm::function_ref<bool(const clang::CFGElement &)> Stops);

/// A path that meets an event twice.
struct Repeat {
  /// Where the path meets the event the first and the second time.
  clang::SourceLocation First, Second;
  /// When the event is an automatic object's destruction (a guard's end of
  /// scope), that object.
  const clang::VarDecl *FirstDestroyed = nullptr, *SecondDestroyed = nullptr;
};

/// A path from \p Start on which \p IsEvent holds for two elements, if one
/// exists (a done() that runs twice, in sequence or around a loop).
std::optional<Repeat>
findRepeat(const BodyCFG &Body, const PathStart &Start,
           llvm::function_ref<bool(const clang::CFGElement &)> IsEvent);

/// Whether a path from \p Start reaches the element evaluating \p Target
/// without passing an element for which \p Stops holds.
bool reachesAvoiding(const BodyCFG &Body, const PathStart &Start,
                     const clang::Stmt *Target,
                     llvm::function_ref<bool(const clang::CFGElement &)> Stops);

/// The start of a function body: the entry block's successor.
PathStart entryOf(const BodyCFG &Body);

/// A source location for an element (its statement, or for an automatic
/// object's destructor the object's declaration).
clang::SourceLocation locationOf(const clang::CFGElement &E);

/// The jump statement an element or a block's terminator performs, if any:
/// return, co_return, throw, break, continue, goto.
const clang::Stmt *jumpOf(const clang::CFGElement &E);
const clang::Stmt *jumpOf(const clang::CFGBlock &B);

/// The keyword a jump statement is written with ("return", "break", ...).
llvm::StringRef jumpKeyword(const clang::Stmt *Jump);

/// For a call \p Call whose result decides the branch at the end of its block
/// in \p Body: the successor index (0 true, 1 false) taken when the call
/// returned \p NonZero ("success" for try_lock is a non-zero result,
/// for pthread_mutex_trylock a zero one). None when the call does not decide
/// the branch directly (its result is stored, combined arithmetically, ...).
std::optional<unsigned> branchWhenCallReturns(const BodyCFG &Body,
                                              const clang::Expr *Call,
                                              bool NonZero);

} // namespace concheck::model

#endif // CONCHECK_MODEL_PATHQUERY_H
