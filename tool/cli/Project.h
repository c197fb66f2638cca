//===--- Project.h - from the command line's paths to translation units ---===//
//
// Part of concheck.
//
// Decides which compile database describes the inputs (-p, else the nearest
// compile_commands.json above them, else default flags), expands
// directories, and vets every translation unit before it is checked, so
// that a bad input is one clear line and never stops the others.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_PROJECT_H
#define CONCHECK_TOOL_CLI_PROJECT_H

#include "Report.h"
#include "clang/Tooling/CompilationDatabase.h"

namespace concheck {
namespace cli {

struct ProjectOptions {
  std::vector<std::string> Paths;
  std::string BuildPath; ///< -p; empty to search
  bool NoDatabase = false; ///< "--" was given: no search, as for clang-tidy
  std::vector<std::string> ExtraFlags; ///< after "--"
};

struct Project {
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  std::string DatabaseFile; ///< empty when default flags are used
  std::vector<std::string> Files; ///< absolute, sorted by input, unique
  std::vector<ToolError> Errors;
  std::vector<std::string> Notes; ///< for stderr, unless --quiet
};

Project loadProject(const ProjectOptions &Options);

/// The include directory of the concheck runtime: the installed one
/// relative to the binary (bin/../include) when it is there, else the
/// source tree's.
std::string runtimeIncludeDir();

/// Whether the compiler takes \p Path for C or C++ source, or it is a
/// header, by its extension.
bool isSourceOrHeader(llvm::StringRef Path);

/// Why File cannot be checked (unreadable, binary, its compile command's
/// directory is gone), or an empty string.
std::string problemWith(llvm::StringRef File,
                        const clang::tooling::CompilationDatabase &Database);

/// Keeps shard K of N (1-based) of the files: every N-th in their order.
void selectShard(std::vector<std::string> &Files, unsigned K, unsigned N);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_PROJECT_H
