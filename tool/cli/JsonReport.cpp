//===--- JsonReport.cpp - the JSON report ---------------------------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "Writers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace concheck {
namespace cli {

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static json::Object jsonLocation(const Location &L, const OutputOptions &O) {
  return json::Object{{"file", displayPath(L.File, O.Root)},
                      {"line", L.Line},
                      {"column", L.Column}};
}

static json::Object jsonFinding(const Finding &F,
                                const OutputOptions &Options) {
  json::Object O = jsonLocation(F.Loc, Options);
  O["check"] = F.Check;
  O["severity"] = F.Level == Severity::Error ? "error" : "warning";
  if (std::optional<CheckKind> K = kindOfCheck(F.Check))
    O["category"] = kindName(*K);
  O["message"] = F.Message;
  O["fingerprint"] = F.Fingerprint;
  json::Array Notes;
  for (const Note &N : F.Notes) {
    json::Object NO = jsonLocation(N.Loc, Options);
    NO["message"] = N.Message;
    Notes.push_back(std::move(NO));
  }
  O["notes"] = std::move(Notes);
  json::Array Fixes;
  for (const Edit &E : F.Fix) {
    json::Object EO = jsonLocation(E.Begin, Options);
    EO["end_line"] = E.End.Line;
    EO["end_column"] = E.End.Column;
    EO["offset"] = E.Begin.Offset;
    EO["length"] = E.Length;
    EO["replacement"] = E.Text;
    Fixes.push_back(std::move(EO));
  }
  O["fixes"] = std::move(Fixes);
  if (F.Suppression)
    O["justification"] = *F.Suppression;
  return O;
}

json::Value toJson(ArrayRef<Finding> Findings, ArrayRef<ToolError> Errors,
                   unsigned FilesChecked, const OutputOptions &Options,
                   const SuppressionReport *Suppressions) {
  json::Array Out;
  for (const Finding &F : Findings)
    Out.push_back(jsonFinding(F, Options));
  json::Array ErrorsOut;
  for (const ToolError &E : Errors)
    ErrorsOut.push_back(json::Object{
        {"file", displayPath(E.File, Options.Root)}, {"message", E.Message}});
  json::Object Report{
      {"version", 1},
      {"tool",
       json::Object{{"name", "concheck"},
                    {"version", CONCHECK_VERSION},
                    {"llvm", std::to_string(CONCHECK_LLVM_VERSION_MAJOR)}}},
      {"root", Options.Root},
      {"files_checked", FilesChecked},
      {"findings", std::move(Out)},
      {"errors", std::move(ErrorsOut)}};
  json::Array Suppressed, Unused;
  if (Suppressions) {
    for (const Finding &F : Suppressions->Suppressed)
      Suppressed.push_back(jsonFinding(F, Options));
    for (const UnusedSuppression &U : Suppressions->Unused) {
      json::Object O = jsonLocation(U.Loc, Options);
      O["directive"] = U.Directive;
      Unused.push_back(std::move(O));
    }
  }
  Report["suppressed"] = std::move(Suppressed);
  Report["unused_suppressions"] = std::move(Unused);
  if (!Options.Shard.empty())
    Report["shard"] = Options.Shard;
  return Report;
}

} // namespace cli
} // namespace concheck
