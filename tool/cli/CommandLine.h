//===--- CommandLine.h - the command line, parsed once --------------------===//
//
// Part of concheck.
//
// The options of `concheck`, `concheck merge` and `concheck init`, read
// once into a RunOptions that the subcommands take; llvm::cl's own error
// style and its trap of taking any unknown word that begins with -h for
// -h (the help, exit 0) are kept away.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_COMMANDLINE_H
#define CONCHECK_TOOL_CLI_COMMANDLINE_H

#include <optional>
#include <string>
#include <vector>

namespace concheck {
namespace cli {

enum class OutputFormat { Text, Json, Sarif, Github };
enum class ColorMode { Auto, Always, Never };

/// What the command line asks for.
struct RunOptions {
  enum class Command { Check, Merge, Init } Cmd = Command::Check;

  // Checking.
  std::vector<std::string> Paths;
  std::string Checks, Config;
  /// --header-filter, --exclude-header-filter (valid regular expressions).
  std::optional<std::string> HeaderFilter, ExcludeHeaderFilter;
  std::vector<std::string> ExtraArg, ExtraArgBefore;
  std::string BuildPath; ///< -p
  unsigned Jobs = 0;     ///< 0: one per core
  std::string Shard;     ///< "K/N"
  bool DashDash = false; ///< "--" given: no database is looked for
  std::vector<std::string> ExtraFlags; ///< after "--"
  std::optional<std::string> LineFilter, Diff;
  std::string BaselineFile, WriteBaseline;
  bool Fix = false;
  std::string ExportFixes;

  // The report.
  OutputFormat Format = OutputFormat::Text;
  bool FormatGiven = false; ///< --format given (merge keeps its inputs')
  std::string Output;       ///< --output; empty or "-": stdout
  ColorMode Color = ColorMode::Auto;
  std::string Root;
  bool Stats = false, Quiet = false;

  // Other actions.
  bool ListChecks = false, EnableCheckProfile = false, DumpConfig = false,
       VerifyConfig = false;
  std::string Explain;

  // merge and init.
  std::vector<std::string> MergeInputs;
  std::string InitDir = ".";
  bool InitForce = false;

  bool toFile() const { return !Output.empty() && Output != "-"; }
};

/// Reads the command line (--help and --version print and exit). None
/// after an error, which is said in one line: exit 2.
std::optional<RunOptions> parseCommandLine(int argc, const char **argv);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_COMMANDLINE_H
