//===--- Coverage.h - What the model saw in a translation unit --*- C++ -*-===//
//
// Part of concheck. `concheck --stats` reports, per file and per project,
// what the analysis modelled: the places tasks start (by kind: the standard
// library's, concheck's runtime, a known executor, a spawn inferred from a
// function's body, a configured one), the joins and waits, the mutex types
// locked by hand and the guards. A user sees what the checks cover; the
// real-code sweep counts which task starts of a project are modelled.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_COVERAGE_H
#define CONCHECK_MODEL_COVERAGE_H

#include "ModelContext.h"
#include "clang/AST/ASTContext.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace concheck::model {

struct Coverage {
  /// Task starts: kind ("std", "concheck", "executor", "inferred",
  /// "configured") to the function or type that starts them, to a count.
  std::map<std::string, std::map<std::string, unsigned>> Spawns;
  /// Joins and waits, by the function that joins.
  std::map<std::string, unsigned> Joins;
  /// Mutex types locked by a call (by hand or through a lock function).
  std::map<std::string, unsigned> Mutexes;
  /// Guard types constructed on a mutex.
  std::map<std::string, unsigned> Guards;
  /// With sites wanted: each task start as (file, line, kind, the function
  /// or type that starts it), in the main file and the project's headers.
  std::set<std::tuple<std::string, unsigned, std::string, std::string>> Sites;

  unsigned spawnCount() const;
  static unsigned total(const std::map<std::string, unsigned> &M);
  void merge(const Coverage &Other);
  llvm::json::Value toJson() const;
};

/// What \p M's models recognise in the code of \p Ctx's main file (its
/// functions' bodies, lambdas and template instantiations included; each
/// source location counted once). \p WithSites: also list where each task
/// start is, there and in headers outside the system's.
Coverage collectCoverage(clang::ASTContext &Ctx, ModelContext &M,
                         bool WithSites = false);

} // namespace concheck::model

#endif // CONCHECK_MODEL_COVERAGE_H
