//===--- Runner.h - the concheck checks on one translation unit -----------===//
//
// Part of concheck.
//
// One clang-tidy run, restricted to what concheck needs, shared by the
// concheck command and the fuzz target. Each run has its own context and
// file system, so runs proceed in parallel.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_RUNNER_H
#define CONCHECK_TOOL_CLI_RUNNER_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "model/Coverage.h"
#include "model/ProjectFacts.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <optional>

namespace concheck {
namespace cli {

/// The configuration as clang-tidy reads it: defaults, then .clang-tidy
/// files (or --config instead of them), then the command line's overrides.
struct Configuration {
  clang::tidy::ClangTidyGlobalOptions Global;
  clang::tidy::ClangTidyOptions Defaults;
  clang::tidy::ClangTidyOptions Overrides;
  std::optional<clang::tidy::ClangTidyOptions> Explicit; ///< from --config
  /// --enable-check-profile: each file's run stores its checks' times in a
  /// directory of its own under this one (none: no profile).
  std::string ProfileDir;

  /// A fresh provider; a 'Checks' entry naming no concheck check is about
  /// other tools and is ignored (see docs/cli.md).
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> provider() const;
};

/// A concheck finding that a NOLINT comment suppressed.
struct SuppressedDiag {
  std::string Check;
  std::string Message;
  std::string File; ///< absolute
  unsigned Offset = 0;
  /// The line of the comment that suppressed it (in File), and what the
  /// comment says after the directive: `NOLINT(concheck-x): why`.
  unsigned DirectiveLine = 0;
  std::string Justification;
};

struct FileResult {
  std::vector<clang::tidy::ClangTidyError> Errors;
  bool ToolFailed = false; ///< clang gave up on the file
  /// What the model recognised in the file (--stats).
  std::optional<model::Coverage> Stats;
  /// The file's whole-project facts, and every file the compiler read for
  /// it (absolute), when asked for.
  std::optional<model::UnitFacts> Facts;
  std::vector<std::string> FilesRead;
  /// The concheck findings NOLINT comments suppressed.
  std::vector<SuppressedDiag> Suppressed;
  /// The main file's lines the preprocessor skipped (#if 0 ...), as
  /// [first, last] ranges: a NOLINT there suppresses nothing, rightly.
  std::vector<std::pair<unsigned, unsigned>> SkippedLines;
};

/// Runs the enabled checks on File, compiled as Database says. Files are
/// read through Base (default: the physical file system, whose working
/// directory belongs to this run alone, not to the process). With
/// \p Stats, also what the model recognised in the file.
FileResult
checkFile(const std::string &File,
          const clang::tooling::CompilationDatabase &Database,
          const Configuration &Cfg,
          llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Base = nullptr,
          bool Stats = false, bool Facts = false);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_RUNNER_H
