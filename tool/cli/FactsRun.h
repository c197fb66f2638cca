//===--- FactsRun.h - whole-project facts for one run of concheck ---------===//
//
// Part of concheck.
//
// The concheck command learns which functions are spawns, joins and lock
// wrapper methods while it checks (model/ProjectFacts.h), then checks again
// only the translation units that call such a function defined elsewhere,
// with the facts, until nothing changes. The facts are kept in a cache
// beside the compile database, one entry per unit, valid while the unit's
// command and the contents of every file it read are unchanged; a run with
// the cache warm uses the valid entries from the start, so it checks each
// unit once.
//
// Why not a separate first pass, as the issue first asked: parsing every
// unit twice doubles the cost of a cold run. Facts only change the result
// of a unit that calls a function with facts that it has no body for, which
// the first check records (UnitFacts::Called); those are checked again.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_FACTSRUN_H
#define CONCHECK_TOOL_CLI_FACTSRUN_H

#include "Runner.h"
#include "model/ProjectFacts.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <mutex>

namespace concheck {
namespace cli {

class FactsRun {
public:
  /// \p CacheFile: where the facts are kept (empty: nowhere, for a run
  /// without a compile database).
  FactsRun(std::string CacheFile,
           const clang::tooling::CompilationDatabase &Database);

  /// The facts known before checking: those of every unit in the cache
  /// whose command and files are unchanged. \p Problem says why the cache
  /// could not be read, if it exists and could not.
  std::shared_ptr<const model::ProjectFacts> known(std::string &Problem);

  /// Records what checking \p File with the facts \p Used found (thread
  /// safe).
  void record(const std::string &File, FileResult &Result,
              std::shared_ptr<const model::ProjectFacts> Used);

  /// The facts of every unit known now, and which of \p Files were checked
  /// with facts, about the functions they call, that differ from these.
  std::shared_ptr<const model::ProjectFacts>
  current(const std::vector<std::string> &Files, std::vector<size_t> &Stale);

  /// Writes the cache (a new file renamed over the old one). False with
  /// \p Error when it could not.
  bool save(std::string &Error);

  const std::string &cacheFile() const { return CacheFile; }

private:
  std::string commandOf(const std::string &File) const;
  /// The hash of \p Path's contents (none: unreadable), once per run.
  std::optional<uint64_t> hashOf(const std::string &Path);

  std::string CacheFile;
  const clang::tooling::CompilationDatabase &Database;
  std::mutex M;
  model::FactsCache Cache;
  llvm::StringMap<std::shared_ptr<const model::ProjectFacts>> UsedBy;
  llvm::StringMap<std::optional<uint64_t>> Hashes;
};

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_FACTSRUN_H
