//===--- Writers.h - the report's formats ---------------------------------===//
//
// Part of concheck.
//
// The run's findings written as text (clang's layout), GitHub Actions
// workflow commands, JSON (docs/cli.md) and SARIF 2.1.0, and what the
// model recognised (--stats).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_WRITERS_H
#define CONCHECK_TOOL_CLI_WRITERS_H

#include "Report.h"

namespace concheck {
namespace cli {

/// The key of concheck's fingerprint among a SARIF result's
/// partialFingerprints.
inline constexpr char SarifFingerprintKey[] = "concheckFingerprint/v1";

/// What NOLINT comments did in a run: the findings they suppressed
/// (Finding::Suppression says why), and the comments naming concheck's
/// checks that suppressed nothing.
struct UnusedSuppression {
  Location Loc;
  std::string Directive; ///< "NOLINT(concheck-unscoped-lock)"
};
struct SuppressionReport {
  std::vector<Finding> Suppressed;
  std::vector<UnusedSuppression> Unused;
};
/// "'NOLINT(concheck-x)' suppresses no finding; remove it".
std::string unusedMessage(const UnusedSuppression &U);
/// Each unused suppression as a concheck note on stderr (text output).
void noteUnusedSuppressions(const SuppressionReport &S,
                            const OutputOptions &Options);

void writeText(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
               const OutputOptions &Options);

/// GitHub Actions workflow commands: an annotation per finding (`::warning
/// file=F,line=L,col=C,title=CHECK::message`; `::notice` for style advice,
/// `::error` for an error), its notes as lines of the message, then an
/// `::error` per tool error.
void writeGithub(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                 llvm::ArrayRef<ToolError> Errors, const OutputOptions &Options,
                 const SuppressionReport *Suppressions = nullptr);

/// The run's whole-project facts (FactsRun.h), for --stats.
struct FactsStats {
  size_t Functions = 0;    ///< functions with facts, from every unit known
  size_t CheckedAgain = 0; ///< files checked again with new facts
};
/// What the model recognised in each checked file (--stats), as text: a
/// line per file, then the whole run by kind and name.
void writeStats(llvm::raw_ostream &OS,
                llvm::ArrayRef<std::pair<std::string, model::Coverage>> Files,
                const FactsStats &Facts, const OutputOptions &Out);
/// The same as JSON: {"files": {path: coverage}, "total": coverage,
/// "facts": {"functions": N, "checked_again": M}}.
llvm::json::Value
statsToJson(llvm::ArrayRef<std::pair<std::string, model::Coverage>> Files,
            const FactsStats &Facts, const OutputOptions &Out);

/// The documented JSON report (docs/cli.md, "The JSON report").
llvm::json::Value toJson(llvm::ArrayRef<Finding> Findings,
                         llvm::ArrayRef<ToolError> Errors,
                         unsigned FilesChecked, const OutputOptions &Options,
                         const SuppressionReport *Suppressions = nullptr);

/// A SARIF 2.1.0 log with one run.
llvm::json::Value toSarif(llvm::ArrayRef<Finding> Findings,
                          llvm::ArrayRef<ToolError> Errors,
                          llvm::ArrayRef<std::string> EnabledChecks,
                          const OutputOptions &Options,
                          const SuppressionReport *Suppressions = nullptr);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_WRITERS_H
