//===--- Reentrancy.h - Which mutexes may be locked again ------*- C++ -*-===//
//
// Part of concheck. A recursive (reentrant) mutex may be locked again by the
// thread that holds it, and stays held until it is unlocked as often: a
// std::recursive_mutex (any type named recursive or reentrant, or a class
// that keeps one), and a pthread or C11 mutex the translation unit makes
// recursive (initialized by a function that names PTHREAD_MUTEX_RECURSIVE or
// mtx_recursive, or a global given a recursive initializer). The lock-set
// analysis counts the holds of such a mutex; the lock-order check does not
// call a second lock of one a self-deadlock.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_REENTRANCY_H
#define CONCHECK_MODEL_REENTRANCY_H

#include "AccessPath.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

namespace concheck::model {

/// Whether a mutex of type \p T, named \p Mutex, may be recursive: by its
/// type, or (a pthread_mutex_t or mtx_t) by how \p Ctx's translation unit
/// initializes it. False for a null type. A C mutex initialized where the
/// mutex cannot be told (through a pointer handed to some other function)
/// makes every C mutex of the unit "may be".
bool mayBeReentrant(clang::QualType T, const AccessPath &Mutex,
                    const clang::ASTContext &Ctx);

/// What the translation unit's C initializations say (cached in its
/// TranslationUnitState).
struct ReentrantCMutexes {
  /// The mutexes initialized recursive (AccessPath::str()).
  llvm::StringSet<> Paths;
  /// A recursive kind named where no mutex could be told: any may be.
  bool Unknown = false;
  /// What each mutex type is: recursive by its name or members, a C mutex
  /// (recursive as initialized), or neither.
  enum Kind : unsigned char { Plain, Recursive, CMutex };
  llvm::DenseMap<const clang::Type *, Kind> ByType;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_REENTRANCY_H
