//===--- ConfigCommands.h - the configuration: checked, shown -------------===//
//
// Part of concheck.
//
// What the configuration enables (--checks, .clang-tidy, --config), and the
// options that look at it: a --checks glob that matches no check is an
// error, --verify-config names every unknown check and option with its
// source, --dump-config prints what applies.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_CONFIGCOMMANDS_H
#define CONCHECK_TOOL_CLI_CONFIGCOMMANDS_H

#include "CommandLine.h"
#include "Runner.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace concheck {
namespace cli {

/// The checks Options enables. LLVM 22 added a required flag for its
/// query-based custom checks, which concheck never enables.
std::vector<std::string>
enabledCheckNames(const clang::tidy::ClangTidyOptions &Options);

/// The configuration as the command line says: concheck's defaults (every
/// concheck check; the project's headers reported), .clang-tidy files or
/// --config, the command line's overrides. None after an error said.
std::optional<Configuration> buildConfiguration(const RunOptions &O);

/// --list-checks: the checks enabled here, each with its kind and summary.
int listChecks(const Configuration &Cfg);

/// --explain CHECK: its page (the 'concheck-' prefix may be left out).
int explainCheck(llvm::StringRef Check);

/// Every positive glob of \p Checks (--checks) must name one of
/// \p Available: a typo that enables nothing is an error, not a silent
/// no-op. False after the error said.
bool validateCheckGlobs(llvm::StringRef Checks,
                        const std::vector<std::string> &Available);

/// --verify-config: every concheck check glob that enables something, every
/// option of a concheck check known to it; the source of each problem
/// named. 0 when all is known, else 1.
int verifyConfig(const Configuration &Cfg,
                 const std::vector<std::string> &Available,
                 const RunOptions &O);

/// --dump-config: what applies to the first path, as clang-tidy prints it.
int dumpConfig(const Configuration &Cfg, const RunOptions &O);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_CONFIGCOMMANDS_H
