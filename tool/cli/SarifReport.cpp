//===--- SarifReport.cpp - the SARIF 2.1.0 log ----------------------------===//
//
// Part of concheck.
//
// Written with llvm::json, not clang's SarifDocumentWriter (clang/Basic/
// Sarif.h, LLVM 19): its results carry a rule, a message, a level,
// locations and thread flows, and nothing else this log needs: no fixes,
// no partialFingerprints, no relatedLocations for the notes, no
// suppressions, no rule help or properties, no tool notifications; and its
// locations are CharSourceRanges of a live SourceManager, while these
// findings outlive their translation units (a merge reads them back from
// the shards' files).
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "CheckDocs.h"
#include "Writers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <map>
#include <set>

using namespace llvm;

namespace concheck {
namespace cli {

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

static const char SarifSchema[] =
    "https://json.schemastore.org/sarif-2.1.0.json";

/// Percent-encodes what a URI path cannot hold as is.
static std::string uriPath(StringRef Path) {
  std::string Out;
  for (char C : Path) {
    if (isAlnum(C) || StringRef("-._~/!$&'()*+,;=:@").contains(C))
      Out += C;
    else
      Out += formatv("%{0:X2}", static_cast<unsigned char>(C)).str();
  }
  return Out;
}

static json::Object artifact(StringRef File, const OutputOptions &O) {
  std::string Shown = displayPath(File, O.Root);
  if (sys::path::is_relative(Shown))
    return json::Object{{"uri", uriPath(Shown)}, {"uriBaseId", "SRCROOT"}};
  return json::Object{{"uri", "file://" + uriPath(Shown)}};
}

static json::Object physical(const Location &L, const OutputOptions &O) {
  json::Object Region{{"startLine", std::max(L.Line, 1u)}};
  if (L.Column)
    Region["startColumn"] = L.Column;
  return json::Object{{"artifactLocation", artifact(L.File, O)},
                      {"region", std::move(Region)}};
}

/// "concheck-unscoped-lock" -> "UnscopedLock".
static std::string ruleName(StringRef Check) {
  Check.consume_front("concheck-");
  std::string Name;
  for (StringRef Part : llvm::split(Check, '-'))
    if (!Part.empty())
      Name += toUpper(Part[0]) + Part.drop_front().str();
  return Name;
}

static json::Object rule(StringRef Check) {
  // json::Value does not copy a StringRef: the id is copied explicitly.
  json::Object R{{"id", Check.str()}, {"name", ruleName(Check)}};
  if (const CheckDoc *Doc = findCheckDoc(Check)) {
    R["shortDescription"] = json::Object{{"text", Doc->Summary}};
    R["fullDescription"] = json::Object{{"text", Doc->Summary}};
    R["help"] =
        json::Object{{"text", Doc->Summary + " See " + checkDocsUrl(Check)},
                     {"markdown", Doc->Page}};
    R["helpUri"] = checkDocsUrl(Check);
    // Style advice is a note, so that code scanning can gate on bugs alone.
    const bool Style = kindOfCheck(Check) == CheckKind::Style;
    R["defaultConfiguration"] =
        json::Object{{"level", Style ? "note" : "warning"}};
    R["properties"] = json::Object{
        {"tags",
         json::Array{"concurrency", Style ? "maintainability" : "correctness"}},
        {"precision", "high"},
        {"problem.severity", Style ? "recommendation" : "warning"}};
  } else {
    // A compiler diagnostic: the file was not (fully) checked.
    std::string Text = "a diagnostic of the compiler (" + Check.str() +
                       "); findings in the file may be incomplete";
    R["shortDescription"] = json::Object{{"text", Text}};
    R["defaultConfiguration"] = json::Object{{"level", "error"}};
  }
  return R;
}

/// A finding's SARIF level: "error" when it is one (a compiler error, or a
/// warning WarningsAsErrors turned into one), "note" for style advice,
/// "warning" for a bug.
static StringRef sarifLevel(const Finding &F) {
  if (F.Level == Severity::Error)
    return "error";
  return kindOfCheck(F.Check) == CheckKind::Style ? "note" : "warning";
}

json::Value toSarif(ArrayRef<Finding> Findings, ArrayRef<ToolError> Errors,
                    ArrayRef<std::string> EnabledChecks,
                    const OutputOptions &Options,
                    const SuppressionReport *Suppressions) {
  // A suppressed finding is a result too, with its suppression (code
  // scanning shows it as dismissed in the code).
  std::vector<Finding> All(Findings.begin(), Findings.end());
  if (Suppressions)
    All.insert(All.end(), Suppressions->Suppressed.begin(),
               Suppressions->Suppressed.end());
  std::set<std::string> RuleIds(EnabledChecks.begin(), EnabledChecks.end());
  for (const Finding &F : All)
    RuleIds.insert(F.Check);
  std::map<std::string, unsigned> RuleIndex;
  json::Array Rules;
  for (const std::string &Id : RuleIds) {
    RuleIndex[Id] = Rules.size();
    Rules.push_back(rule(Id));
  }

  json::Array Results;
  for (const Finding &F : All) {
    json::Object R{{"ruleId", F.Check},
                   {"ruleIndex", RuleIndex[F.Check]},
                   {"level", sarifLevel(F)},
                   {"message", json::Object{{"text", F.Message}}}};
    if (!F.Loc.File.empty())
      R["locations"] = json::Array{
          json::Object{{"physicalLocation", physical(F.Loc, Options)}}};
    json::Array Related;
    for (const Note &N : F.Notes) {
      if (N.Loc.File.empty())
        continue;
      Related.push_back(
          json::Object{{"id", static_cast<int64_t>(Related.size())},
                       {"message", json::Object{{"text", N.Message}}},
                       {"physicalLocation", physical(N.Loc, Options)}});
    }
    if (!Related.empty())
      R["relatedLocations"] = std::move(Related);
    if (!F.Fix.empty()) {
      // One artifactChange per file, its replacements in file order.
      std::map<std::string, json::Array> PerFile;
      for (const Edit &E : F.Fix) {
        json::Object Deleted{{"startLine", E.Begin.Line},
                             {"startColumn", E.Begin.Column},
                             {"endLine", E.End.Line},
                             {"endColumn", E.End.Column}};
        PerFile[E.Begin.File].push_back(
            json::Object{{"deletedRegion", std::move(Deleted)},
                         {"insertedContent", json::Object{{"text", E.Text}}}});
      }
      json::Array Changes;
      for (auto &Entry : PerFile)
        Changes.push_back(
            json::Object{{"artifactLocation", artifact(Entry.first, Options)},
                         {"replacements", std::move(Entry.second)}});
      R["fixes"] = json::Array{json::Object{
          {"description",
           json::Object{{"text", "concheck's fix-it for this finding"}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    R["partialFingerprints"] =
        json::Object{{SarifFingerprintKey, F.Fingerprint}};
    if (F.Suppression) {
      json::Object Why{{"kind", "inSource"}};
      if (!F.Suppression->empty())
        Why["justification"] = *F.Suppression;
      R["suppressions"] = json::Array{std::move(Why)};
    }
    Results.push_back(std::move(R));
  }

  json::Array Notifications;
  for (const ToolError &E : Errors) {
    json::Object N{{"level", "error"},
                   {"message", json::Object{{"text", E.Message}}}};
    if (!E.File.empty())
      N["locations"] = json::Array{json::Object{
          {"physicalLocation",
           json::Object{{"artifactLocation", artifact(E.File, Options)}}}}};
    Notifications.push_back(std::move(N));
  }
  if (Suppressions)
    for (const UnusedSuppression &U : Suppressions->Unused)
      Notifications.push_back(json::Object{
          {"level", "note"},
          {"message", json::Object{{"text", unusedMessage(U)}}},
          {"locations", json::Array{json::Object{
                            {"physicalLocation", physical(U.Loc, Options)}}}}});

  SmallString<256> RootUri("file://");
  RootUri += uriPath(Options.Root);
  if (!StringRef(RootUri).ends_with("/"))
    RootUri += '/';

  json::Object Driver{{"name", "concheck"},
                      {"version", CONCHECK_VERSION},
                      {"semanticVersion", CONCHECK_VERSION},
                      {"informationUri", CONCHECK_HOMEPAGE},
                      {"rules", std::move(Rules)}};
  json::Object Run{
      {"tool", json::Object{{"driver", std::move(Driver)}}},
      {"originalUriBaseIds",
       json::Object{{"SRCROOT", json::Object{{"uri", std::string(RootUri)}}}}},
      {"invocations",
       json::Array{json::Object{
           {"executionSuccessful", Errors.empty()},
           {"toolExecutionNotifications", std::move(Notifications)}}}},
      {"results", std::move(Results)}};
  if (!Options.Shard.empty())
    Run["properties"] = json::Object{{"concheckShard", Options.Shard}};
  return json::Object{{"$schema", SarifSchema},
                      {"version", "2.1.0"},
                      {"runs", json::Array{std::move(Run)}}};
}

} // namespace cli
} // namespace concheck
