//===--- Commands.h - the subcommands -------------------------------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_COMMANDS_H
#define CONCHECK_TOOL_CLI_COMMANDS_H

#include "CommandLine.h"

namespace concheck {
namespace cli {

/// concheck merge: exits as the check of the merged findings would
/// (0, 1, or 2 when a shard recorded an error), 2 for bad input.
int runMerge(const RunOptions &O);

/// concheck init: 0, or 2 when a file could not be written.
int runInit(const RunOptions &O);

/// The check itself: 0 no findings, 1 findings, 2 an error.
int runCheck(const RunOptions &O);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_COMMANDS_H
