//===--- LineFilter.h - report findings on some lines only ----------------===//
//
// Part of concheck.
//
// Which lines of which files findings are reported on: clang-tidy's
// --line-filter (a JSON list of {"name": FILE, "lines": [[FIRST, LAST]]}),
// or the lines a unified diff adds or changes (--diff), for CI that checks
// a change and not the code it leaves as it was.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_LINEFILTER_H
#define CONCHECK_TOOL_CLI_LINEFILTER_H

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace concheck {
namespace cli {

class LineFilter {
public:
  /// clang-tidy's --line-filter text. An entry without "lines" takes every
  /// line of its file. None, with \p Error set, when it is not such a list.
  static std::optional<LineFilter> parseJson(llvm::StringRef Text,
                                             std::string &Error);

  /// The lines a unified diff (git's, or diff -u's) adds or changes in the
  /// new version of each file; its paths (git's a/ and b/ prefixes taken
  /// off) are read against the first of \p Bases under which the file
  /// exists (else the first). A file the diff deletes is left out; a file
  /// it only removes lines from is in, with no lines.
  static LineFilter fromDiff(llvm::StringRef Diff,
                             llvm::ArrayRef<std::string> Bases);

  /// Whether a finding at \p Line of \p File (absolute) is reported: an
  /// entry names the file (its whole path, or trailing components of it)
  /// and, if it lists lines, one of its ranges holds the line. The first
  /// entry that names the file decides, as in clang-tidy.
  bool passes(llvm::StringRef File, unsigned Line) const;

  /// The files the entries name, in their order.
  std::vector<std::string> files() const;

private:
  std::vector<clang::tidy::FileFilter> Entries;
};

/// `git diff` of the working tree against \p Rev (or any range git diff
/// takes), run in the current directory, and the repository's top
/// directory its paths are relative to. None, with \p Error set (git's own
/// first line of complaint), when git is missing or fails.
std::optional<std::string> gitDiff(llvm::StringRef Rev, std::string &TopLevel,
                                   std::string &Error);

/// The top directory of the git work tree the current directory is in, or
/// an empty string.
std::string gitTopLevel();

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_LINEFILTER_H
