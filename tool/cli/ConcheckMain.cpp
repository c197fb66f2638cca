//===--- ConcheckMain.cpp - the concheck command --------------------------===//
//
// Part of concheck.
//
//   concheck [options] PATH... [-- COMPILER_FLAGS]
//   concheck merge [--output FILE] REPORT...
//   concheck init [--force] [DIR]
//
// Runs the concheck clang-tidy checks over a project through the clang-tidy
// library: options, NOLINT handling and diagnostics are clang-tidy's own.
// Translation units run in parallel; the report's order depends only on the
// input. Exit status: 0 no findings, 1 findings, 2 usage or tool error (a
// bad path, a bad compile database, code that does not compile).
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "CheckCatalog.h"
#include "CheckDocs.h"
#include "ConcheckForceLinker.h"
#include "FactsRun.h"
#include "Fixes.h"
#include "LineFilter.h"
#include "MergeReports.h"
#include "Project.h"
#include "Report.h"
#include "Runner.h"
#include "Suppressions.h"
#include "Writers.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#if CONCHECK_LLVM_VERSION_MAJOR < 22
// Merged into ClangTidyModule.h (and deprecated) in LLVM 22.
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <mutex>
#include <numeric>
#include <set>

using namespace clang;
using namespace clang::tidy;
using namespace concheck::cli;
using concheck::model::ProjectFacts;

/// Rounds of checking again with new whole-project facts (each round lets
/// facts cross one more call between translation units).
static constexpr unsigned MaxFactRounds = 4;

/// The checks Options enables. LLVM 22 added a required flag for its
/// query-based custom checks, which concheck never enables.
static std::vector<std::string>
enabledCheckNames(const clang::tidy::ClangTidyOptions &Options) {
#if CONCHECK_LLVM_VERSION_MAJOR >= 22
  return clang::tidy::getCheckNames(
      Options, /*AllowEnablingAnalyzerAlphaCheckers=*/false,
      /*ExperimentalCustomChecks=*/false);
#else
  return clang::tidy::getCheckNames(
      Options, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
#endif
}

namespace cl = llvm::cl;

static cl::OptionCategory ConcheckCategory("concheck options");
static cl::SubCommand MergeCommand(
    "merge", "Merge the JSON reports or SARIF logs of shards into one");
static cl::SubCommand InitCommand(
    "init", "Write a .clang-tidy and a .clangd that enable concheck");

// --- checking -----------------------------------------------------------------
static cl::list<std::string> Paths(cl::Positional, cl::desc("<path>..."),
                                   cl::cat(ConcheckCategory));
static cl::opt<std::string> Checks(
    "checks",
    cl::desc("Comma-separated globs of checks, applied after the default "
             "'concheck-*' and .clang-tidy files (e.g. "
             "'-*,concheck-unscoped-lock')"),
    cl::cat(ConcheckCategory));
static cl::opt<std::string> Config(
    "config",
    cl::desc("A configuration in .clang-tidy's YAML format, used instead of "
             ".clang-tidy files, e.g. \"{CheckOptions: "
             "{concheck-unscoped-lock.MutexTypes: 'my::Lock'}}\""),
    cl::cat(ConcheckCategory));
static cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Report findings in the headers whose path matches REGEX (as "
             "clang-tidy's --header-filter; default '.*': every header of the "
             "project; system headers never)"),
    cl::value_desc("regex"), cl::cat(ConcheckCategory));
static cl::opt<std::string> ExcludeHeaderFilter(
    "exclude-header-filter",
    cl::desc("Do not report findings in the headers whose path matches REGEX, "
             "even if --header-filter matches it"),
    cl::value_desc("regex"), cl::cat(ConcheckCategory));
static cl::list<std::string> ExtraArg(
    "extra-arg",
    cl::desc("An argument to append to each file's compiler command (as "
             "clang-tidy's; may be repeated)"),
    cl::value_desc("arg"), cl::cat(ConcheckCategory));
static cl::list<std::string> ExtraArgBefore(
    "extra-arg-before",
    cl::desc("An argument to put first in each file's compiler command, "
             "after the compiler's name (may be repeated)"),
    cl::value_desc("arg"), cl::cat(ConcheckCategory));
static cl::opt<std::string>
    BuildPath("p", cl::desc("Build directory containing compile_commands.json "
                            "(default: the nearest one above the first path)"),
              cl::value_desc("build-dir"), cl::cat(ConcheckCategory));
static cl::opt<unsigned>
    Jobs("j",
         cl::desc("Translation units checked in parallel (0, the "
                  "default: one per core)"),
         cl::value_desc("N"), cl::init(0), cl::Prefix,
         cl::cat(ConcheckCategory));
static cl::alias JobsLong("jobs", cl::desc("Alias for -j"), cl::aliasopt(Jobs),
                          cl::NotHidden);
static cl::opt<std::string> Shard(
    "shard",
    cl::desc("Check only shard K of N of the translation units (1-based), "
             "for a CI matrix; 'concheck merge' joins the shards' reports"),
    cl::value_desc("K/N"), cl::cat(ConcheckCategory));

enum class OutputFormat { Text, Json, Sarif, Github };
static cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format"),
    cl::values(clEnumValN(OutputFormat::Text, "text",
                          "clang-style diagnostics"),
               clEnumValN(OutputFormat::Json, "json",
                          "a JSON report (docs/cli.md, \"The JSON report\")"),
               clEnumValN(OutputFormat::Sarif, "sarif",
                          "SARIF 2.1.0, as GitHub code scanning reads it"),
               clEnumValN(OutputFormat::Github, "github",
                          "GitHub Actions annotations (::warning file=...)")),
    cl::init(OutputFormat::Text), cl::cat(ConcheckCategory),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(MergeCommand));
static cl::opt<std::string>
    Output("output", cl::desc("Write the report to FILE instead of stdout"),
           cl::value_desc("file"), cl::cat(ConcheckCategory),
           cl::sub(cl::SubCommand::getTopLevel()), cl::sub(MergeCommand));
static cl::alias OutputShort("o", cl::desc("Alias for --output"),
                             cl::aliasopt(Output));
// --color=auto|always|never is read before llvm::cl sees the command line:
// LLVM registers its own boolean --color (for WithColor), which this one
// sets in turn, so that errors on stderr follow the same choice.
enum class ColorMode { Auto, Always, Never };
static ColorMode Color = ColorMode::Auto;
static cl::opt<std::string> Root(
    "root",
    cl::desc("Paths under DIR are written relative to it (default: the "
             "current directory)"),
    cl::value_desc("dir"), cl::cat(ConcheckCategory));
// --stats: LLVM registers an option of that name (its statistics) in every
// tool; concheck reads the flag itself and shows LLVM's entry, reworded, in
// its help.
static bool Stats = false;
static const char StatsHelp[] =
    "Also report what the analysis modelled, per file and in all: task "
    "starts by kind (std, concheck, executor, inferred, configured), joins, "
    "mutex types and guards";
static cl::opt<bool> Quiet("quiet",
                           cl::desc("No progress line, notes or summary on "
                                    "stderr"),
                           cl::cat(ConcheckCategory));

static cl::opt<bool> Fix("fix",
                         cl::desc("Apply the fix-its of the findings reported; "
                                  "a file is rewritten only when all its fixes "
                                  "apply"),
                         cl::cat(ConcheckCategory));
static cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the fix-its as YAML for clang-apply-replacements"),
    cl::value_desc("file"), cl::cat(ConcheckCategory));
static cl::opt<std::string> BaselineFile(
    "baseline", cl::desc("Report only findings not recorded in FILE"),
    cl::value_desc("file"), cl::cat(ConcheckCategory));
static cl::opt<std::string> WriteBaseline(
    "write-baseline",
    cl::desc("Record today's findings in FILE, for --baseline"),
    cl::value_desc("file"), cl::cat(ConcheckCategory));

static cl::opt<std::string> LineFilterText(
    "line-filter",
    cl::desc("Report only the findings on these lines, as clang-tidy: a JSON "
             "list of\n{\"name\": FILE, \"lines\": [[FIRST, LAST], ...]} "
             "(no \"lines\": every line)"),
    cl::value_desc("json"), cl::cat(ConcheckCategory));
static cl::opt<std::string> DiffRev(
    "diff",
    cl::desc("Report only the findings on the lines that 'git diff REV' adds "
             "or changes\n(any range git diff takes); '-' reads a unified "
             "diff on stdin.\nWithout paths, the C and C++ files it changes "
             "are checked"),
    cl::value_desc("rev"), cl::cat(ConcheckCategory));

static cl::opt<bool> ListChecks("list-checks",
                                cl::desc("List the checks and exit"),
                                cl::cat(ConcheckCategory));
static cl::opt<bool> EnableCheckProfile(
    "enable-check-profile",
    cl::desc("After the run, print the time each check took, summed over "
             "the files"),
    cl::cat(ConcheckCategory));
static cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the configuration for the first <path> (or the current "
             "directory) as .clang-tidy YAML, every enabled check's options "
             "with it, and exit"),
    cl::cat(ConcheckCategory));
static cl::opt<bool> VerifyConfig(
    "verify-config",
    cl::desc("Check the configuration for the first <path> (or the current "
             "directory) for unknown concheck checks and options, and exit: "
             "0 when none, 1 otherwise"),
    cl::cat(ConcheckCategory));
static cl::opt<std::string> Explain("explain",
                                    cl::desc("Print a check's documentation"),
                                    cl::value_desc("check"),
                                    cl::cat(ConcheckCategory));

// --- merge and init -------------------------------------------------------------
static cl::list<std::string> MergeInputs(cl::Positional, cl::OneOrMore,
                                         cl::desc("<report>..."),
                                         cl::sub(MergeCommand));
static cl::opt<std::string> InitDir(cl::Positional, cl::desc("[dir]"),
                                    cl::init("."), cl::sub(InitCommand));
static cl::opt<bool> InitForce("force",
                               cl::desc("Replace existing .clang-tidy and "
                                        ".clangd files"),
                               cl::sub(InitCommand));

namespace {

static void error(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "concheck") << Message << '\n';
}

static void note(const llvm::Twine &Message) {
  llvm::WithColor::note(llvm::errs(), "concheck") << Message << '\n';
}

/// The progress line: on a terminal only, rewritten in place.
class Progress {
public:
  /// Files are shown by their path from \p Root.
  Progress(bool Enabled, size_t Total, std::string Root)
      : Enabled(Enabled), Total(Total), Root(std::move(Root)),
        Start(std::chrono::steady_clock::now()) {}

  void started(llvm::StringRef File) {
    std::lock_guard<std::mutex> Lock(Mu);
    Current = File.str();
    draw();
  }
  /// \p N more files to check (checked again with new facts).
  void more(size_t N) {
    std::lock_guard<std::mutex> Lock(Mu);
    Total += N;
    draw();
  }
  void finished() {
    std::lock_guard<std::mutex> Lock(Mu);
    ++Done;
    draw();
  }
  void clear() {
    std::lock_guard<std::mutex> Lock(Mu);
    if (Enabled)
      llvm::errs() << "\r\x1b[K";
  }

private:
  void draw() {
    if (!Enabled)
      return;
    double Seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - Start)
                         .count();
    std::string Line = llvm::formatv("[{0}/{1}] {2:f1}s {3}", Done, Total,
                                     Seconds, displayPath(Current, Root))
                           .str();
    unsigned Width = llvm::sys::Process::StandardErrColumns();
    if (Width > 1 && Line.size() >= Width)
      Line.resize(Width - 1);
    llvm::errs() << "\r\x1b[K" << Line;
    llvm::errs().flush();
  }

  std::mutex Mu;
  bool Enabled;
  size_t Total;
  std::string Root;
  size_t Done = 0;
  std::string Current;
  std::chrono::steady_clock::time_point Start;
};

/// Opens the report's destination: --output FILE (written whole through a
/// temporary file) or stdout.
bool emit(llvm::StringRef Contents) {
  if (Output.empty() || Output == "-") {
    llvm::outs() << Contents;
    llvm::outs().flush();
    return true;
  }
  std::string Error;
  if (!writeFileAtomically(Output, Contents, Error)) {
    error(Error);
    return false;
  }
  return true;
}

int runMerge() {
  std::vector<llvm::json::Value> Inputs;
  std::vector<std::string> Names;
  for (const std::string &Name : MergeInputs) {
    auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Name, /*IsText=*/true);
    if (!Buffer) {
      error("'" + Name + "': " + describe(Buffer.getError()));
      return 2;
    }
    llvm::Expected<llvm::json::Value> V = llvm::json::parse((*Buffer)->getBuffer());
    if (!V) {
      error("'" + Name + "': not JSON: " + llvm::toString(V.takeError()));
      return 2;
    }
    Inputs.push_back(std::move(*V));
    Names.push_back(Name);
  }
  llvm::json::Value Merged(nullptr);
  std::string Error;
  std::vector<std::string> Notes;
  if (!mergeReports(Inputs, Names, Merged, Error, Notes)) {
    error(Error);
    return 2;
  }
  for (const std::string &N : Notes)
    note(N);
  // The merge is the check of a sharded run: it exits as one would over
  // the merged findings.
  MergedCounts Counts = countMerged(Merged);
  const int Status = Counts.Errors ? 2 : Counts.Findings ? 1 : 0;
  const bool IsSarif =
      Merged.getAsObject() && Merged.getAsObject()->getArray("runs") != nullptr;
  // The inputs' own format, unless another is asked for: from JSON reports
  // any; SARIF logs keep only what SARIF says.
  if (!Format.getNumOccurrences() ||
      Format == (IsSarif ? OutputFormat::Sarif : OutputFormat::Json))
    return emit(llvm::formatv("{0:2}\n", Merged).str()) ? Status : 2;
  if (IsSarif) {
    error("SARIF logs merge into SARIF only: merge the JSON reports for "
          "--format=" +
          std::string(Format == OutputFormat::Text     ? "text"
                      : Format == OutputFormat::Github ? "github"
                                                       : "json"));
    return 2;
  }
  SourceFiles Sources;
  std::vector<Finding> Findings;
  std::vector<ToolError> Errors;
  unsigned FilesChecked = 0;
  findingsFromJson(Merged, Sources, Findings, Errors, FilesChecked);
  OutputOptions Out;
  Out.Root = absolutePath(".");
  const bool ToFile = !Output.empty() && Output != "-";
  Out.Color =
      Format == OutputFormat::Text &&
      (Color == ColorMode::Always ||
       (Color == ColorMode::Auto && !ToFile && llvm::outs().has_colors()));
  std::string Report;
  llvm::raw_string_ostream OS(Report);
  if (Out.Color)
    OS.enable_colors(true);
  if (Format == OutputFormat::Text) {
    writeText(OS, Findings, Out);
  } else if (Format == OutputFormat::Github) {
    writeGithub(OS, Findings, Errors, Out);
  } else {
    std::set<std::string> Checks;
    for (const Finding &F : Findings)
      Checks.insert(F.Check);
    OS << llvm::formatv(
        "{0:2}\n",
        toSarif(Findings, Errors,
                std::vector<std::string>(Checks.begin(), Checks.end()), Out));
  }
  OS.flush();
  if (!emit(Report))
    return 2;
  if (Format == OutputFormat::Text)
    for (const ToolError &E : Errors)
      error("'" + displayPath(E.File, Out.Root) + "': " + E.Message);
  return Status;
}

int runInit() {
  static const char ClangTidy[] =
      "# concheck's checks, for clang-tidy with the concheck plugin and for\n"
      "# the concheck command. Other checks may be added to this list.\n"
      "Checks: '-*,concheck-*'\n"
      "# The bugs (races, deadlocks, locks left held) fail the run; the\n"
      "# style advice of concheck-unscoped-lock is reported only.\n"
      "WarningsAsErrors: '-*,concheck-*,-concheck-unscoped-lock'\n";
  if (!llvm::sys::fs::is_directory(InitDir)) {
    error("'" + InitDir + "': not a directory");
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
    llvm::SmallString<256> Probe(InitDir);
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
    llvm::SmallString<256> Path(InitDir);
    llvm::sys::path::append(Path, Name);
    if (llvm::sys::fs::exists(Path) && !InitForce) {
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

/// Every option word before "--" must name an option of the subcommand it
/// is given to. LLVM's own parser takes any unknown word that begins with
/// -h (--hx, --header-filterr) for -h, its help, and exits 0 having checked
/// nothing; and it words the error its own way. Here: one line, concheck's
/// style, with the option meant when the word is a near miss.
bool checkOptionWords(llvm::ArrayRef<const char *> Args) {
  cl::SubCommand *Sub = &cl::SubCommand::getTopLevel();
  std::string Command = "concheck";
  size_t I = 1;
  if (Args.size() > 1) {
    for (cl::SubCommand *Named : {&MergeCommand, &InitCommand})
      if (Named->getName() == Args[1]) {
        Sub = Named;
        Command += " " + Named->getName().str();
        I = 2;
      }
  }
  const llvm::StringMap<cl::Option *> &Known = cl::getRegisteredOptions(*Sub);
  for (; I < Args.size(); ++I) {
    llvm::StringRef Word(Args[I]);
    if (Word == "--")
      break;
    if (!Word.starts_with("-") || Word == "-")
      continue;
    auto [Name, Value] = Word.ltrim('-').split('=');
    // -h is LLVM's default alias of --help, added when parsing starts.
    if (Name == "h")
      continue;
    auto It = Known.find(Name);
    // -j4: an option whose value may be glued to its name.
    for (size_t Len = Name.size(); It == Known.end() && Len > 1; --Len) {
      auto P = Known.find(Name.take_front(Len - 1));
      if (P != Known.end() &&
          (P->second->getFormattingFlag() == cl::Prefix ||
           P->second->getFormattingFlag() == cl::AlwaysPrefix))
        It = P;
    }
    if (It != Known.end() && !It->second->isPositional()) {
      // Its value: after '=', glued to a prefix option's name (-j4), or
      // the next word, which may begin with '-'.
      std::optional<llvm::StringRef> Given;
      if (Word.contains('='))
        Given = Value;
      else if (Name.size() > It->first().size())
        Given = Name.drop_front(It->first().size());
      else if (It->second->getValueExpectedFlag() == cl::ValueRequired &&
               I + 1 < Args.size())
        Given = llvm::StringRef(Args[++I]);
      unsigned N;
      if (Given && (It->second == &Jobs || It->second == &JobsLong) &&
          Given->getAsInteger(10, N)) {
        error("-j: '" + *Given +
              "' is not a number of translation units to check at once (0: "
              "one per core)");
        return false;
      }
      continue;
    }
    std::string Shown = Word.split('=').first.str();
    std::string Best;
    unsigned BestDistance = 3;
    if (Name.size() >= 4)
      for (const auto &[Candidate, O] : Known) {
        if (O->getOptionHiddenFlag() != cl::NotHidden || O->isPositional() ||
            Candidate.size() < 3)
          continue;
        unsigned D = Name.edit_distance(Candidate, true, BestDistance);
        if (D < BestDistance) {
          BestDistance = D;
          Best = Candidate.str();
        }
      }
    std::string For = Sub == &cl::SubCommand::getTopLevel()
                          ? std::string()
                          : " for '" + Command + "'";
    if (!Best.empty())
      error("unknown option '" + Shown + "'" + For + "; did you mean '--" +
            Best + "'?");
    else
      error("unknown option '" + Shown + "'" + For + "; run '" + Command +
            " --help' for the options");
    return false;
  }
  return true;
}

/// Every positive glob of --checks must name some check: a typo that
/// enables nothing is an error, not a silent no-op.
bool validateCheckGlobs(const std::vector<std::string> &Available) {
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  llvm::StringRef(Checks).split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    G = G.trim();
    if (G.empty() || G.starts_with("-") || G.starts_with("clang-diagnostic-"))
      continue;
    GlobList One(G);
    if (llvm::none_of(Available, [&](const std::string &N) {
          return One.contains(N);
        })) {
      error("--checks: '" + G + "' matches no check; see 'concheck --list-checks'");
      return false;
    }
  }
  return true;
}

/// The file whose configuration --dump-config and --verify-config show:
/// the first path (a directory stands for a file in it), or one in the
/// current directory.
std::string configProbe() {
  llvm::SmallString<256> Probe(Paths.empty() ? "." : Paths.front());
  llvm::sys::fs::make_absolute(Probe);
  if (Paths.empty() || llvm::sys::fs::is_directory(Probe))
    llvm::sys::path::append(Probe, "dummy.cpp");
  llvm::sys::path::remove_dots(Probe, /*remove_dot_dot=*/true);
  return std::string(Probe);
}

/// The closest of \p Known to \p Name, if it is close enough to be a typo.
std::optional<std::string> closest(llvm::StringRef Name,
                                   llvm::ArrayRef<std::string> Known) {
  std::optional<std::string> Best;
  unsigned BestDistance = 0;
  for (const std::string &K : Known) {
    unsigned D = Name.edit_distance(K, /*AllowReplacements=*/true,
                                    /*MaxEditDistance=*/3);
    if (D <= 3 && (!Best || D < BestDistance)) {
      Best = K;
      BestDistance = D;
    }
  }
  return Best;
}

/// --verify-config: every concheck check glob that enables something, every
/// option of a concheck check known to it; the source of each problem named.
int verifyConfig(const Configuration &Cfg,
                 const std::vector<std::string> &Available) {
  const std::string Probe = configProbe();
  ClangTidyOptions All = Cfg.Defaults;
  All.Checks = "concheck-*";
  std::vector<std::string> KnownOptions;
  for (const auto &KV : getCheckOptions(All, false))
    KnownOptions.push_back(KV.getKey().str());
  unsigned Problems = 0;
  auto Problem = [&](llvm::StringRef Source, const llvm::Twine &What) {
    error(Source + ": " + What);
    ++Problems;
  };
  std::unique_ptr<ClangTidyOptionsProvider> Provider = Cfg.provider();
  for (const auto &[Options, Source] : Provider->getRawOptions(Probe)) {
    if (Source == ClangTidyOptionsProvider::OptionsSourceTypeDefaultBinary)
      continue;
    std::string Where = Source;
    if (Source ==
        ClangTidyOptionsProvider::OptionsSourceTypeCheckCommandLineOption)
      Where = "--checks";
    else if (Source ==
             ClangTidyOptionsProvider::OptionsSourceTypeConfigCommandLineOption)
      Where = "--config";
    else
      Where = "'" + displayPath(Where, absolutePath(".")) + "'";
    if (Options.Checks) {
      llvm::SmallVector<llvm::StringRef, 8> Globs;
      llvm::StringRef(*Options.Checks).split(Globs, ',', -1, false);
      for (llvm::StringRef G : Globs) {
        G = G.trim();
        G.consume_front("-");
        if (!G.starts_with("concheck-"))
          continue; // another tool's checks
        GlobList One(G);
        if (llvm::any_of(Available,
                         [&](const std::string &N) { return One.contains(N); }))
          continue;
        std::optional<std::string> Near = closest(G, Available);
        Problem(Where, "check glob '" + G + "' matches no check" +
                           (Near ? "; did you mean '" + *Near + "'?" : ""));
      }
    }
    for (const auto &KV : Options.CheckOptions) {
      llvm::StringRef Key = KV.getKey();
      if (!Key.starts_with("concheck-") || !Key.contains('.'))
        continue; // another tool's option, or a global one
      if (llvm::is_contained(KnownOptions, Key))
        continue;
      auto [Check, Name] = Key.rsplit('.');
      std::optional<std::string> Near = closest(Key, KnownOptions);
      if (!llvm::is_contained(Available, Check) &&
          !llvm::any_of(KnownOptions, [&, Check = Check](const std::string &K) {
            return llvm::StringRef(K).starts_with((Check + ".").str());
          }))
        Problem(Where, "option '" + Key + "' is for no check ('" + Check +
                           "' is not one)" +
                           (Near ? "; did you mean '" + *Near + "'?" : ""));
      else
        Problem(Where, "unknown option '" + Key + "'" +
                           (Near ? "; did you mean '" + *Near + "'?" : ""));
    }
  }
  if (Problems)
    return 1;
  ClangTidyContext Context(Cfg.provider());
  llvm::outs() << "No config errors detected: "
               << enabledCheckNames(Context.getOptionsForFile(Probe)).size()
               << " concheck checks enabled for '"
               << displayPath(Probe, absolutePath(".")) << "'.\n";
  return 0;
}

/// --enable-check-profile: the times clang-tidy's profiling stored under
/// \p Dir (one JSON file per file checked), summed per check, as a table on
/// stderr.
void printCheckProfile(llvm::StringRef Dir, size_t Files) {
  struct Times {
    double Wall = 0, User = 0, Sys = 0;
  };
  llvm::StringMap<Times> PerCheck;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End;
       It != End && !EC; It.increment(EC)) {
    if (!llvm::StringRef(It->path()).ends_with(".json"))
      continue;
    auto Buffer = llvm::MemoryBuffer::getFile(It->path());
    if (!Buffer)
      continue;
    llvm::Expected<llvm::json::Value> V =
        llvm::json::parse((*Buffer)->getBuffer());
    if (!V) {
      llvm::consumeError(V.takeError());
      continue;
    }
    const llvm::json::Object *O = V->getAsObject();
    const llvm::json::Object *Profile = O ? O->getObject("profile") : nullptr;
    for (const auto &KV : Profile ? *Profile : llvm::json::Object()) {
      // "time.clang-tidy.<check>.wall" (.user, .sys)
      llvm::StringRef Key = KV.first;
      if (!Key.consume_front("time.clang-tidy."))
        continue;
      auto [Check, Kind] = Key.rsplit('.');
      std::optional<double> Seconds = KV.second.getAsNumber();
      if (!Seconds)
        continue;
      Times &T = PerCheck[Check];
      (Kind == "wall" ? T.Wall : Kind == "user" ? T.User : T.Sys) += *Seconds;
    }
  }
  std::vector<std::pair<std::string, Times>> Rows;
  Times Total;
  for (const auto &KV : PerCheck) {
    Rows.emplace_back(KV.getKey().str(), KV.getValue());
    Total.Wall += KV.getValue().Wall;
    Total.User += KV.getValue().User;
    Total.Sys += KV.getValue().Sys;
  }
  llvm::sort(Rows, [](const auto &A, const auto &B) {
    return A.second.Wall != B.second.Wall ? A.second.Wall > B.second.Wall
                                          : A.first < B.first;
  });
  llvm::raw_ostream &OS = llvm::errs();
  OS << "concheck: time per check, over " << Files
     << (Files == 1 ? " file" : " files") << " (seconds):\n";
  OS << llvm::formatv("{0,10} {1,10} {2,10}  {3}\n", "wall", "user", "system",
                      "check");
  auto Row = [&](const Times &T, llvm::StringRef Name) {
    OS << llvm::formatv("{0,10:F3} {1,10:F3} {2,10:F3}  {3}\n", T.Wall, T.User,
                        T.Sys, Name);
  };
  for (const auto &[Name, T] : Rows)
    Row(T, Name);
  Row(Total, "total");
}

/// --dump-config: what applies to the probe, as clang-tidy prints it.
int dumpConfig(const Configuration &Cfg) {
  ClangTidyContext Context(Cfg.provider());
  ClangTidyOptions Effective = Context.getOptionsForFile(configProbe());
  Effective.CheckOptions = getCheckOptions(Effective, false);
  llvm::outs() << configurationAsText(
                      ClangTidyOptions::getDefaults().merge(Effective, 0))
               << "\n";
  return 0;
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);
  cl::HideUnrelatedOptions(ConcheckCategory);
  if (auto It = cl::getRegisteredOptions().find("stats");
      It != cl::getRegisteredOptions().end()) {
    It->second->setDescription(StatsHelp);
    It->second->setHiddenFlag(cl::NotHidden);
    It->second->addCategory(ConcheckCategory);
  }

  // Everything after "--" is compiler flags, and as for clang-tidy it means
  // no compile database is searched for.
  std::vector<std::string> ExtraFlags;
  std::vector<const char *> ToolArgs;
  bool DashDash = false;
  for (int I = 0; I < argc; ++I) {
    llvm::StringRef Arg(argv[I]);
    if (I > 0 && Arg == "--") {
      DashDash = true;
      for (int J = I + 1; J < argc; ++J)
        ExtraFlags.push_back(argv[J]);
      break;
    }
    if (I > 0 && (Arg == "--stats" || Arg == "-stats")) {
      Stats = true;
      continue;
    }
    if (I > 0 && (Arg.consume_front("--color") || Arg.consume_front("-color"))) {
      llvm::StringRef Value;
      if (Arg.consume_front("="))
        Value = Arg;
      else if (Arg.empty() && I + 1 < argc)
        Value = argv[++I];
      else if (!Arg.empty()) { // e.g. --colors: not ours
        ToolArgs.push_back(argv[I]);
        continue;
      }
      if (Value == "auto")
        Color = ColorMode::Auto;
      else if (Value == "always")
        Color = ColorMode::Always;
      else if (Value == "never")
        Color = ColorMode::Never;
      else {
        error("--color: '" + Value + "' is not one of auto, always, never");
        return 2;
      }
      continue;
    }
    ToolArgs.push_back(argv[I]);
  }
  if (!checkOptionWords(ToolArgs))
    return 2;
  int ToolArgc = ToolArgs.size();
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "concheck " << CONCHECK_VERSION << " (LLVM "
       << CONCHECK_LLVM_VERSION_MAJOR << ")\n";
  });
  if (!cl::ParseCommandLineOptions(
          ToolArgc, ToolArgs.data(),
          "concheck: finds concurrency bugs in C++ code.\n\n"
          "  concheck [options] PATH... [-- COMPILER_FLAGS]\n"
          "  concheck merge [--output FILE] REPORT...\n"
          "  concheck init [--force] [DIR]\n\n"
          "A PATH is a source file or a directory. Flags come from -p "
          "BUILD_DIR, else from\nthe nearest compile_commands.json above the "
          "first path; with '--' or without\na database, sources are compiled "
          "with -std=c++20 and the concheck runtime's\ninclude directory, "
          "plus the flags after '--'.\n\n"
          "Colour in text output: --color=auto (on a terminal), always or "
          "never.\n",
          &llvm::errs()))
    return 2;
  if (Color != ColorMode::Auto) {
    auto &Registered = cl::getRegisteredOptions();
    auto It = Registered.find("color");
    if (It != Registered.end())
      It->second->addOccurrence(0, "color",
                                Color == ColorMode::Always ? "true" : "false");
  }

  if (MergeCommand)
    return runMerge();
  if (InitCommand)
    return runInit();

  Configuration Cfg;
  Cfg.Defaults = ClangTidyOptions::getDefaults();
  Cfg.Defaults.Checks = "-*,concheck-*";
  // Unlike clang-tidy, the project's own headers are checked by default
  // (system headers are not: SystemHeaders stays off).
  Cfg.Defaults.HeaderFilterRegex = ".*";
  if (!Checks.empty())
    Cfg.Overrides.Checks = Checks;
  for (auto [Opt, Field] :
       {std::pair{&HeaderFilter, &Cfg.Overrides.HeaderFilterRegex},
        std::pair{&ExcludeHeaderFilter,
                  &Cfg.Overrides.ExcludeHeaderFilterRegex}}) {
    if (!Opt->getNumOccurrences())
      continue;
    if (std::string Why; !llvm::Regex(Opt->getValue()).isValid(Why)) {
      error("--" + Opt->ArgStr + ": '" + Opt->getValue() +
            "' is not a regular expression: " + Why);
      return 2;
    }
    *Field = Opt->getValue();
  }
  if (!ExtraArg.empty())
    Cfg.Overrides.ExtraArgs.emplace(ExtraArg.begin(), ExtraArg.end());
  if (!ExtraArgBefore.empty())
    Cfg.Overrides.ExtraArgsBefore.emplace(ExtraArgBefore.begin(),
                                          ExtraArgBefore.end());
  if (!Config.empty()) {
    auto Parsed = parseConfiguration(llvm::MemoryBufferRef(Config, "--config"));
    if (!Parsed) {
      error("--config: " + Parsed.getError().message());
      return 2;
    }
    Cfg.Explicit = std::move(*Parsed);
  }

  ClangTidyOptions All = Cfg.Defaults;
  All.Checks = "concheck-*";
  std::vector<std::string> Available = enabledCheckNames(All);
  if (VerifyConfig)
    return verifyConfig(Cfg, Available);
  if (!validateCheckGlobs(Available))
    return 2;

  if (DumpConfig)
    return dumpConfig(Cfg);
  if (ListChecks) {
    ClangTidyContext Context(Cfg.provider());
    llvm::SmallString<256> Here;
    llvm::sys::fs::current_path(Here);
    llvm::sys::path::append(Here, "dummy.cpp");
    std::vector<std::string> Enabled =
        enabledCheckNames(Context.getOptionsForFile(Here));
    for (const std::string &Name : Enabled) {
      const CheckDoc *Doc = findCheckDoc(Name);
      llvm::outs() << Name;
      if (std::optional<concheck::CheckKind> K = concheck::kindOfCheck(Name))
        llvm::outs() << " (" << concheck::kindName(*K) << ")";
      llvm::outs() << "\n    " << (Doc ? Doc->Summary : "") << "\n";
    }
    return 0;
  }
  if (!Explain.empty()) {
    std::string Name = Explain;
    if (!llvm::StringRef(Name).starts_with("concheck-"))
      Name = "concheck-" + Name;
    const CheckDoc *Doc = findCheckDoc(Name);
    if (!Doc) {
      error("--explain: no check named '" + Explain +
            "'; see 'concheck --list-checks'");
      return 2;
    }
    llvm::outs() << Doc->Page;
    return 0;
  }

  unsigned ShardIndex = 1, ShardCount = 1;
  if (!Shard.empty()) {
    auto [K, N] = llvm::StringRef(Shard).split('/');
    if (K.getAsInteger(10, ShardIndex) || N.getAsInteger(10, ShardCount) ||
        ShardCount == 0 || ShardIndex == 0 || ShardIndex > ShardCount) {
      error("--shard: '" + Shard + "' is not K/N with 1 <= K <= N");
      return 2;
    }
  }
  if (!BaselineFile.empty() && !WriteBaseline.empty()) {
    error("--baseline and --write-baseline cannot be used together");
    return 2;
  }
  // --line-filter, or the lines a diff adds or changes.
  if (LineFilterText.getNumOccurrences() && DiffRev.getNumOccurrences()) {
    error("--diff and --line-filter cannot be used together");
    return 2;
  }
  std::optional<LineFilter> Lines;
  std::vector<std::string> InputPaths(Paths.begin(), Paths.end());
  if (LineFilterText.getNumOccurrences()) {
    std::string Error;
    Lines = LineFilter::parseJson(LineFilterText, Error);
    if (!Lines) {
      error("--line-filter: " + Error);
      return 2;
    }
  }
  if (DiffRev.getNumOccurrences()) {
    std::string Text, Base, Error;
    std::vector<std::string> Bases;
    if (DiffRev == "-") {
      auto In = llvm::MemoryBuffer::getSTDIN();
      if (!In) {
        error("--diff=-: cannot read stdin: " + describe(In.getError()));
        return 2;
      }
      Text = (*In)->getBuffer().str();
      // Paths as git writes them, from the top of the work tree, or as
      // diff -u does, from here.
      if (std::string Top = gitTopLevel(); !Top.empty())
        Bases.push_back(std::move(Top));
      Bases.push_back(absolutePath("."));
    } else if (std::optional<std::string> D = gitDiff(DiffRev, Base, Error)) {
      Text = std::move(*D);
      Bases.push_back(Base);
    } else {
      error("--diff=" + DiffRev + ": git diff failed: " + Error);
      return 2;
    }
    Lines = LineFilter::fromDiff(Text, Bases);
    if (InputPaths.empty()) {
      for (const std::string &F : Lines->files())
        if (isSourceOrHeader(F) && llvm::sys::fs::is_regular_file(F))
          InputPaths.push_back(F);
      if (InputPaths.empty() && !Quiet)
        note(DiffRev == "-"
                 ? std::string("the diff changes no C or C++ file")
                 : "no C or C++ file changed since '" + DiffRev + "'");
    }
  } else if (Paths.empty()) {
    error("no input paths; run 'concheck --help' for usage");
    return 2;
  }
  std::optional<Baseline> Known;
  if (!BaselineFile.empty()) {
    std::string Error;
    Known = Baseline::read(BaselineFile, Error);
    if (!Known) {
      error(Error);
      return 2;
    }
  }

  OutputOptions Out;
  Out.Root = absolutePath(Root.empty() ? llvm::StringRef(".") : llvm::StringRef(Root));
  if (ShardCount > 1)
    Out.Shard = Shard;
  bool ToFile = !Output.empty() && Output != "-";
  Out.Color = Format == OutputFormat::Text &&
              (Color == ColorMode::Always ||
               (Color == ColorMode::Auto && !ToFile &&
                llvm::outs().has_colors()));

  ProjectOptions PO;
  PO.Paths = InputPaths;
  PO.BuildPath = BuildPath;
  PO.NoDatabase = DashDash;
  PO.ExtraFlags = ExtraFlags;
  Project P = loadProject(PO);
  std::vector<ToolError> ToolErrors = std::move(P.Errors);
  for (ToolError &E : ToolErrors) {
    // As the user would type it: relative to the current directory.
    error("'" + displayPath(E.File, absolutePath(".")) + "': " + E.Message);
    E.Printed = true;
  }
  if (!Quiet)
    for (const std::string &N : P.Notes)
      note(N);
  if (ShardCount > 1)
    selectShard(P.Files, ShardIndex, ShardCount);

  // Vet each file first: a bad one is one line, and the rest go on.
  std::vector<std::string> Files;
  for (const std::string &F : P.Files) {
    std::string Problem = problemWith(F, *P.Database);
    if (Problem.empty())
      Files.push_back(F);
    else
      ToolErrors.push_back({F, Problem});
  }
  if (Files.empty() && ToolErrors.empty() && ShardCount > 1 && !Quiet)
    note("shard " + Shard + " has no translation units");

  {
    // Enabled checks for the first file: none at all is a usage error.
    ClangTidyContext Context(Cfg.provider());
    std::string Probe = Files.empty() ? Out.Root + "/dummy.cpp" : Files.front();
    if (enabledCheckNames(Context.getOptionsForFile(Probe)).empty()) {
      error("no checks enabled by '" + (Checks.empty() ? Config : Checks) +
            "'; see 'concheck --list-checks'");
      return 2;
    }
  }

  unsigned Threads = Jobs ? Jobs.getValue() : llvm::hardware_concurrency().compute_thread_count();
  Threads = std::max(1u, std::min<unsigned>(Threads, Files.size()));
  Progress Bar(!Quiet && llvm::errs().is_displayed() && !Files.empty(),
               Files.size(), Out.Root);
  llvm::SmallString<128> ProfileDir;
  if (EnableCheckProfile) {
    if (std::error_code EC = llvm::sys::fs::createUniqueDirectory(
            "concheck-profile", ProfileDir)) {
      error("--enable-check-profile: cannot make a temporary directory: " +
            describe(EC));
      return 2;
    }
    Cfg.ProfileDir = std::string(ProfileDir);
  }
  std::vector<FileResult> Results(Files.size());
  FactsStats FactCounts;
  // Whole-project facts (FactsRun.h): what the cache beside the database
  // knows first, then what this run learns; the units whose calls the new
  // facts change are checked again, until nothing changes.
  FactsRun Facts(P.DatabaseFile.empty()
                     ? std::string()
                     : ProjectFacts::cacheFileIn(
                           llvm::sys::path::parent_path(P.DatabaseFile)),
                 *P.Database);
  {
    std::string Problem;
    std::shared_ptr<const ProjectFacts> Known = Facts.known(Problem);
    if (!Problem.empty() && !Quiet)
      note("ignoring the facts cache '" + Facts.cacheFile() + "': " + Problem);
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
    auto CheckAll = [&](llvm::ArrayRef<size_t> Which,
                        std::shared_ptr<const ProjectFacts> With) {
      ProjectFacts::install(With);
      for (size_t I : Which)
        Pool.async([&, I, With] {
          Bar.started(Files[I]);
          Results[I] = checkFile(Files[I], *P.Database, Cfg, nullptr, Stats,
                                 /*Facts=*/true);
          Facts.record(Files[I], Results[I], With);
          Bar.finished();
        });
      Pool.wait();
    };
    std::vector<size_t> All(Files.size());
    std::iota(All.begin(), All.end(), 0);
    CheckAll(All, Known);
    std::vector<bool> Again(Files.size());
    // Facts flow one call level per round; deeper chains than this keep
    // what the last round found.
    for (unsigned Round = 0; Round < MaxFactRounds; ++Round) {
      std::vector<size_t> Stale;
      std::shared_ptr<const ProjectFacts> Now = Facts.current(Files, Stale);
      if (Stale.empty())
        break;
      for (size_t I : Stale)
        FactCounts.CheckedAgain += !Again[I];
      for (size_t I : Stale)
        Again[I] = true;
      Bar.more(Stale.size());
      CheckAll(Stale, Now);
    }
    ProjectFacts::install(nullptr);
    std::vector<size_t> Unused;
    FactCounts.Functions = Facts.current(Files, Unused)->size();
    std::string Error;
    if (!Facts.save(Error) && !Quiet)
      note("cannot write the facts cache '" + Facts.cacheFile() +
           "': " + Error);
  }
  Bar.clear();
  if (EnableCheckProfile) {
    printCheckProfile(ProfileDir, Files.size());
    llvm::sys::fs::remove_directories(ProfileDir);
  }

  // In input order, whatever the scheduling.
  SourceFiles Sources;
  std::vector<Finding> Findings;
  SuppressionReport Suppressions;
  std::set<std::pair<std::string, unsigned>> UsedDirectives;
  std::vector<size_t> Clean; // the files that compiled
  for (size_t I = 0; I < Files.size(); ++I) {
    std::vector<Finding> FromFile = toFindings(std::move(Results[I].Errors), Sources);
    // clang-tidy's complaints about NOLINT comments (an unmatched
    // NOLINTBEGIN) are mistakes in the input, not findings; clang-tidy
    // makes them errors, which is why the run reports a failure.
    bool NolintProblem = false;
    llvm::erase_if(FromFile, [&](const Finding &F) {
      if (F.Check != "clang-tidy-nolint")
        return false;
      ToolErrors.push_back(
          {F.Loc.File.empty() ? Files[I] : F.Loc.File,
           F.Loc.Line
               ? llvm::formatv("line {0}: {1}", F.Loc.Line, F.Message).str()
               : F.Message});
      NolintProblem = true;
      return true;
    });
    bool Broken = false;
    for (const Finding &F : FromFile)
      Broken |= F.isCompilerError();
    if (Broken)
      ToolErrors.push_back(
          {Files[I], "the code does not compile; its findings may be incomplete"});
    else if (Results[I].ToolFailed && !NolintProblem)
      ToolErrors.push_back({Files[I], "clang could not process it"});
    for (const SuppressedDiag &D : Results[I].Suppressed) {
      Finding F;
      F.Check = D.Check;
      F.Message = D.Message;
      F.Loc = Sources.locate(D.File, D.Offset);
      F.SourceLine = Sources.lineText(D.File, F.Loc.Line);
      F.Suppression = D.Justification;
      Suppressions.Suppressed.push_back(std::move(F));
      if (D.DirectiveLine)
        UsedDirectives.insert({D.File, D.DirectiveLine});
    }
    if (!Broken && !Results[I].ToolFailed)
      Clean.push_back(I);
    Findings.insert(Findings.end(), std::make_move_iterator(FromFile.begin()),
                    std::make_move_iterator(FromFile.end()));
  }
  sortAndDeduplicate(Findings);
  fingerprint(Findings, Out.Root);
  sortAndDeduplicate(Suppressions.Suppressed);
  fingerprint(Suppressions.Suppressed, Out.Root);
  // The comments that name only concheck's checks, one of them enabled,
  // and suppressed nothing, in the files that compiled (a comment in lines
  // the preprocessor skipped suppresses nothing, rightly).
  for (size_t I : Clean) {
    const llvm::MemoryBuffer *Text = Sources.get(Files[I]);
    if (!Text)
      continue;
    std::optional<std::vector<std::string>> EnabledHere;
    for (const NolintDirective &D : nolintDirectives(Text->getBuffer())) {
      if (D.K == NolintDirective::End || !D.onlyConcheck() ||
          UsedDirectives.count({Files[I], D.Line}) ||
          llvm::any_of(Results[I].SkippedLines, [&](const auto &R) {
            return R.first <= D.Line && D.Line <= R.second;
          }))
        continue;
      if (!EnabledHere) {
        ClangTidyContext Context(Cfg.provider());
        EnabledHere = enabledCheckNames(Context.getOptionsForFile(Files[I]));
      }
      if (llvm::none_of(*EnabledHere,
                        [&](const std::string &C) { return D.names(C); }))
        continue;
      Location L;
      L.File = Files[I];
      L.Line = D.Line;
      L.Column = D.Column;
      Suppressions.Unused.push_back({std::move(L), D.Text});
    }
  }
  unsigned OffLines = 0;
  if (Lines) {
    llvm::erase_if(Findings, [&](const Finding &F) {
      if (Lines->passes(F.Loc.File, F.Loc.Line))
        return false;
      OffLines += !F.isCompilerError();
      return true;
    });
    llvm::erase_if(Suppressions.Suppressed, [&](const Finding &F) {
      return !Lines->passes(F.Loc.File, F.Loc.Line);
    });
    llvm::erase_if(Suppressions.Unused, [&](const UnusedSuppression &U) {
      return !Lines->passes(U.Loc.File, U.Loc.Line);
    });
  }
  if (!Quiet && Format == OutputFormat::Text)
    for (const UnusedSuppression &U : Suppressions.Unused)
      note(llvm::formatv("'{0}:{1}:{2}': {3}",
                         displayPath(U.Loc.File, Out.Root), U.Loc.Line,
                         U.Loc.Column, unusedMessage(U))
               .str());

  if (!WriteBaseline.empty()) {
    std::vector<Finding> Recorded;
    for (const Finding &F : Findings)
      if (!F.isCompilerError())
        Recorded.push_back(F);
    std::string Error;
    if (!Baseline::write(WriteBaseline, Recorded, Error)) {
      error(Error);
      return 2;
    }
    if (!Quiet)
      note(llvm::formatv("{0} {1} recorded in '{2}'", Recorded.size(),
                         Recorded.size() == 1 ? "finding" : "findings",
                         WriteBaseline)
               .str());
  }
  unsigned Baselined = Known ? Known->filter(Findings) : 0;

  // Fixes first, so that a file they could not write is in the report too.
  unsigned FixesApplied = 0;
  std::vector<ToolError> FixProblems;
  if (Fix) {
    FixResult R = applyFixes(Findings, Sources);
    FixesApplied = R.Applied;
    FixProblems = std::move(R.Problems);
  }
  std::vector<ToolError> Reported = ToolErrors;
  Reported.insert(Reported.end(), FixProblems.begin(), FixProblems.end());

  // The report.
  std::string Report;
  llvm::raw_string_ostream OS(Report);
  if (Out.Color)
    OS.enable_colors(true);
  std::vector<std::string> Enabled;
  {
    ClangTidyContext Context(Cfg.provider());
    Enabled = enabledCheckNames(
        Context.getOptionsForFile(Files.empty() ? Out.Root + "/dummy.cpp"
                                                : Files.front()));
  }
  std::vector<std::pair<std::string, concheck::model::Coverage>> Coverage;
  if (Stats)
    for (size_t I = 0; I < Files.size(); ++I)
      if (Results[I].Stats)
        Coverage.emplace_back(Files[I], std::move(*Results[I].Stats));
  switch (Format) {
  case OutputFormat::Text:
    writeText(OS, Findings, Out);
    if (Stats)
      writeStats(OS, Coverage, FactCounts, Out);
    break;
  case OutputFormat::Json: {
    llvm::json::Value Report =
        toJson(Findings, Reported, Files.size(), Out, &Suppressions);
    if (Stats)
      if (llvm::json::Object *O = Report.getAsObject())
        (*O)["stats"] = statsToJson(Coverage, FactCounts, Out);
    OS << llvm::formatv("{0:2}\n", std::move(Report));
    break;
  }
  case OutputFormat::Sarif:
    OS << llvm::formatv(
        "{0:2}\n", toSarif(Findings, Reported, Enabled, Out, &Suppressions));
    break;
  case OutputFormat::Github:
    writeGithub(OS, Findings, Reported, Out, &Suppressions);
    break;
  }
  OS.flush();
  bool Failed = !emit(Report);

  if (!ExportFixes.empty()) {
    std::string Error;
    if (!exportFixes(ExportFixes, Findings, Files.size() == 1 ? Files.front() : "",
                     Error)) {
      error(Error);
      Failed = true;
    }
  }

  // Problems with single files, after the report; those with the inputs
  // themselves were named before it.
  for (const ToolError &E : ToolErrors)
    if (!E.Printed)
      error("'" + displayPath(E.File, Out.Root) + "': " + E.Message);
  for (const ToolError &E : FixProblems)
    error("'" + displayPath(E.File, Out.Root) + "': " + E.Message);

  unsigned Count = 0;
  for (const Finding &F : Findings)
    Count += !F.isCompilerError();
  if (!Quiet) {
    llvm::errs() << "concheck: " << Files.size()
                 << (Files.size() == 1 ? " file" : " files") << " checked, "
                 << Count << (Count == 1 ? " finding" : " findings");
    if (OffLines)
      llvm::errs() << " (" << OffLines << " more outside the "
                   << (DiffRev.getNumOccurrences() ? "changed lines"
                                                   : "line filter")
                   << ")";
    if (Known)
      llvm::errs() << " (" << Baselined << " more in the baseline)";
    if (Fix)
      llvm::errs() << ", " << FixesApplied
                   << (FixesApplied == 1 ? " fix" : " fixes") << " applied";
    llvm::errs() << "\n";
  }
  if (!ToolErrors.empty() || !FixProblems.empty() || Failed)
    return 2;
  // Writing a baseline, or one shard's report, records findings: it is not
  // the check (the run with --baseline is, or the merge of the shards).
  if (!WriteBaseline.empty() || !Shard.empty())
    return 0;
  return Count ? 1 : 0;
}
