//===--- Names.h - Matching declarations against configured names -*- C++ -*-===//
//
// Part of concheck. The checks' defaults and their CheckOptions name types and
// functions by qualified name ("::std::mutex", "absl::Mutex"). These helpers
// compare declarations against such lists the way clang's hasName does:
// inline namespaces (libc++'s std::__1) are ignored, a leading "::" is optional.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_NAMES_H
#define CONCHECK_MODEL_NAMES_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace concheck::model {

/// Splits a ';'-separated option value, trimming blanks and dropping empties.
std::vector<std::string> splitList(llvm::StringRef List);

/// Joins the defaults and the user's extra names into one ';' list.
std::string joinLists(llvm::StringRef A, llvm::StringRef B);

/// A set of qualified names, compared without inline namespaces.
class NameSet {
public:
  NameSet() = default;
  explicit NameSet(llvm::StringRef SemicolonList);
  void add(llvm::StringRef Name);
  bool contains(const clang::NamedDecl *D) const;
  /// True when \p RD or one of its bases is named in the set.
  bool containsRecordOrBase(const clang::CXXRecordDecl *RD) const;
  const std::vector<std::string> &names() const { return Names; }

private:
  std::vector<std::string> Names; // without leading "::"
};

/// \p Name with every template argument list left out:
/// "BS::thread_pool<0>::detach_task<F>" is "BS::thread_pool::detach_task".
std::string withoutTemplateArguments(llvm::StringRef Name);

/// The fully qualified name of \p D without inline namespaces.
std::string qualifiedName(const clang::NamedDecl *D);

/// Whether \p RD, or a base of it (a few levels up), satisfies \p Pred.
bool isRecordOrBase(
    const clang::CXXRecordDecl *RD,
    llvm::function_ref<bool(const clang::CXXRecordDecl *)> Pred);

/// Calls \p Fn once for each method \p MD overrides, directly or not
/// (canonical declarations).
void forEachOverridden(const clang::CXXMethodDecl *MD,
                       llvm::function_ref<void(const clang::CXXMethodDecl *)> Fn);

/// Whether \p D lies in a namespace named \p NS, at any depth (always, for
/// an empty \p NS).
bool inNamespace(const clang::Decl *D, llvm::StringRef NS);

/// Whether \p RD or a base is named \p Name in a namespace named \p NS (any
/// depth: tbb::task_group lives in tbb::detail::d1 in oneTBB).
bool isRecordInNamespace(const clang::CXXRecordDecl *RD, llvm::StringRef Name,
                         llvm::StringRef NS);

/// Whether \p RD itself (not a base) is one of the standard library's
/// classes \p Names (std::thread, std::future, ...).
bool isStdRecord(const clang::CXXRecordDecl *RD,
                 llvm::ArrayRef<llvm::StringRef> Names);

/// The body a function runs: its definition's, or, for a member of a class
/// template specialization that the translation unit never instantiated,
/// the template's own (dependent, but its members and calls are named).
const clang::FunctionDecl *definitionOf(const clang::FunctionDecl *FD);

/// A member function name that stores its argument in a standard container
/// (push_back, emplace, insert, try_emplace, ...).
bool isContainerInsertionName(llvm::StringRef Name);
/// The same, or one that hands it to a queue or channel (enqueue, put,
/// send, add, try_push, ...).
bool isQueueInsertionName(llvm::StringRef Name);

/// The record behind \p T, looking through references, pointers when
/// \p ThroughPointer, typedefs and template specializations.
const clang::CXXRecordDecl *recordOf(clang::QualType T,
                                     bool ThroughPointer = false);

} // namespace concheck::model

#endif // CONCHECK_MODEL_NAMES_H
