//===--- MergeReports.h - one report from the shards' reports -------------===//
//
// Part of concheck.
//
// `concheck merge`: the JSON reports or SARIF logs of a run's shards, made
// one, and read back as findings for the other formats.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_MERGEREPORTS_H
#define CONCHECK_TOOL_CLI_MERGEREPORTS_H

#include "Writers.h"

namespace concheck {
namespace cli {

/// What a merged report (JSON or SARIF) holds, for the merge's exit status:
/// the findings (not compiler errors), and whether any tool error or failed
/// execution is recorded.
struct MergedCounts {
  unsigned Findings = 0;
  bool Errors = false;
};
MergedCounts countMerged(const llvm::json::Value &Merged);

/// Merges JSON reports or SARIF logs written by concheck (shards of one
/// project): results keyed by fingerprint are kept once. Returns false and
/// sets Error when an input is not one of them or formats are mixed.
/// A shard given twice is an error; \p Notes gets each shard of N missing
/// from the inputs.
bool mergeReports(llvm::ArrayRef<llvm::json::Value> Inputs,
                  llvm::ArrayRef<std::string> Names, llvm::json::Value &Merged,
                  std::string &Error, std::vector<std::string> &Notes);

/// The findings and errors of a JSON report, as this run would have made
/// them (paths made absolute against its root; each finding's source line
/// read again from \p Sources), and with \p Suppressions what NOLINT
/// comments did. False when it is not a concheck JSON report.
bool findingsFromJson(const llvm::json::Value &Report, SourceFiles &Sources,
                      std::vector<Finding> &Findings,
                      std::vector<ToolError> &Errors, unsigned &FilesChecked,
                      SuppressionReport *Suppressions = nullptr);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_MERGEREPORTS_H
