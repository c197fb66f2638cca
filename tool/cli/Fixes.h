//===--- Fixes.h - applying and exporting fix-its -------------------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_FIXES_H
#define CONCHECK_TOOL_CLI_FIXES_H

#include "Report.h"

namespace concheck {
namespace cli {

struct FixResult {
  unsigned Applied = 0;      ///< fixes written
  unsigned FilesChanged = 0; ///< files rewritten
  std::vector<ToolError> Problems; ///< files left alone, and why
};

/// Applies the findings' fix-its. A file is rewritten only when every fix
/// for it applies cleanly (no two overlap and the file is unchanged since it
/// was checked), through a temporary file and a rename.
FixResult applyFixes(llvm::ArrayRef<Finding> Findings, SourceFiles &Sources);

/// Writes the fixes as the YAML clang-apply-replacements reads.
bool exportFixes(llvm::StringRef Path, llvm::ArrayRef<Finding> Findings,
                 llvm::StringRef MainFile, std::string &Error);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_FIXES_H
