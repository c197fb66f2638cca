//===--- Suppressions.h - NOLINT comments, their reasons and their use ----===//
//
// Part of concheck.
//
// clang-tidy decides what a NOLINT comment suppresses; concheck records
// what it suppressed with the reason the comment gives
// (`// NOLINT(concheck-unscoped-lock): released by the caller`), for the
// JSON and SARIF reports, and finds the comments naming concheck's checks
// that suppress nothing any more.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_SUPPRESSIONS_H
#define CONCHECK_TOOL_CLI_SUPPRESSIONS_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace concheck {
namespace cli {

/// One NOLINT comment, read as clang-tidy reads it.
struct NolintDirective {
  enum Kind { SameLine, NextLine, Begin, End } K = SameLine;
  unsigned Line = 0;   ///< 1-based
  unsigned Column = 0; ///< 1-based, of the word NOLINT
  /// The check globs in its parentheses; none: every check.
  std::vector<std::string> Checks;
  std::string Text;          ///< as written: "NOLINTNEXTLINE(concheck-x)"
  std::string Justification; ///< what follows it on its line, if anything

  /// Whether it names \p Check (all checks when it names none).
  bool names(llvm::StringRef Check) const;
  /// Whether it names checks and all of them are concheck's.
  bool onlyConcheck() const;
};

/// The NOLINT comments of a file's text, in order.
std::vector<NolintDirective> nolintDirectives(llvm::StringRef Text);

/// The comment among \p All that suppresses a finding of \p Check at
/// \p Line: NOLINT on that line, NOLINTNEXTLINE on the one before, else the
/// innermost NOLINTBEGIN region around it.
const NolintDirective *suppressorOf(const std::vector<NolintDirective> &All,
                                    llvm::StringRef Check, unsigned Line);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_SUPPRESSIONS_H
