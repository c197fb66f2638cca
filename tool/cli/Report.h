//===--- Report.h - what a concheck run found, and its output formats -----===//
//
// Part of concheck.
//
// A run's findings in a form independent of the clang-tidy run that made
// them: resolved to absolute paths, lines and columns, deduplicated across
// translation units, in a deterministic order. The writers (Writers.h),
// the merge of shards (MergeReports.h) and the baseline work on this model.
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

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_REPORT_H
