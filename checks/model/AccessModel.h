//===--- AccessModel.h - Reads and writes of shared locations ---*- C++ -*-===//
//
// Part of concheck. Collects, in one function body, the reads and writes of
// memory locations that the race analysis compares: variables, fields and
// container elements named by access paths. Writes are assignments, compound
// assignments, ++/--, and mutating member calls on the standard library's
// non-thread-safe types (push_back, insert, clear, map's operator[], ...);
// everything else that names a location reads it, including the object a
// pointer points to (*p, p[i], p->x). Atomics and the synchronization types
// themselves are never accesses.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_ACCESSMODEL_H
#define CONCHECK_MODEL_ACCESSMODEL_H

#include "AccessPath.h"
#include "Names.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include <optional>
#include <vector>

namespace concheck::model {

struct Access {
  /// The expression that names the location as written.
  const clang::Expr *E = nullptr;
  /// Where to ask which locks are held: the innermost enclosing expression
  /// that is an element of the body's CFG.
  const clang::Stmt *Anchor = nullptr;
  AccessPath Location;
  bool Write = false;
  /// An element of an array-like container indexed by a value private to
  /// each run of the task (results[i] with i captured by copy or passed as
  /// an argument): distinct per run.
  bool PerRunSlot = false;
  /// An element of an array or array-like container (a[i], v[i]).
  bool Element = false;
  /// The element's index, when it is a constant.
  std::optional<int64_t> ConstIndex;
  /// The element's index, when it is a variable (i in v[i]); for an index
  /// computed from a per-run value (`r * w + c`), that value's variable.
  const clang::ValueDecl *IndexDecl = nullptr;
  /// The computed index, when it is more than the variable IndexDecl.
  const clang::Expr *IndexExpr = nullptr;
  /// A read of a standard container's size alone (v.size(), v.empty()),
  /// which writes to its elements leave unchanged.
  bool ShapeOnly = false;

  /// Whether this access and \p Other name the slot of their own run by
  /// the same per-run index: the same variable, and the same computation of
  /// it (`out[r * w + c]` twice, not `a[i]` and `a[i - 1]`).
  bool sameSlotIndex(const Access &Other) const;

  /// Whether this access and \p Other may touch the same memory: one
  /// location, not two elements with different constant indices, not an
  /// element and the container's size.
  bool mayConflict(const Access &Other) const {
    if (Location != Other.Location)
      return false;
    if (Element && Other.Element && ConstIndex && Other.ConstIndex)
      return *ConstIndex == *Other.ConstIndex;
    // The size of a container is not its elements; but the size of an
    // element that is a container itself (v[i].size()) is that element's.
    return !(Element && Other.ShapeOnly && !Other.Element) &&
           !(ShapeOnly && !Element && Other.Element);
  }
};

struct AccessModelOptions {
  /// Extra types whose objects are safe to use from several threads at once
  /// (';'-separated qualified names).
  std::string ThreadSafeTypes;
};

class AccessModel {
public:
  explicit AccessModel(const AccessModelOptions &Opts);

  /// The accesses in \p Body's own code (nested lambdas are functions of
  /// their own). \p B names parameters and captures in a spawner's terms.
  /// \p PerRun lists declarations private to each run of a task (its by-copy
  /// captures and its parameters), for per-run slots.
  std::vector<Access>
  collect(const clang::FunctionDecl *Body, const Bindings *B,
          llvm::ArrayRef<const clang::ValueDecl *> PerRun) const;

  /// Whether objects of type \p T are synchronization primitives or atomics,
  /// never raced on through their own member functions.
  bool isThreadSafeType(clang::QualType T) const;

  static llvm::StringRef defaultThreadSafeTypes();

  /// Whether statement \p S gives variable \p VD a new value: an assignment,
  /// compound assignment or ++/-- of it, or its declaration (a loop body's
  /// local starts afresh on every iteration).
  static bool changesVariable(const clang::Stmt *S, const clang::ValueDecl *VD);

  /// Whether scalar local \p VD of \p Body keeps its initial value: no
  /// assignment, increment, address taken or binding to a non-const
  /// reference changes it.
  static bool keepsInitialValue(const clang::FunctionDecl *Body,
                                const clang::VarDecl *VD);

  /// Whether every run of \p Body names the same object by \p P from its
  /// entry to its end: its root is not a local or parameter that the body
  /// points elsewhere (keepsInitialValue), and no index step reads a
  /// variable. Two locks or two unlocks of such a path take one mutex.
  static bool namesOneObject(const clang::FunctionDecl *Body,
                             const AccessPath &P);

  /// The local variables of \p Body that take a ticket from an atomic
  /// counter ('auto i = next.fetch_add(1)', 'next++', fetch_sub, --) and are
  /// never changed afterwards: the counter hands each value out once, so no
  /// two runs of a task hold the same one (a per-run slot's index).
  static llvm::SmallVector<const clang::VarDecl *, 2>
  atomicTickets(const clang::FunctionDecl *Body);

private:
  NameSet ThreadSafe;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_ACCESSMODEL_H
