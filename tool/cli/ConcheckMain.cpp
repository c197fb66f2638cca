//===--- ConcheckMain.cpp - the concheck command --------------------------===//
//
// Part of concheck.
//
//   concheck [options] PATH... [-- COMPILER_FLAGS]
//   concheck merge [--output FILE] REPORT...   (MergeCommand.cpp)
//   concheck init [--force] [DIR]              (InitCommand.cpp)
//
// Runs the concheck clang-tidy checks over a project through the clang-tidy
// library: options, NOLINT handling and diagnostics are clang-tidy's own.
// The command line is read once (CommandLine.h); this file is the check:
// the files and their flags (Project.h), the runs (Runner.h) with the
// whole project's facts (FactsRun.h), then the report (Writers.h).
// Translation units run in parallel; the report's order depends only on the
// input. Exit status: 0 no findings, 1 findings, 2 usage or tool error (a
// bad path, a bad compile database, code that does not compile).
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "CheckCatalog.h"
#include "CheckDocs.h"
#include "Commands.h"
#include "ConcheckForceLinker.h"
#include "ConfigCommands.h"
#include "Console.h"
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

namespace {

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

/// --line-filter, or the lines --diff adds or changes, and the paths to
/// check: those given, or without them the C and C++ files the diff
/// changes. False after an error said.
bool readLineFilter(const RunOptions &O, std::optional<LineFilter> &Lines,
                    std::vector<std::string> &InputPaths) {
  if (O.LineFilter.has_value() && O.Diff.has_value()) {
    error("--diff and --line-filter cannot be used together");
    return false;
  }
  InputPaths.assign(O.Paths.begin(), O.Paths.end());
  if (O.LineFilter.has_value()) {
    std::string Error;
    Lines = LineFilter::parseJson(*O.LineFilter, Error);
    if (!Lines) {
      error("--line-filter: " + Error);
      return false;
    }
  }
  if (O.Diff.has_value()) {
    std::string Text, Base, Error;
    std::vector<std::string> Bases;
    if (*O.Diff == "-") {
      auto In = llvm::MemoryBuffer::getSTDIN();
      if (!In) {
        error("--diff=-: cannot read stdin: " + describe(In.getError()));
        return false;
      }
      Text = (*In)->getBuffer().str();
      // Paths as git writes them, from the top of the work tree, or as
      // diff -u does, from here.
      if (std::string Top = gitTopLevel(); !Top.empty())
        Bases.push_back(std::move(Top));
      Bases.push_back(absolutePath("."));
    } else if (std::optional<std::string> D = gitDiff(*O.Diff, Base, Error)) {
      Text = std::move(*D);
      Bases.push_back(Base);
    } else {
      error("--diff=" + *O.Diff + ": git diff failed: " + Error);
      return false;
    }
    Lines = LineFilter::fromDiff(Text, Bases);
    if (InputPaths.empty()) {
      for (const std::string &F : Lines->files())
        if (isSourceOrHeader(F) && llvm::sys::fs::is_regular_file(F))
          InputPaths.push_back(F);
      if (InputPaths.empty() && !O.Quiet)
        note(*O.Diff == "-"
                 ? std::string("the diff changes no C or C++ file")
                 : "no C or C++ file changed since '" + *O.Diff + "'");
    }
  } else if (O.Paths.empty()) {
    error("no input paths; run 'concheck --help' for usage");
    return false;
  }
  return true;
}

/// The comments in the files that compiled (\p Clean) that name only
/// concheck's checks, one of them enabled, and suppressed nothing (their
/// lines are not in \p Used); a comment in lines the preprocessor skipped
/// suppresses nothing, rightly.
std::vector<UnusedSuppression>
unusedSuppressions(const std::vector<std::string> &Files,
                   const std::vector<FileResult> &Results,
                   const std::vector<size_t> &Clean,
                   const std::set<std::pair<std::string, unsigned>> &Used,
                   SourceFiles &Sources, const Configuration &Cfg) {
  std::vector<UnusedSuppression> Out;
  for (size_t I : Clean) {
    const llvm::MemoryBuffer *Text = Sources.get(Files[I]);
    if (!Text)
      continue;
    std::optional<std::vector<std::string>> EnabledHere;
    for (const NolintDirective &D : nolintDirectives(Text->getBuffer())) {
      if (D.K == NolintDirective::End || !D.onlyConcheck() ||
          Used.count({Files[I], D.Line}) ||
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
      Out.push_back({std::move(L), D.Text});
    }
  }
  return Out;
}

} // namespace

int concheck::cli::runCheck(const RunOptions &O) {
  std::optional<Configuration> Built = buildConfiguration(O);
  if (!Built)
    return 2;
  Configuration &Cfg = *Built;

  ClangTidyOptions All = Cfg.Defaults;
  All.Checks = "concheck-*";
  std::vector<std::string> Available = enabledCheckNames(All);
  if (O.VerifyConfig)
    return verifyConfig(Cfg, Available, O);
  if (!validateCheckGlobs(O.Checks, Available))
    return 2;

  if (O.DumpConfig)
    return dumpConfig(Cfg, O);
  if (O.ListChecks)
    return listChecks(Cfg);
  if (!O.Explain.empty())
    return explainCheck(O.Explain);

  unsigned ShardIndex = 1, ShardCount = 1;
  if (!O.Shard.empty()) {
    auto [K, N] = llvm::StringRef(O.Shard).split('/');
    if (K.getAsInteger(10, ShardIndex) || N.getAsInteger(10, ShardCount) ||
        ShardCount == 0 || ShardIndex == 0 || ShardIndex > ShardCount) {
      error("--shard: '" + O.Shard + "' is not K/N with 1 <= K <= N");
      return 2;
    }
  }
  if (!O.BaselineFile.empty() && !O.WriteBaseline.empty()) {
    error("--baseline and --write-baseline cannot be used together");
    return 2;
  }
  // --line-filter, or the lines a diff adds or changes.
  std::optional<LineFilter> Lines;
  std::vector<std::string> InputPaths;
  if (!readLineFilter(O, Lines, InputPaths))
    return 2;
  std::optional<Baseline> Known;
  if (!O.BaselineFile.empty()) {
    std::string Error;
    Known = Baseline::read(O.BaselineFile, Error);
    if (!Known) {
      error(Error);
      return 2;
    }
  }

  OutputOptions Out;
  Out.Root = absolutePath(O.Root.empty() ? llvm::StringRef(".")
                                         : llvm::StringRef(O.Root));
  if (ShardCount > 1)
    Out.Shard = O.Shard;
  Out.Color = O.Format == OutputFormat::Text &&
              (O.Color == ColorMode::Always ||
               (O.Color == ColorMode::Auto && !O.toFile() &&
                llvm::outs().has_colors()));

  ProjectOptions PO;
  PO.Paths = InputPaths;
  PO.BuildPath = O.BuildPath;
  PO.NoDatabase = O.DashDash;
  PO.ExtraFlags = O.ExtraFlags;
  Project P = loadProject(PO);
  std::vector<ToolError> ToolErrors = std::move(P.Errors);
  for (ToolError &E : ToolErrors) {
    // As the user would type it: relative to the current directory.
    error("'" + displayPath(E.File, absolutePath(".")) + "': " + E.Message);
    E.Printed = true;
  }
  if (!O.Quiet)
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
  if (Files.empty() && ToolErrors.empty() && ShardCount > 1 && !O.Quiet)
    note("shard " + O.Shard + " has no translation units");

  // The checks enabled for the first file (the SARIF log's rules): none at
  // all is a usage error.
  std::vector<std::string> Enabled;
  {
    ClangTidyContext Context(Cfg.provider());
    Enabled = enabledCheckNames(Context.getOptionsForFile(
        Files.empty() ? Out.Root + "/dummy.cpp" : Files.front()));
    if (Enabled.empty()) {
      error("no checks enabled by '" +
            (O.Checks.empty() ? O.Config : O.Checks) +
            "'; see 'concheck --list-checks'");
      return 2;
    }
  }

  unsigned Threads =
      O.Jobs ? O.Jobs : llvm::hardware_concurrency().compute_thread_count();
  Threads = std::max(1u, std::min<unsigned>(Threads, Files.size()));
  Progress Bar(!O.Quiet && llvm::errs().is_displayed() && !Files.empty(),
               Files.size(), Out.Root);
  llvm::SmallString<128> ProfileDir;
  if (O.EnableCheckProfile) {
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
    if (!Problem.empty() && !O.Quiet)
      note("ignoring the facts cache '" + Facts.cacheFile() + "': " + Problem);
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
    auto CheckAll = [&](llvm::ArrayRef<size_t> Which,
                        std::shared_ptr<const ProjectFacts> With) {
      ProjectFacts::install(With);
      for (size_t I : Which)
        Pool.async([&, I, With] {
          Bar.started(Files[I]);
          Results[I] = checkFile(Files[I], *P.Database, Cfg, nullptr, O.Stats,
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
    if (!Facts.save(Error) && !O.Quiet)
      note("cannot write the facts cache '" + Facts.cacheFile() +
           "': " + Error);
  }
  Bar.clear();
  if (O.EnableCheckProfile) {
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
  Suppressions.Unused =
      unusedSuppressions(Files, Results, Clean, UsedDirectives, Sources, Cfg);
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
  if (!O.Quiet && O.Format == OutputFormat::Text)
    noteUnusedSuppressions(Suppressions, Out);

  if (!O.WriteBaseline.empty()) {
    std::vector<Finding> Recorded;
    for (const Finding &F : Findings)
      if (!F.isCompilerError())
        Recorded.push_back(F);
    std::string Error;
    if (!Baseline::write(O.WriteBaseline, Recorded, Error)) {
      error(Error);
      return 2;
    }
    if (!O.Quiet)
      note(llvm::formatv("{0} {1} recorded in '{2}'", Recorded.size(),
                         Recorded.size() == 1 ? "finding" : "findings",
                         O.WriteBaseline)
               .str());
  }
  unsigned Baselined = Known ? Known->filter(Findings) : 0;

  // Fixes first, so that a file they could not write is in the report too.
  unsigned FixesApplied = 0;
  std::vector<ToolError> FixProblems;
  if (O.Fix) {
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
  std::vector<std::pair<std::string, concheck::model::Coverage>> Coverage;
  if (O.Stats)
    for (size_t I = 0; I < Files.size(); ++I)
      if (Results[I].Stats)
        Coverage.emplace_back(Files[I], std::move(*Results[I].Stats));
  switch (O.Format) {
  case OutputFormat::Text:
    writeText(OS, Findings, Out);
    if (O.Stats)
      writeStats(OS, Coverage, FactCounts, Out);
    break;
  case OutputFormat::Json: {
    llvm::json::Value Report =
        toJson(Findings, Reported, Files.size(), Out, &Suppressions);
    if (O.Stats)
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
  bool Failed = !emitReport(O.Output, Report);

  if (!O.ExportFixes.empty()) {
    std::string Error;
    if (!exportFixes(O.ExportFixes, Findings,
                     Files.size() == 1 ? Files.front() : "", Error)) {
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
  if (!O.Quiet) {
    llvm::errs() << "concheck: " << Files.size()
                 << (Files.size() == 1 ? " file" : " files") << " checked, "
                 << Count << (Count == 1 ? " finding" : " findings");
    if (OffLines)
      llvm::errs() << " (" << OffLines << " more outside the "
                   << (O.Diff.has_value() ? "changed lines" : "line filter")
                   << ")";
    if (Known)
      llvm::errs() << " (" << Baselined << " more in the baseline)";
    if (O.Fix)
      llvm::errs() << ", " << FixesApplied
                   << (FixesApplied == 1 ? " fix" : " fixes") << " applied";
    llvm::errs() << "\n";
  }
  if (!ToolErrors.empty() || !FixProblems.empty() || Failed)
    return 2;
  // Writing a baseline, or one shard's report, records findings: it is not
  // the check (the run with --baseline is, or the merge of the shards).
  if (!O.WriteBaseline.empty() || !O.Shard.empty())
    return 0;
  return Count ? 1 : 0;
}

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);
  std::optional<RunOptions> O = parseCommandLine(argc, argv);
  if (!O)
    return 2;
  switch (O->Cmd) {
  case RunOptions::Command::Merge:
    return runMerge(*O);
  case RunOptions::Command::Init:
    return runInit(*O);
  case RunOptions::Command::Check:
    break;
  }
  return runCheck(*O);
}
