//===--- TranslationUnitState.h - What lives as long as a TU ----*- C++ -*-===//
//
// Part of concheck. The model's caches for one translation unit, owned by
// its ASTContext: made on first use and destroyed when the ASTContext is
// (through ASTContext::AddDeallocation), never reset by hand. Several
// translation units may be alive at once (clangd), each on its own thread
// (the concheck command's -j): the registry is locked, each state is used by
// the one thread that works on its translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_TRANSLATIONUNITSTATE_H
#define CONCHECK_MODEL_TRANSLATIONUNITSTATE_H

#include "AccessPath.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <vector>

namespace concheck::model {

class BodyCFG;
class ModelContext;
struct ReentrantCMutexes;

struct TranslationUnitState {
  /// One CFG per function body (null where the CFG builder gave up).
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<BodyCFG>> CFGs;
  /// One model context per set of options the checks were given.
  std::vector<std::unique_ptr<ModelContext>> Models;
  /// For a function whose every return names one object (a getter), that
  /// object in the function's own terms, with the pointee for a function
  /// returning a pointer; none otherwise (AccessPath::of).
  llvm::DenseMap<const clang::FunctionDecl *, std::optional<AccessPath>>
      Getters;

  /// Which C mutexes the unit makes recursive (Reentrancy.h), on first use.
  std::unique_ptr<ReentrantCMutexes> Reentrant;

  /// The state of \p Ctx's translation unit.
  static TranslationUnitState &of(const clang::ASTContext &Ctx);

  ~TranslationUnitState();
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_TRANSLATIONUNITSTATE_H
