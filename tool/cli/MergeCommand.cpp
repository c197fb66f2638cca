//===--- MergeCommand.cpp - concheck merge --------------------------------===//
//
// Part of concheck.
//
//   concheck merge [--format F] [--output FILE] REPORT...
//
// The shards' JSON reports or SARIF logs made one (MergeReports.h), in the
// inputs' format or, from JSON reports, any other; it exits as the check of
// the whole run would.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "Console.h"
#include "MergeReports.h"
#include "Writers.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <set>

namespace concheck {
namespace cli {

int runMerge(const RunOptions &O) {
  std::vector<llvm::json::Value> Inputs;
  std::vector<std::string> Names;
  for (const std::string &Name : O.MergeInputs) {
    auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Name, /*IsText=*/true);
    if (!Buffer) {
      error("'" + Name + "': " + describe(Buffer.getError()));
      return 2;
    }
    llvm::Expected<llvm::json::Value> V =
        llvm::json::parse((*Buffer)->getBuffer());
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
  if (!O.FormatGiven ||
      O.Format == (IsSarif ? OutputFormat::Sarif : OutputFormat::Json))
    return emitReport(O.Output, llvm::formatv("{0:2}\n", Merged).str()) ? Status
                                                                        : 2;
  if (IsSarif) {
    error("SARIF logs merge into SARIF only: merge the JSON reports for "
          "--format=" +
          std::string(O.Format == OutputFormat::Text     ? "text"
                      : O.Format == OutputFormat::Github ? "github"
                                                         : "json"));
    return 2;
  }
  SourceFiles Sources;
  std::vector<Finding> Findings;
  std::vector<ToolError> Errors;
  unsigned FilesChecked = 0;
  SuppressionReport Suppressions;
  findingsFromJson(Merged, Sources, Findings, Errors, FilesChecked,
                   &Suppressions);
  OutputOptions Out;
  Out.Root = absolutePath(".");
  Out.Color = O.Format == OutputFormat::Text &&
              (O.Color == ColorMode::Always ||
               (O.Color == ColorMode::Auto && !O.toFile() &&
                llvm::outs().has_colors()));
  std::string Report;
  llvm::raw_string_ostream OS(Report);
  if (Out.Color)
    OS.enable_colors(true);
  if (O.Format == OutputFormat::Text) {
    writeText(OS, Findings, Out);
  } else if (O.Format == OutputFormat::Github) {
    writeGithub(OS, Findings, Errors, Out, &Suppressions);
  } else {
    std::set<std::string> Rules;
    for (const Finding &F : Findings)
      Rules.insert(F.Check);
    OS << llvm::formatv(
        "{0:2}\n", toSarif(Findings, Errors,
                           std::vector<std::string>(Rules.begin(), Rules.end()),
                           Out, &Suppressions));
  }
  OS.flush();
  if (!emitReport(O.Output, Report))
    return 2;
  if (O.Format == OutputFormat::Text) {
    for (const ToolError &E : Errors)
      error("'" + displayPath(E.File, Out.Root) + "': " + E.Message);
    noteUnusedSuppressions(Suppressions, Out);
  }
  return Status;
}

} // namespace cli
} // namespace concheck
