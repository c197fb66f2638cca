//===--- CommandLine.cpp - the command line, parsed once ------------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "CommandLine.h"
#include "Console.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

using namespace concheck::cli;
namespace cl = llvm::cl;

static cl::OptionCategory ConcheckCategory("concheck options");
static cl::SubCommand
    MergeCommand("merge",
                 "Merge the JSON reports or SARIF logs of shards into one");
static cl::SubCommand
    InitCommand("init",
                "Write a .clang-tidy and a .clangd that enable concheck");

// --- checking
// -----------------------------------------------------------------
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
    BuildPath("p",
              cl::desc("Build directory containing compile_commands.json "
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
static ColorMode Color = ColorMode::Auto;
static cl::opt<std::string>
    Root("root",
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
static cl::opt<std::string>
    BaselineFile("baseline",
                 cl::desc("Report only findings not recorded in FILE"),
                 cl::value_desc("file"), cl::cat(ConcheckCategory));
static cl::opt<std::string>
    WriteBaseline("write-baseline",
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

// --- merge and init
// -------------------------------------------------------------
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

/// llvm::cl over the command line, with "--", --stats and --color read
/// first. False after an error said.
bool parseArgs(int argc, const char **argv, bool &DashDash,
               std::vector<std::string> &ExtraFlags) {
  cl::HideUnrelatedOptions(ConcheckCategory);
  if (auto It = cl::getRegisteredOptions().find("stats");
      It != cl::getRegisteredOptions().end()) {
    It->second->setDescription(StatsHelp);
    It->second->setHiddenFlag(cl::NotHidden);
    It->second->addCategory(ConcheckCategory);
  }

  // Everything after "--" is compiler flags, and as for clang-tidy it means
  // no compile database is searched for.
  std::vector<const char *> ToolArgs;
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
    if (I > 0 &&
        (Arg.consume_front("--color") || Arg.consume_front("-color"))) {
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
        return false;
      }
      continue;
    }
    ToolArgs.push_back(argv[I]);
  }
  if (!checkOptionWords(ToolArgs))
    return false;
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
          "first path (or in a build/ directory there); with '--' or "
          "without\na database, sources are compiled "
          "with -std=c++20 and the concheck runtime's\ninclude directory, "
          "plus the flags after '--'.\n\n"
          "Colour in text output: --color=auto (on a terminal), always or "
          "never.\n",
          &llvm::errs()))
    return false;
  if (Color != ColorMode::Auto) {
    auto &Registered = cl::getRegisteredOptions();
    auto It = Registered.find("color");
    if (It != Registered.end())
      It->second->addOccurrence(0, "color",
                                Color == ColorMode::Always ? "true" : "false");
  }
  return true;
}

} // namespace

std::optional<RunOptions> concheck::cli::parseCommandLine(int argc,
                                                          const char **argv) {
  RunOptions O;
  if (!parseArgs(argc, argv, O.DashDash, O.ExtraFlags))
    return std::nullopt;
  O.Cmd = MergeCommand  ? RunOptions::Command::Merge
          : InitCommand ? RunOptions::Command::Init
                        : RunOptions::Command::Check;
  for (auto [Opt, Field] :
       {std::pair{&HeaderFilter, &O.HeaderFilter},
        std::pair{&ExcludeHeaderFilter, &O.ExcludeHeaderFilter}}) {
    if (!Opt->getNumOccurrences())
      continue;
    if (std::string Why; !llvm::Regex(Opt->getValue()).isValid(Why)) {
      error("--" + Opt->ArgStr + ": '" + Opt->getValue() +
            "' is not a regular expression: " + Why);
      return std::nullopt;
    }
    *Field = Opt->getValue();
  }
  O.Paths.assign(Paths.begin(), Paths.end());
  O.Checks = Checks;
  O.Config = Config;
  O.ExtraArg.assign(ExtraArg.begin(), ExtraArg.end());
  O.ExtraArgBefore.assign(ExtraArgBefore.begin(), ExtraArgBefore.end());
  O.BuildPath = BuildPath;
  O.Jobs = Jobs;
  O.Shard = Shard;
  if (LineFilterText.getNumOccurrences())
    O.LineFilter = LineFilterText;
  if (DiffRev.getNumOccurrences())
    O.Diff = DiffRev;
  O.BaselineFile = BaselineFile;
  O.WriteBaseline = WriteBaseline;
  O.Fix = Fix;
  O.ExportFixes = ExportFixes;
  O.Format = Format;
  O.FormatGiven = Format.getNumOccurrences() > 0;
  O.Output = Output;
  O.Color = Color;
  O.Root = Root;
  O.Stats = Stats;
  O.Quiet = Quiet;
  O.ListChecks = ListChecks;
  O.EnableCheckProfile = EnableCheckProfile;
  O.DumpConfig = DumpConfig;
  O.VerifyConfig = VerifyConfig;
  O.Explain = Explain;
  O.MergeInputs.assign(MergeInputs.begin(), MergeInputs.end());
  O.InitDir = InitDir;
  O.InitForce = InitForce;
  return O;
}
