//===--- PathQuery.h - Paths that leave a region without an event -*- C++
//-*-===//
//
// Part of concheck. "A path from lock() to the exit that skips unlock()" and
// "a path through the task that skips done()" are the same question: from a
// starting point, which ways out of the function avoid every element of a
// given kind? findEscapes answers it over the CFG and names, for each such way
// out, the first jump statement on it that leaves the region the search
// started in (a return, an uncaught throw, a goto, or a break, continue or
// caught throw that jumps out of the statement holding the start): the
// statement a diagnostic should point at. Two kinds of infeasible paths are
// left out: a throw of a type that a handler of the function certainly
// catches does not go past that handler, and a branch on a variable that the
// path itself set to a constant (`p = &x; ... if (!p) return;`), or that an
// earlier `if` of the path tested (a local, or a field that two `if`s test:
// BodyCFG::branchFields; the `if`s that certainly lead to the start count
// too), takes the side the value decides.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_PATHQUERY_H
#define CONCHECK_MODEL_PATHQUERY_H

#include "BodyCFG.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace concheck::model {

struct Escape {
  /// The first jump statement on the path that leaves the region, or null
  /// when the path falls off the end of the body without one.
  const clang::Stmt *Jump = nullptr;
  /// The first jump on the path that stays inside the region (a break out of
  /// a loop that follows the start, a throw caught there), when the path has
  /// one: what a note can point at for an escape without Jump.
  const clang::Stmt *Via = nullptr;
  /// The block the path enters the exit from (for a fall-through escape, the
  /// end of the body).
  const clang::CFGBlock *LastBlock = nullptr;
};

/// Where a path search starts: after element \c Point.Index of its block, or,
/// when \c Successor is set, on that successor edge of the block only (the
/// success branch of a try_lock). \c Anchor is the statement at the start (a
/// lock call); the region is the body from there on, and a break, continue
/// or caught throw leaves it when it jumps out of a statement holding the
/// anchor. Without an anchor (the entry of a body) only a return, an
/// uncaught throw and a goto leave.
struct PathStart {
  CFGPoint Point;
  std::optional<unsigned> Successor;
  const clang::Stmt *Anchor = nullptr;
};

/// The distinct ways out of the body from \p Start along which no element
/// satisfies \p Stops and no edge \p StopsEdge. Paths through a [[noreturn]]
/// call end there and are no escape. One Escape per distinct first jump (and
/// at most one without a jump).
llvm::SmallVector<Escape, 2> findEscapes(
    const BodyCFG &Body, const PathStart &Start,
    llvm::function_ref<bool(const clang::CFGElement &)> Stops,
    llvm::function_ref<bool(const clang::CFGBlock *, unsigned)> StopsEdge =
        nullptr);

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
/// without passing an element for which \p Stops holds, or an edge (a block
/// and the index of its successor) for which \p StopsEdge holds.
bool reachesAvoiding(const BodyCFG &Body, const PathStart &Start,
                     const clang::Stmt *Target,
                     llvm::function_ref<bool(const clang::CFGElement &)> Stops,
                     llvm::function_ref<bool(const clang::CFGBlock *, unsigned)>
                         StopsEdge = nullptr);

/// The statements (CFG elements) a path from \p Start evaluates before it
/// passes an element for which \p Stops holds (that one left out).
llvm::DenseSet<const clang::Stmt *>
reachedAvoiding(const BodyCFG &Body, const PathStart &Start,
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
