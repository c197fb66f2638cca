//===--- MergeReports.cpp - one report from the shards' reports -----------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "MergeReports.h"
#include "Writers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace concheck {
namespace cli {

//===----------------------------------------------------------------------===//
// Merging shards
//===----------------------------------------------------------------------===//

namespace {
enum class Format { Json, Sarif };

/// A sort key for a JSON finding or a SARIF result: where it is, then what.
struct Position {
  std::string File;
  int64_t Line = 0, Column = 0;
  std::string Rule, Message;
  bool operator<(const Position &O) const {
    return std::tie(File, Line, Column, Rule, Message) <
           std::tie(O.File, O.Line, O.Column, O.Rule, O.Message);
  }
};

std::string str(const json::Object *O, StringRef Key) {
  if (!O)
    return "";
  if (auto S = O->getString(Key))
    return S->str();
  return "";
}

int64_t num(const json::Object *O, StringRef Key) {
  if (!O)
    return 0;
  return O->getInteger(Key).value_or(0);
}

Position jsonFindingPosition(const json::Object &F) {
  return {str(&F, "file"), num(&F, "line"), num(&F, "column"), str(&F, "check"),
          str(&F, "message")};
}

Position sarifResultPosition(const json::Object &R) {
  Position P;
  P.Rule = str(&R, "ruleId");
  if (const json::Object *M = R.getObject("message"))
    P.Message = str(M, "text");
  if (const json::Array *Locs = R.getArray("locations"))
    if (!Locs->empty())
      if (const json::Object *L = (*Locs)[0].getAsObject())
        if (const json::Object *Ph = L->getObject("physicalLocation")) {
          P.File = str(Ph->getObject("artifactLocation"), "uri");
          P.Line = num(Ph->getObject("region"), "startLine");
          P.Column = num(Ph->getObject("region"), "startColumn");
        }
  return P;
}

/// The identity of a result across shards: its fingerprint, or all of it.
std::string identity(const json::Object &O, Format F) {
  if (F == Format::Json) {
    std::string Fp = str(&O, "fingerprint");
    if (!Fp.empty())
      return str(&O, "file") + '\0' + Fp;
  } else if (const json::Object *P = O.getObject("partialFingerprints")) {
    std::string Fp = str(P, SarifFingerprintKey);
    if (!Fp.empty())
      return str(&O, "ruleId") + '\0' + Fp;
  }
  std::string All;
  raw_string_ostream(All) << json::Value(json::Object(O));
  return All;
}

template <typename PositionFn>
void sortByPosition(json::Array &Items, PositionFn PositionOf) {
  // The input index breaks ties, so the order is stable.
  std::vector<std::pair<Position, size_t>> Keyed;
  for (size_t I = 0; I < Items.size(); ++I) {
    const json::Object *O = Items[I].getAsObject();
    Keyed.emplace_back(O ? PositionOf(*O) : Position(), I);
  }
  llvm::sort(Keyed, [](const auto &A, const auto &B) {
    return A.first < B.first || (!(B.first < A.first) && A.second < B.second);
  });
  json::Array Sorted;
  for (auto &K : Keyed)
    Sorted.push_back(std::move(Items[K.second]));
  Items = std::move(Sorted);
}
} // namespace

bool findingsFromJson(const json::Value &Report, SourceFiles &Sources,
                      std::vector<Finding> &Findings,
                      std::vector<ToolError> &Errors, unsigned &FilesChecked,
                      SuppressionReport *Suppressions) {
  const json::Object *O = Report.getAsObject();
  const json::Array *Items = O ? O->getArray("findings") : nullptr;
  if (!Items || !O->getInteger("version"))
    return false;
  const std::string Root = str(O, "root");
  FilesChecked = num(O, "files_checked");
  auto LocationOf = [&](const json::Object &L) {
    Location Loc;
    std::string File = str(&L, "file");
    if (!File.empty())
      Loc.File = absolutePath(File, Root);
    Loc.Line = num(&L, "line");
    Loc.Column = num(&L, "column");
    return Loc;
  };
  auto FindingOf = [&](const json::Object *FO) {
    Finding F;
    F.Check = str(FO, "check");
    F.Level =
        str(FO, "severity") == "error" ? Severity::Error : Severity::Warning;
    F.WarningAsError = F.Level == Severity::Error &&
                       !StringRef(F.Check).starts_with("clang-diagnostic");
    F.Message = str(FO, "message");
    F.Loc = LocationOf(*FO);
    F.Fingerprint = str(FO, "fingerprint");
    if (!F.Loc.File.empty() && F.Loc.Line)
      F.SourceLine = Sources.lineText(F.Loc.File, F.Loc.Line);
    if (const json::Array *Notes = FO->getArray("notes"))
      for (const json::Value &NV : *Notes)
        if (const json::Object *NO = NV.getAsObject())
          F.Notes.push_back({str(NO, "message"), LocationOf(*NO)});
    if (const json::Array *Fixes = FO->getArray("fixes"))
      for (const json::Value &EV : *Fixes)
        if (const json::Object *EO = EV.getAsObject()) {
          Edit E;
          E.Begin = LocationOf(*EO);
          E.Begin.Offset = num(EO, "offset");
          E.End.File = E.Begin.File;
          E.End.Line = num(EO, "end_line");
          E.End.Column = num(EO, "end_column");
          E.Length = num(EO, "length");
          E.Text = str(EO, "replacement");
          F.Fix.push_back(std::move(E));
        }
    return F;
  };
  for (const json::Value &V : *Items)
    if (const json::Object *FO = V.getAsObject())
      Findings.push_back(FindingOf(FO));
  if (Suppressions) {
    if (const json::Array *A = O->getArray("suppressed"))
      for (const json::Value &V : *A)
        if (const json::Object *FO = V.getAsObject()) {
          Finding F = FindingOf(FO);
          F.Suppression = str(FO, "justification");
          Suppressions->Suppressed.push_back(std::move(F));
        }
    if (const json::Array *A = O->getArray("unused_suppressions"))
      for (const json::Value &V : *A)
        if (const json::Object *UO = V.getAsObject())
          Suppressions->Unused.push_back(
              {LocationOf(*UO), str(UO, "directive")});
  }
  if (const json::Array *Errs = O->getArray("errors"))
    for (const json::Value &EV : *Errs)
      if (const json::Object *EO = EV.getAsObject()) {
        std::string File = str(EO, "file");
        Errors.push_back({File.empty() ? File : absolutePath(File, Root),
                          str(EO, "message")});
      }
  return true;
}

/// The shard ("K/N") a report or log records, if any.
static std::string shardOf(const json::Value &Input) {
  const json::Object *O = Input.getAsObject();
  if (!O)
    return "";
  if (const json::Array *Runs = O->getArray("runs")) {
    for (const json::Value &R : *Runs)
      if (const json::Object *RO = R.getAsObject())
        if (const json::Object *P = RO->getObject("properties"))
          return str(P, "concheckShard");
    return "";
  }
  return str(O, "shard");
}

bool mergeReports(ArrayRef<json::Value> Inputs, ArrayRef<std::string> Names,
                  json::Value &Merged, std::string &Error,
                  std::vector<std::string> &Notes) {
  // One shard twice would count its files twice: an error. A shard missing
  // from 1..N is worth a note.
  std::map<std::string, size_t> Shards;
  unsigned ShardCount = 0;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    const std::string Shard = shardOf(Inputs[I]);
    if (Shard.empty())
      continue;
    auto [It, New] = Shards.try_emplace(Shard, I);
    if (!New) {
      Error = "'" + Names[I] + "': shard " + Shard +
              " is given twice (also in '" + Names[It->second] + "')";
      return false;
    }
    unsigned N = 0;
    if (!StringRef(Shard).split('/').second.getAsInteger(10, N))
      ShardCount = std::max(ShardCount, N);
  }
  if (!Shards.empty())
    for (unsigned K = 1; K <= ShardCount; ++K) {
      const std::string Shard = formatv("{0}/{1}", K, ShardCount).str();
      if (!Shards.count(Shard))
        Notes.push_back("shard " + Shard + " is not among the reports merged");
    }

  std::optional<Format> Kind;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    const json::Object *O = Inputs[I].getAsObject();
    std::optional<Format> This;
    if (O && O->getArray("runs"))
      This = Format::Sarif;
    else if (O && O->getArray("findings") && O->getInteger("version"))
      This = Format::Json;
    if (!This) {
      Error = "'" + Names[I] + "': not a concheck JSON report or SARIF log";
      return false;
    }
    if (Kind && *Kind != *This) {
      Error = "'" + Names[I] + "': cannot merge " +
              (*This == Format::Sarif ? "a SARIF log" : "a JSON report") +
              " with the " +
              (*Kind == Format::Sarif ? "SARIF logs" : "JSON reports") +
              " before it";
      return false;
    }
    Kind = This;
  }
  if (!Kind) {
    Error = "no reports to merge";
    return false;
  }

  std::set<std::string> Seen;
  if (*Kind == Format::Json) {
    json::Object Out = *Inputs[0].getAsObject();
    int64_t FilesChecked = 0;
    json::Array Findings, Errors, Suppressed, Unused;
    for (const json::Value &V : Inputs) {
      const json::Object &O = *V.getAsObject();
      FilesChecked += num(&O, "files_checked");
      for (const json::Value &F : *O.getArray("findings"))
        if (const json::Object *FO = F.getAsObject())
          if (Seen.insert(identity(*FO, Format::Json)).second)
            Findings.push_back(F);
      if (const json::Array *E = O.getArray("errors"))
        for (const json::Value &X : *E)
          Errors.push_back(X);
      for (StringRef Key : {"suppressed", "unused_suppressions"})
        if (const json::Array *A = O.getArray(Key))
          for (const json::Value &X : *A)
            if (Seen.insert(Key.str() + llvm::formatv("{0}", X).str()).second)
              (Key == "suppressed" ? Suppressed : Unused).push_back(X);
    }
    sortByPosition(Findings, jsonFindingPosition);
    sortByPosition(Suppressed, jsonFindingPosition);
    sortByPosition(Unused, jsonFindingPosition);
    Out["suppressed"] = std::move(Suppressed);
    Out["unused_suppressions"] = std::move(Unused);
    Out.erase("shard");
    Out["files_checked"] = FilesChecked;
    Out["findings"] = std::move(Findings);
    Out["errors"] = std::move(Errors);
    Merged = std::move(Out);
    return true;
  }

  // SARIF: the first run's tool and base URIs; rules and results united.
  json::Object Out = *Inputs[0].getAsObject();
  json::Object Run;
  std::map<std::string, json::Value> Rules;
  json::Array Results, Notifications;
  bool Successful = true;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    for (const json::Value &RunV : *Inputs[I].getAsObject()->getArray("runs")) {
      const json::Object *R = RunV.getAsObject();
      if (!R)
        continue;
      if (Run.empty())
        Run = *R;
      if (const json::Object *Tool = R->getObject("tool"))
        if (const json::Object *Driver = Tool->getObject("driver"))
          if (const json::Array *Rs = Driver->getArray("rules"))
            for (const json::Value &Rule : *Rs)
              if (const json::Object *RO = Rule.getAsObject())
                Rules.emplace(str(RO, "id"), Rule);
      if (const json::Array *Rs = R->getArray("results"))
        for (const json::Value &Result : *Rs)
          if (const json::Object *RO = Result.getAsObject())
            if (Seen.insert(identity(*RO, Format::Sarif)).second)
              Results.push_back(Result);
      if (const json::Array *Inv = R->getArray("invocations"))
        for (const json::Value &InvV : *Inv)
          if (const json::Object *IO = InvV.getAsObject()) {
            Successful &= IO->getBoolean("executionSuccessful").value_or(true);
            if (const json::Array *Ns =
                    IO->getArray("toolExecutionNotifications"))
              for (const json::Value &N : *Ns)
                Notifications.push_back(N);
          }
    }
  }
  json::Array RuleArray;
  std::map<std::string, unsigned> Index;
  for (auto &Entry : Rules) {
    Index[Entry.first] = RuleArray.size();
    RuleArray.push_back(std::move(Entry.second));
  }
  for (json::Value &Result : Results)
    if (json::Object *RO = Result.getAsObject()) {
      auto It = Index.find(str(RO, "ruleId"));
      if (It != Index.end())
        (*RO)["ruleIndex"] = It->second;
      else
        RO->erase("ruleIndex");
    }
  sortByPosition(Results, sarifResultPosition);
  if (json::Object *Tool = Run.getObject("tool"))
    if (json::Object *Driver = Tool->getObject("driver"))
      (*Driver)["rules"] = std::move(RuleArray);
  Run["results"] = std::move(Results);
  Run.erase("properties");
  Run["invocations"] = json::Array{
      json::Object{{"executionSuccessful", Successful},
                   {"toolExecutionNotifications", std::move(Notifications)}}};
  Out["runs"] = json::Array{std::move(Run)};
  Merged = std::move(Out);
  return true;
}

MergedCounts countMerged(const json::Value &Merged) {
  MergedCounts C;
  const json::Object *O = Merged.getAsObject();
  if (!O)
    return C;
  auto IsFinding = [](StringRef Check) {
    return !Check.starts_with("clang-diagnostic-");
  };
  if (const json::Array *Findings = O->getArray("findings")) {
    for (const json::Value &F : *Findings)
      C.Findings += IsFinding(str(F.getAsObject(), "check"));
    const json::Array *Errors = O->getArray("errors");
    C.Errors = Errors && !Errors->empty();
    return C;
  }
  if (const json::Array *Runs = O->getArray("runs"))
    for (const json::Value &RunV : *Runs) {
      const json::Object *R = RunV.getAsObject();
      if (!R)
        continue;
      if (const json::Array *Rs = R->getArray("results"))
        for (const json::Value &Result : *Rs) {
          const json::Object *RO = Result.getAsObject();
          const json::Array *Suppressions =
              RO ? RO->getArray("suppressions") : nullptr;
          C.Findings += IsFinding(str(RO, "ruleId")) &&
                        (!Suppressions || Suppressions->empty());
        }
      if (const json::Array *Inv = R->getArray("invocations"))
        for (const json::Value &I : *Inv)
          if (const json::Object *IO = I.getAsObject())
            C.Errors |= !IO->getBoolean("executionSuccessful").value_or(true);
    }
  return C;
}

} // namespace cli
} // namespace concheck
