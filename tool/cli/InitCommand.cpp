//===--- InitCommand.cpp - concheck init ----------------------------------===//
//
// Part of concheck.
//
//   concheck init [--force] [DIR]
//
// Writes a .clang-tidy that enables concheck's checks (the bugs as errors)
// and a .clangd that runs them in the editor with the command's flags.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "Commands.h"
#include "Console.h"
#include "Project.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace concheck {
namespace cli {

int runInit(const RunOptions &O) {
  static const char ClangTidy[] =
      "# concheck's checks, for clang-tidy with the concheck plugin and for\n"
      "# the concheck command. Other checks may be added to this list.\n"
      "Checks: '-*,concheck-*'\n"
      "# The bugs (races, deadlocks, locks left held) fail the run; the\n"
      "# style advice of concheck-unscoped-lock is reported only.\n"
      "WarningsAsErrors: '-*,concheck-*,-concheck-unscoped-lock'\n";
  if (!llvm::sys::fs::is_directory(O.InitDir)) {
    error("'" + O.InitDir + "': not a directory");
    return 2;
  }
  // The editor gets the flags the concheck command adds: the runtime's
  // headers always, and C++20 where no compile database says otherwise
  // (clangd guesses the flags of a file no database lists).
  auto Quoted = [](llvm::StringRef S) {
    std::string Out = "'";
    for (char C : S)
      Out += C == '\'' ? std::string("''") : std::string(1, C);
    return Out + "'";
  };
  bool HasDatabase = false;
  for (const char *Where : {"", "build"}) {
    llvm::SmallString<256> Probe(O.InitDir);
    llvm::sys::path::append(Probe, Where, "compile_commands.json");
    HasDatabase |= llvm::sys::fs::exists(Probe);
  }
  std::string Clangd =
      "# concheck's checks in the editor, through concheck-clangd.\n"
      "# clangd runs only checks it knows to be fast unless told otherwise,\n"
      "# so 'FastCheckFilter: Loose' is required for them to run.\n"
      "Diagnostics:\n"
      "  ClangTidy:\n"
      "    Add: [concheck-*]\n"
      "    FastCheckFilter: Loose\n"
      "# concheck's runtime headers (<concheck/wait_group.h>), as the "
      "concheck\n"
      "# command finds them.\n"
      "CompileFlags:\n"
      "  Add: [" +
      Quoted("-I" + runtimeIncludeDir()) + "]\n";
  if (!HasDatabase)
    Clangd += "---\n"
              "# No compile database here: C++20 for what is not C, as the\n"
              "# concheck command uses. Remove this once the build writes\n"
              "# compile_commands.json (its flags then say which standard).\n"
              "If:\n"
              "  PathExclude: '.*\\.c'\n"
              "CompileFlags:\n"
              "  Add: [-std=c++20]\n";
  int Status = 0;
  for (auto [Name, Contents] :
       {std::pair<const char *, std::string>{".clang-tidy", ClangTidy},
        {".clangd", Clangd}}) {
    llvm::SmallString<256> Path(O.InitDir);
    llvm::sys::path::append(Path, Name);
    if (llvm::sys::fs::exists(Path) && !O.InitForce) {
      note("'" + Path + "' exists; left unchanged (--force replaces it)");
      continue;
    }
    std::string Error;
    if (!writeFileAtomically(Path, Contents, Error)) {
      error(Error);
      Status = 2;
      continue;
    }
    llvm::outs() << "wrote " << Path << '\n';
  }
  return Status;
}

} // namespace cli
} // namespace concheck
