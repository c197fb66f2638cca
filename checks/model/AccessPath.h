//===--- AccessPath.h - Canonical names for memory locations ---*- C++ -*-===//
//
// Part of concheck. A mutex, a wait group or a shared location is named by a
// canonical access path: a root declaration (or 'this') followed by field,
// dereference and constant-index steps. Two expressions that name the same
// object through different spellings (a reference local, a lambda capture by
// reference, redundant parentheses) get equal paths; when the code cannot tell,
// no path is formed, so the analyses say less rather than more.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_ACCESSPATH_H
#define CONCHECK_MODEL_ACCESSPATH_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>
#include <vector>

namespace concheck::model {

class AccessPath;

/// What a task's parameters, captures and pointer locals stand for in terms of
/// the spawner's objects: a reference parameter bound to `wg`, a pointer
/// parameter or capture holding `&wg`. AccessPath::of consults them, so the
/// same object gets the same path on both sides of a spawn.
class Bindings {
public:
  /// \p D (a reference) refers to \p Target.
  void bindReference(const clang::ValueDecl *D, const AccessPath &Target);
  /// \p D (a pointer) points to \p Pointee.
  void bindPointer(const clang::ValueDecl *D, const AccessPath &Pointee);
  /// 'this' in the task points to \p Object (a member function spawned on
  /// an object of the spawner).
  void bindThis(const AccessPath &Object);
  const AccessPath *referent(const clang::ValueDecl *D) const;
  const AccessPath *pointee(const clang::ValueDecl *D) const;
  const AccessPath *thisObject() const;
  /// The call is made in \p Maker, whose 'this' is \p This in these
  /// bindings' terms: the 'this' a lambda made there captured is \p This.
  void bindMaker(const clang::FunctionDecl *Maker, const AccessPath &This);
  /// The 'this' a lambda made in \p Maker captured, when the call is made
  /// there.
  const AccessPath *makerThis(const clang::DeclContext *LambdaContext) const;
  /// The value an integer parameter \p D receives, as an index: a variable
  /// of the caller (Var) or a constant.
  struct IndexValue {
    const clang::ValueDecl *Var = nullptr;
    int64_t Const = 0;
  };
  void bindIndex(const clang::ValueDecl *D, IndexValue V) { Indices[D] = V; }
  const IndexValue *indexValue(const clang::ValueDecl *D) const {
    auto It = Indices.find(D);
    return It == Indices.end() ? nullptr : &It->second;
  }
  /// Adds every binding of \p Other that this one lacks.
  void merge(const Bindings &Other);
  bool empty() const {
    return Refs.empty() && Ptrs.empty() && !HasThis && !Maker &&
           Indices.empty();
  }

private:
  bool HasThis = false;
  unsigned ThisIndex = 0;
  const clang::FunctionDecl *Maker = nullptr;
  unsigned MakerIndex = 0;
  llvm::DenseMap<const clang::ValueDecl *, unsigned> Refs, Ptrs;
  llvm::DenseMap<const clang::ValueDecl *, IndexValue> Indices;
  std::vector<AccessPath> Targets;
};

class AccessPath {
public:
  enum class StepKind : unsigned char {
    Field,
    Deref,
    Index,
    IndexVar,
    AnyIndex
  };
  struct Step {
    StepKind Kind;
    const clang::ValueDecl *Decl = nullptr; // Field or IndexVar
    int64_t Index = 0;                      // Index
    friend bool operator==(const Step &A, const Step &B) {
      return A.Kind == B.Kind && A.Decl == B.Decl && A.Index == B.Index;
    }
  };

  /// The path of the object \p E denotes, or none when it cannot be named
  /// reliably (a call result, a non-constant index, a conditional, ...).
  /// With \p B, parameters and captures are read as what they are bound to.
  static std::optional<AccessPath> of(const clang::Expr *E,
                                      const Bindings *B = nullptr);

  /// The path of the object that pointer expression \p E points to.
  static std::optional<AccessPath> ofPointee(const clang::Expr *E,
                                             const Bindings *B = nullptr);

  /// The object \p E names, or, when \p E is a pointer, the object it
  /// points to: the object a member call is on (`wg.done()`, `p->done()`),
  /// the mutex a guard or a lock function is handed.
  static std::optional<AccessPath> ofObject(const clang::Expr *E,
                                            const Bindings *B = nullptr);

  /// A path rooted at a declaration, with no steps.
  static AccessPath ofDecl(const clang::ValueDecl *D);

  /// The object a lambda captured with [this], named so that it stays the
  /// same outside the function that made the lambda: a path rooted at the
  /// lambda's capture of 'this'. A function the lambda is handed to
  /// (`with(F f)`) keeps it so; where the maker calls that function, it is
  /// the maker's 'this' again (see Bindings::bindMaker). None when the
  /// lambda does not capture 'this' by reference.
  static std::optional<AccessPath>
  capturedThis(const clang::CXXRecordDecl *Lambda);
  /// The lambda whose captured 'this' roots this path, if it is one.
  const clang::CXXRecordDecl *capturedThisOf() const;

  /// This path followed by an index step on variable \p Index (a[i]).
  AccessPath withIndexVar(const clang::ValueDecl *Index) const;

  /// This path, formed in a callee, in the terms of a caller whose call
  /// \p B binds (bindArguments): a reference parameter replaced by its
  /// referent, a pointer parameter's pointee by the pointee, 'this' by the
  /// object; a global stays as it is. None when the root is something the
  /// caller cannot name: a parameter \p B does not bind, or a local of the
  /// callee.
  std::optional<AccessPath> substitute(const Bindings &B) const;

  /// This path followed by a dereference (*p for p).
  AccessPath withDeref() const;

  /// This path, formed in a caller, in the terms of the callee \p Callee
  /// whose parameters the call \p B binds (bindArguments): the inverse of
  /// substitute. A path under what a parameter refers or points to is
  /// rebased on that parameter; a global stays as it is. None for anything
  /// else (a local of the caller the call does not hand over).
  std::optional<AccessPath> inCallee(const clang::FunctionDecl *Callee,
                                     const Bindings &B) const;

  /// This path's root and its first \p N steps.
  AccessPath prefix(size_t N) const;

  /// \p Prefix followed by this path's steps from the \p Skip-th on.
  AccessPath rebase(const AccessPath &Prefix, size_t Skip) const;

  const clang::ValueDecl *root() const { return Root; }
  bool isThisRooted() const { return Root == nullptr; }
  llvm::ArrayRef<Step> steps() const { return Steps; }

  /// This path with its index steps (a[2], a[i]) turned into steps that name
  /// any element, so that the elements of one array are one location; the
  /// first index step it had, if any, in \p FirstIndex.
  AccessPath anyElement(std::optional<Step> &FirstIndex) const;

  /// A readable spelling for debugging and tests ("this->mu", "*p", "a.b[2]").
  std::string str() const;
  /// The spelling for messages: as a member function writes it ("mu_" for
  /// "this->mu_").
  std::string spelling() const;

  friend bool operator==(const AccessPath &A, const AccessPath &B) {
    return A.Root == B.Root && A.Steps == B.Steps;
  }
  friend bool operator!=(const AccessPath &A, const AccessPath &B) {
    return !(A == B);
  }
  friend bool operator<(const AccessPath &A, const AccessPath &B);
  friend llvm::hash_code hash_value(const AccessPath &P);

private:
  const clang::ValueDecl *Root = nullptr; // null: rooted at 'this'
  llvm::SmallVector<Step, 2> Steps;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_ACCESSPATH_H
