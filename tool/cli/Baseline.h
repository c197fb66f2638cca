//===--- Baseline.h - adopt concheck on code that has findings today ------===//
//
// Part of concheck.
//
// A baseline records today's findings so that a later run reports only new
// ones. A finding is keyed by its check, its file (relative to the baseline
// file's directory, so the checkout can move), its message and the text of
// its line with whitespace collapsed; line numbers take no part, so moving
// the code or editing other lines keeps it matched. Identical keys are
// counted: two identical findings in a file match two baseline entries.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_BASELINE_H
#define CONCHECK_TOOL_CLI_BASELINE_H

#include "Report.h"
#include <map>

namespace concheck {
namespace cli {

class Baseline {
public:
  /// Reads a baseline file; sets Error (one line) on failure.
  static std::optional<Baseline> read(llvm::StringRef Path, std::string &Error);

  /// Writes the findings as a baseline to Path, atomically.
  static bool write(llvm::StringRef Path, llvm::ArrayRef<Finding> Findings,
                    std::string &Error);

  /// Removes the findings the baseline records; returns how many.
  unsigned filter(std::vector<Finding> &Findings) const;

private:
  std::string Directory;
  std::map<std::string, unsigned> Counts;
};

/// Writes Contents to Path through a temporary file in the same directory
/// and a rename, so that Path is never left half-written.
bool writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents,
                         std::string &Error);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_BASELINE_H
