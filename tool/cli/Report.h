//===--- Report.h - what a concheck run found, and its output formats -----===//
//
// Part of concheck.
//
// A run's findings in a form independent of the clang-tidy run that made
// them: resolved to absolute paths, lines and columns, deduplicated across
// translation units, in a deterministic order. The text, JSON and SARIF
// writers and the baseline all work on this model.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_REPORT_H
#define CONCHECK_TOOL_CLI_REPORT_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "model/Coverage.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace concheck {
namespace cli {

/// A point in a file; Line and Column are 1-based (columns count bytes, as
/// clang's do). An empty File means the diagnostic has no location.
struct Location {
  std::string File;
  unsigned Offset = 0;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// One replacement of a fix-it: [Offset, Offset + Length) becomes Text.
struct Edit {
  Location Begin;
  Location End;
  unsigned Length = 0;
  std::string Text;
};

struct Note {
  std::string Message;
  Location Loc;
};

enum class Severity { Warning, Error };

struct Finding {
  std::string Check; ///< "concheck-unscoped-lock", "clang-diagnostic-error"
  Severity Level = Severity::Warning;
  std::string Message;
  Location Loc;
  std::string SourceLine; ///< the text of Loc's line, for carets and keys
  std::vector<Note> Notes;
  std::vector<Edit> Fix;
  /// Stable across unrelated edits: see Baseline.h. Set by fingerprint().
  std::string Fingerprint;
  /// The clang-tidy diagnostic this came from (for --export-fixes); null
  /// for findings read back from a file.
  std::shared_ptr<const clang::tidy::ClangTidyError> Origin;

  /// A warning that WarningsAsErrors made an error (Level is Error).
  bool WarningAsError = false;
  /// A finding a NOLINT comment suppressed: the reason the comment gives
  /// (empty when it gives none).
  std::optional<std::string> Suppression;

  bool isCompilerError() const {
    return Level == Severity::Error && !WarningAsError &&
           llvm::StringRef(Check).starts_with("clang-diagnostic");
  }
};

/// A problem that kept concheck from checking something: a bad path, a
/// broken database entry, code that does not compile.
struct ToolError {
  std::string File;
  std::string Message;
  bool Printed = false; ///< already named on stderr
};

/// The contents of the files findings point into, read once. Thread-safe.
class SourceFiles {
public:
  /// The file's text, or nullptr when it cannot be read.
  const llvm::MemoryBuffer *get(llvm::StringRef Path);
  /// Line and column of Offset in Path (both 0 when unreadable).
  Location locate(llvm::StringRef Path, unsigned Offset);
  /// The text of a 1-based line, without its line break.
  std::string lineText(llvm::StringRef Path, unsigned Line);

private:
  struct Entry {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::vector<unsigned> LineStarts;
  };
  Entry *entry(llvm::StringRef Path);
  std::mutex Mu;
  llvm::StringMap<std::unique_ptr<Entry>> Files;
};

/// Converts clang-tidy's diagnostics to findings.
std::vector<Finding> toFindings(std::vector<clang::tidy::ClangTidyError> Errors,
                                SourceFiles &Sources);

/// Sorts by file, line, column, check and message, and drops exact repeats
/// (a header's finding reported by every translation unit that includes it).
void sortAndDeduplicate(std::vector<Finding> &Findings);

/// Sets each finding's Fingerprint: a hash of its check, its path relative
/// to Root, its message and its line's text with whitespace collapsed, plus
/// the ordinal among findings with the same key. Line numbers take no part,
/// so moving code or editing other lines keeps the fingerprint.
void fingerprint(std::vector<Finding> &Findings, llvm::StringRef Root);

/// The key fingerprint() hashes, before the ordinal.
std::string findingKey(const Finding &F, llvm::StringRef File);

/// Path made absolute (relative paths against \p Base, else the current
/// directory) with '.' and '..' resolved.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef Base = "");

/// An error code's message in clang's style: lower case.
std::string describe(std::error_code EC);

/// Path as it is shown and written: relative to Root when under it.
std::string displayPath(llvm::StringRef Path, llvm::StringRef Root);

/// What the command line chose for the output.
struct OutputOptions {
  bool Color = false;
  std::string Root; ///< paths under it are written relative to it
  /// "K/N" for one shard's report (--shard): recorded in JSON and SARIF so
  /// that a merge can tell a shard given twice.
  std::string Shard;
};

/// One check's documentation, built into the binary from docs/checks/.
struct CheckDoc {
  llvm::StringRef Name;
  std::string Summary;  ///< the page's first paragraph, on one line
  llvm::StringRef Page; ///< the whole Markdown page
};
llvm::ArrayRef<CheckDoc> checkDocs();
const CheckDoc *findCheckDoc(llvm::StringRef Name);
/// The docs page's address in the repository.
std::string checkDocsUrl(llvm::StringRef Name);

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

/// The documented JSON report (docs/output-formats.md).
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
/// read again from \p Sources). False when it is not a concheck JSON report.
bool findingsFromJson(const llvm::json::Value &Report, SourceFiles &Sources,
                      std::vector<Finding> &Findings,
                      std::vector<ToolError> &Errors, unsigned &FilesChecked);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_REPORT_H
