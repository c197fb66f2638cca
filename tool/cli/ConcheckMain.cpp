//===--- ConcheckMain.cpp - the concheck command --------------------------===//
//
// Part of concheck.
//
//   concheck [--checks=GLOBS] [-p BUILD_DIR] PATH... [-- COMPILER_FLAGS]
//
// Runs the concheck clang-tidy checks on files and directories through the
// clang-tidy library: options, NOLINT handling and diagnostics are
// clang-tidy's own. Exit status: 0 no findings, 1 findings, 2 usage or tool
// error (a missing file, a bad compile database, code that does not parse).
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <set>

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

// Keeps the concheck module (and its registration) in the link.
extern volatile int ConcheckModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED ConcheckModuleAnchorDestination =
    ConcheckModuleAnchorSource;

static cl::OptionCategory ConcheckCategory("concheck options");

static cl::list<std::string> Paths(cl::Positional, cl::desc("<path>..."),
                                   cl::cat(ConcheckCategory));
static cl::opt<std::string>
    Checks("checks",
           cl::desc("Comma-separated globs of checks to run, applied after "
                    "the default 'concheck-*' and any .clang-tidy file "
                    "(e.g. '-*,concheck-unscoped-lock')"),
           cl::init(""), cl::cat(ConcheckCategory));
static cl::opt<std::string>
    BuildPath("p", cl::desc("Build directory containing compile_commands.json"),
              cl::value_desc("build-dir"), cl::cat(ConcheckCategory));
static cl::opt<bool> Quiet("quiet", cl::desc("Print no summary on stderr"),
                           cl::cat(ConcheckCategory));

namespace {

/// Reads .clang-tidy files as clang-tidy does, but keeps only the entries of
/// their 'Checks' that concern concheck: a project whose .clang-tidy starts
/// with '-*' for its own reasons still gets concheck's defaults, while
/// '-concheck-unscoped-lock' there is honoured.
class ConcheckOptionsProvider : public FileOptionsProvider {
public:
  using FileOptionsProvider::FileOptionsProvider;

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources =
        FileOptionsProvider::getRawOptions(FileName);
    for (OptionsSource &Source : Sources) {
      if (Source.second == OptionsSourceTypeDefaultBinary ||
          Source.second == OptionsSourceTypeCheckCommandLineOption ||
          !Source.first.Checks)
        continue;
      llvm::SmallVector<llvm::StringRef, 8> Globs;
      llvm::StringRef(*Source.first.Checks).split(Globs, ',', -1, false);
      std::string Kept;
      for (llvm::StringRef G : Globs) {
        G = G.trim();
        if (!G.contains("concheck"))
          continue;
        if (!Kept.empty())
          Kept += ',';
        Kept += G.str();
      }
      Source.first.Checks = Kept;
    }
    return Sources;
  }
};

} // namespace

static bool isCxxSource(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext == ".cpp" || Ext == ".cc" || Ext == ".cxx" || Ext == ".c++" ||
         Ext == ".C" || Ext == ".cp";
}

/// An error code's message in clang's style: lower case.
static std::string describe(std::error_code EC) {
  std::string M = EC.message();
  if (!M.empty())
    M[0] = llvm::toLower(M[0]);
  return M;
}

static void error(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "concheck") << Message << '\n';
}

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);
  cl::HideUnrelatedOptions(ConcheckCategory);

  // Everything after "--" is compiler flags, as for clang-tidy.
  std::vector<std::string> ExtraFlags;
  int ToolArgc = argc;
  for (int I = 1; I < argc; ++I)
    if (llvm::StringRef(argv[I]) == "--") {
      ToolArgc = I;
      for (int J = I + 1; J < argc; ++J)
        ExtraFlags.push_back(argv[J]);
      break;
    }
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "concheck " << CONCHECK_VERSION << " (LLVM "
       << CONCHECK_LLVM_VERSION_MAJOR << ")\n";
  });
  if (!cl::ParseCommandLineOptions(
          ToolArgc, argv,
          "concheck: finds concurrency bugs in C++ code.\n\n"
          "  concheck [--checks=GLOBS] [-p BUILD_DIR] PATH... "
          "[-- COMPILER_FLAGS]\n\n"
          "A PATH is a source file or a directory whose C++ sources are "
          "checked.\nWithout a compile database, sources are compiled with "
          "-std=c++20 and the\nconcheck runtime's include directory.\n",
          &llvm::errs()))
    return 2;
  if (Paths.empty()) {
    error("no input paths; run 'concheck --help' for usage");
    return 2;
  }

  bool ToolError = false;

  // The compile database: -p, else fixed flags.
  std::unique_ptr<tooling::CompilationDatabase> Database;
  if (!BuildPath.empty()) {
    // -p names the build directory itself: no search of its parents, whose
    // databases would describe another build.
    llvm::SmallString<256> DbFile(BuildPath);
    llvm::sys::path::append(DbFile, "compile_commands.json");
    if (!llvm::sys::fs::exists(DbFile)) {
      error("'" + BuildPath + "': no compile_commands.json in this directory");
      return 2;
    }
    std::string Message;
    Database = tooling::JSONCompilationDatabase::loadFromFile(
        DbFile, Message, tooling::JSONCommandLineSyntax::AutoDetect);
    if (!Database) {
      error("'" + DbFile + "': " +
            llvm::StringRef(Message).split('\n').first.trim());
      return 2;
    }
  } else {
    std::vector<std::string> Flags = {"-std=c++20",
                                      "-I" CONCHECK_RUNTIME_INCLUDE_DIR};
    Flags.insert(Flags.end(), ExtraFlags.begin(), ExtraFlags.end());
    Database = std::make_unique<tooling::FixedCompilationDatabase>(".", Flags);
  }
  auto Adjusted =
      std::make_unique<tooling::ArgumentsAdjustingCompilations>(std::move(Database));
  // concheck is not installed beside clang's builtin headers: point the
  // compiler at LLVM's resource directory unless the command already does.
  Adjusted->appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        for (const std::string &A : Args)
          if (llvm::StringRef(A).starts_with("-resource-dir"))
            return Args;
        tooling::CommandLineArguments Out = Args;
        Out.insert(Out.begin() + (Out.empty() ? 0 : 1),
                   "-resource-dir=" CONCHECK_CLANG_RESOURCE_DIR);
        return Out;
      });
  // Without carets the compiler does not print its own "N warnings
  // generated." lines; concheck prints its own summary and clang-tidy's
  // report keeps its carets.
  Adjusted->appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        tooling::CommandLineArguments Out = Args;
        Out.insert(Out.begin() + (Out.empty() ? 0 : 1), "-fno-caret-diagnostics");
        return Out;
      });
  if (!BuildPath.empty() && !ExtraFlags.empty())
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        ExtraFlags, tooling::ArgumentInsertPosition::END));

  // The files: each path given, directories expanded to their C++ sources.
  std::vector<std::string> Files;
  for (const std::string &Path : Paths) {
    llvm::SmallString<256> Abs(Path);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(Abs, Status)) {
      error("'" + Path + "': " + describe(EC));
      ToolError = true;
      continue;
    }
    if (llvm::sys::fs::is_directory(Status)) {
      std::vector<std::string> Found;
      std::error_code EC;
      for (llvm::sys::fs::recursive_directory_iterator It(Abs, EC), End;
           It != End && !EC; It.increment(EC)) {
        llvm::StringRef Name = llvm::sys::path::filename(It->path());
        if (Name.starts_with(".")) {
          It.no_push(); // .git, .cache, ...
          continue;
        }
        if (isCxxSource(It->path()))
          Found.push_back(It->path());
      }
      if (EC) {
        error("'" + Path + "': " + describe(EC));
        ToolError = true;
      }
      if (Found.empty()) {
        error("'" + Path + "': no C++ sources in this directory");
        ToolError = true;
      }
      llvm::sort(Found);
      Files.insert(Files.end(), Found.begin(), Found.end());
      continue;
    }
    if (!llvm::sys::fs::is_regular_file(Status)) {
      error("'" + Path + "': not a regular file");
      ToolError = true;
      continue;
    }
    Files.push_back(std::string(Abs));
  }
  // One run per file even when a file is named twice.
  std::vector<std::string> Unique;
  std::set<std::string> Seen;
  for (std::string &F : Files)
    if (Seen.insert(F).second)
      Unique.push_back(std::move(F));
  if (Unique.empty())
    return 2;

  ClangTidyGlobalOptions GlobalOptions;
  ClangTidyOptions DefaultOptions = ClangTidyOptions::getDefaults();
  DefaultOptions.Checks = "-*,concheck-*";
  ClangTidyOptions OverrideOptions;
  if (!Checks.empty())
    OverrideOptions.Checks = Checks;
  auto Provider = std::make_unique<ConcheckOptionsProvider>(
      GlobalOptions, DefaultOptions, OverrideOptions);

  ClangTidyContext Context(std::move(Provider));
  if (getCheckNames(Context.getOptionsForFile(Unique.front()),
                    /*AllowEnablingAnalyzerAlphaCheckers=*/false)
          .empty()) {
    error("no checks enabled by '" + Checks + "'; see 'concheck --help'");
    return 2;
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  // One file at a time, in the order given: the report's order does not
  // depend on anything but the input.
  std::vector<ClangTidyError> Errors;
  for (const std::string &File : Unique) {
    std::vector<ClangTidyError> FileErrors = runClangTidy(
        Context, *Adjusted, {File}, BaseFS, /*ApplyAnyFix=*/false);
    Errors.insert(Errors.end(), std::make_move_iterator(FileErrors.begin()),
                  std::make_move_iterator(FileErrors.end()));
  }

  // Compiler errors mean a file was not fully checked: a tool error, and the
  // file is named once on stderr.
  unsigned Findings = 0;
  std::set<std::string> BrokenFiles;
  for (const ClangTidyError &E : Errors) {
    if (E.DiagLevel == ClangTidyError::Error &&
        llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic")) {
      BrokenFiles.insert(E.Message.FilePath);
      continue;
    }
    ++Findings;
  }

  unsigned WarningsAsErrors = 0;
  handleErrors(Errors, Context, FB_NoFix, WarningsAsErrors, BaseFS);
  for (const std::string &F : BrokenFiles) {
    error("'" + F + "': the code does not compile; its findings may be "
                    "incomplete");
    ToolError = true;
  }
  if (!Quiet)
    llvm::errs() << "concheck: " << Unique.size()
                 << (Unique.size() == 1 ? " file" : " files") << " checked, "
                 << Findings << (Findings == 1 ? " finding" : " findings")
                 << "\n";
  if (ToolError)
    return 2;
  return Findings ? 1 : 0;
}
