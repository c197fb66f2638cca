//===--- Report.cpp - findings and their output formats ----------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "CheckCatalog.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace concheck {
namespace cli {

//===----------------------------------------------------------------------===//
// Source files
//===----------------------------------------------------------------------===//

SourceFiles::Entry *SourceFiles::entry(StringRef Path) {
  std::lock_guard<std::mutex> Lock(Mu);
  auto It = Files.find(Path);
  if (It != Files.end())
    return It->second.get();
  auto E = std::make_unique<Entry>();
  if (auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false)) {
    E->Buffer = std::move(*Buffer);
    StringRef Text = E->Buffer->getBuffer();
    E->LineStarts.push_back(0);
    for (size_t I = 0; I < Text.size(); ++I)
      if (Text[I] == '\n')
        E->LineStarts.push_back(I + 1);
  }
  Entry *Result = E.get();
  Files[Path] = std::move(E);
  return Result;
}

const MemoryBuffer *SourceFiles::get(StringRef Path) {
  return entry(Path)->Buffer.get();
}

Location SourceFiles::locate(StringRef Path, unsigned Offset) {
  Location L;
  L.File = Path.str();
  L.Offset = Offset;
  Entry *E = entry(Path);
  if (!E->Buffer || Offset > E->Buffer->getBufferSize())
    return L;
  auto It = std::upper_bound(E->LineStarts.begin(), E->LineStarts.end(), Offset);
  L.Line = It - E->LineStarts.begin();
  L.Column = Offset - *(It - 1) + 1;
  return L;
}

std::string SourceFiles::lineText(StringRef Path, unsigned Line) {
  Entry *E = entry(Path);
  if (!E->Buffer || Line == 0 || Line > E->LineStarts.size())
    return "";
  StringRef Text = E->Buffer->getBuffer().substr(E->LineStarts[Line - 1]);
  return Text.take_until([](char C) { return C == '\n' || C == '\r'; }).str();
}

//===----------------------------------------------------------------------===//
// From clang-tidy's diagnostics
//===----------------------------------------------------------------------===//

std::string absolutePath(StringRef Path, StringRef BuildDirectory) {
  if (Path.empty())
    return "";
  SmallString<256> Abs;
  if (sys::path::is_relative(Path) && !BuildDirectory.empty())
    sys::path::append(Abs, BuildDirectory, Path);
  else
    Abs = Path;
  sys::fs::make_absolute(Abs);
  sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

std::vector<Finding> toFindings(std::vector<clang::tidy::ClangTidyError> Errors,
                                SourceFiles &Sources) {
  std::vector<Finding> Findings;
  for (clang::tidy::ClangTidyError &E : Errors) {
    auto Origin =
        std::make_shared<const clang::tidy::ClangTidyError>(std::move(E));
    const clang::tidy::ClangTidyError &D = *Origin;
    Finding F;
    F.Check = D.DiagnosticName;
    // A compiler error, or a warning that WarningsAsErrors names.
    F.Level =
        D.DiagLevel >= clang::tooling::Diagnostic::Error || D.IsWarningAsError
            ? Severity::Error
            : Severity::Warning;
    F.WarningAsError = D.IsWarningAsError;
    F.Message = D.Message.Message;
    std::string File = absolutePath(D.Message.FilePath, D.BuildDirectory);
    if (!File.empty()) {
      F.Loc = Sources.locate(File, D.Message.FileOffset);
      F.SourceLine = Sources.lineText(File, F.Loc.Line);
    }
    for (const clang::tooling::DiagnosticMessage &N : D.Notes) {
      Note Out;
      Out.Message = N.Message;
      std::string NoteFile = absolutePath(N.FilePath, D.BuildDirectory);
      if (!NoteFile.empty())
        Out.Loc = Sources.locate(NoteFile, N.FileOffset);
      F.Notes.push_back(std::move(Out));
    }
    for (const auto &Entry : D.Message.Fix)
      for (const clang::tooling::Replacement &R : Entry.second) {
        Edit Out;
        std::string EditFile = absolutePath(R.getFilePath(), D.BuildDirectory);
        Out.Begin = Sources.locate(EditFile, R.getOffset());
        Out.End = Sources.locate(EditFile, R.getOffset() + R.getLength());
        Out.Length = R.getLength();
        Out.Text = R.getReplacementText().str();
        F.Fix.push_back(std::move(Out));
      }
    llvm::sort(F.Fix, [](const Edit &A, const Edit &B) {
      return std::tie(A.Begin.File, A.Begin.Offset) <
             std::tie(B.Begin.File, B.Begin.Offset);
    });
    F.Origin = std::move(Origin);
    Findings.push_back(std::move(F));
  }
  return Findings;
}

void sortAndDeduplicate(std::vector<Finding> &Findings) {
  auto Key = [](const Finding &F) {
    return std::tie(F.Loc.File, F.Loc.Offset, F.Check, F.Message);
  };
  // Equal keys are the same finding, about to be dropped: no need for a
  // stable sort.
  llvm::sort(Findings, [&](const Finding &A, const Finding &B) {
    return Key(A) < Key(B);
  });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [&](const Finding &A, const Finding &B) {
                               return Key(A) == Key(B);
                             }),
                 Findings.end());
}

std::string describe(std::error_code EC) {
  std::string M = EC.message();
  if (!M.empty())
    M[0] = toLower(M[0]);
  return M;
}

std::string displayPath(StringRef Path, StringRef Root) {
  if (Root.empty() || Path.empty())
    return Path.str();
  SmallString<256> Prefix(Root);
  if (!sys::path::is_separator(Prefix.back()))
    Prefix += sys::path::get_separator();
  if (Path.starts_with(Prefix))
    return Path.drop_front(Prefix.size()).str();
  return Path.str();
}

std::string findingKey(const Finding &F, StringRef File) {
  // Whitespace is collapsed so that re-indenting the line keeps the key.
  std::string Code;
  for (StringRef Word : llvm::split(F.SourceLine, ' ')) {
    for (StringRef Part : llvm::split(Word, '\t')) {
      if (Part.empty())
        continue;
      if (!Code.empty())
        Code += ' ';
      Code += Part;
    }
  }
  return F.Check + '\0' + File.str() + '\0' + F.Message + '\0' + Code;
}

void fingerprint(std::vector<Finding> &Findings, StringRef Root) {
  std::map<std::string, unsigned> Seen;
  for (Finding &F : Findings) {
    std::string Key = findingKey(F, displayPath(F.Loc.File, Root));
    unsigned Ordinal = Seen[Key]++;
    F.Fingerprint.clear();
    raw_string_ostream(F.Fingerprint)
        << format_hex_no_prefix(xxh3_64bits(Key), 16) << ':' << Ordinal;
  }
}

//===----------------------------------------------------------------------===//
// Check documentation
//===----------------------------------------------------------------------===//

namespace {
struct RawDoc {
  const char *Name;
  const char *Page;
};
// Generated by CMake from docs/checks/*.md.
#include "CheckDocs.inc"
} // namespace

/// The first paragraph after the page's title, on one line.
static std::string summaryOf(StringRef Page) {
  SmallVector<StringRef, 64> Lines;
  Page.split(Lines, '\n');
  std::string Summary;
  bool InParagraph = false;
  for (StringRef Line : Lines) {
    Line = Line.trim();
    if (Line.starts_with("#"))
      continue;
    if (Line.empty()) {
      if (InParagraph)
        break;
      continue;
    }
    InParagraph = true;
    if (!Summary.empty())
      Summary += ' ';
    Summary += Line.str();
  }
  return Summary;
}

ArrayRef<CheckDoc> checkDocs() {
  static const std::vector<CheckDoc> Docs = [] {
    std::vector<CheckDoc> Out;
    for (const RawDoc &D : RawDocs)
      Out.push_back({D.Name, summaryOf(D.Page), D.Page});
    llvm::sort(Out, [](const CheckDoc &A, const CheckDoc &B) {
      return A.Name < B.Name;
    });
    return Out;
  }();
  return Docs;
}

const CheckDoc *findCheckDoc(StringRef Name) {
  for (const CheckDoc &D : checkDocs())
    if (D.Name == Name)
      return &D;
  return nullptr;
}

std::string checkDocsUrl(StringRef Name) {
  StringRef Short = Name;
  Short.consume_front("concheck-");
  return (CONCHECK_DOCS_BASE_URL + Short + ".md").str();
}

//===----------------------------------------------------------------------===//
// Text
//===----------------------------------------------------------------------===//

static void writeSnippet(raw_ostream &OS, StringRef Line, unsigned Column,
                         bool Color) {
  if (Line.empty() || Column == 0)
    return;
  OS << Line << '\n';
  // Tabs are copied so that the caret lines up however they are shown.
  std::string Pad;
  for (unsigned I = 0; I + 1 < Column && I < Line.size(); ++I)
    Pad += Line[I] == '\t' ? '\t' : ' ';
  OS << Pad;
  if (Color)
    OS.changeColor(raw_ostream::GREEN, /*Bold=*/true);
  OS << '^';
  if (Color)
    OS.resetColor();
  OS << '\n';
}

/// A finding's fix-it, as clang shows one: the replacement text at its
/// column under the caret line, for the edits of the finding's own line;
/// then the other lines the fix edits, named.
static void writeFixIt(raw_ostream &OS, const Finding &F, bool Color) {
  if (F.Fix.empty() || F.SourceLine.empty())
    return;
  const StringRef Line = F.SourceLine;
  std::string Hint;
  unsigned First = 0, Last = 0;
  for (const Edit &E : F.Fix) {
    const bool OnLine = E.Begin.File == F.Loc.File &&
                        E.Begin.Line == F.Loc.Line &&
                        E.End.Line == F.Loc.Line && E.Begin.Column > 0 &&
                        StringRef(E.Text).find('\n') == StringRef::npos;
    if (OnLine && !E.Text.empty() && Hint.size() < E.Begin.Column) {
      // Tabs copied, as for the caret.
      for (unsigned I = Hint.size(); I + 1 < E.Begin.Column; ++I)
        Hint += I < Line.size() && Line[I] == '\t' ? '\t' : ' ';
      Hint += E.Text;
      continue;
    }
    if (OnLine)
      continue; // a removal within the line: the caret line shows where
    const unsigned From = E.Begin.Line, To = std::max(E.End.Line, From);
    First = First ? std::min(First, From) : From;
    Last = std::max(Last, To);
  }
  if (!Hint.empty()) {
    if (Color)
      OS.changeColor(raw_ostream::GREEN);
    OS << Hint;
    if (Color)
      OS.resetColor();
    OS << '\n';
  }
  if (First) {
    std::string Pad;
    for (unsigned I = 0; I + 1 < F.Loc.Column && I < Line.size(); ++I)
      Pad += Line[I] == '\t' ? '\t' : ' ';
    OS << Pad << "(the fix also edits "
       << (First == Last ? formatv("line {0}", First).str()
                         : formatv("lines {0}-{1}", First, Last).str())
       << "; --fix applies it)\n";
  }
}

static void writeHeading(raw_ostream &OS, const Location &Loc,
                         StringRef Kind, raw_ostream::Colors KindColor,
                         StringRef Message, StringRef Check,
                         const OutputOptions &Options) {
  if (Options.Color)
    OS.changeColor(raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  if (!Loc.File.empty()) {
    OS << displayPath(Loc.File, Options.Root);
    if (Loc.Line)
      OS << ':' << Loc.Line << ':' << Loc.Column;
    OS << ": ";
  }
  if (Options.Color)
    OS.changeColor(KindColor, /*Bold=*/true);
  OS << Kind << ": ";
  if (Options.Color)
    OS.changeColor(raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  OS << Message;
  if (!Check.empty())
    OS << " [" << Check << ']';
  if (Options.Color)
    OS.resetColor();
  OS << '\n';
}

void writeText(raw_ostream &OS, ArrayRef<Finding> Findings,
               const OutputOptions &Options) {
  SourceFiles NoteSources;
  for (const Finding &F : Findings) {
    bool IsError = F.Level == Severity::Error;
    // As clang-tidy marks a warning that WarningsAsErrors made an error.
    const std::string Label =
        F.WarningAsError ? F.Check + ",-warnings-as-errors" : F.Check;
    writeHeading(OS, F.Loc, IsError ? "error" : "warning",
                 IsError ? raw_ostream::RED : raw_ostream::MAGENTA, F.Message,
                 Label, Options);
    writeSnippet(OS, F.SourceLine, F.Loc.Column, Options.Color);
    writeFixIt(OS, F, Options.Color);
    for (const Note &N : F.Notes) {
      writeHeading(OS, N.Loc, "note", raw_ostream::BLACK, N.Message, "",
                   Options);
      if (!N.Loc.File.empty())
        writeSnippet(OS, NoteSources.lineText(N.Loc.File, N.Loc.Line),
                     N.Loc.Column, Options.Color);
    }
  }
}

//===----------------------------------------------------------------------===//
// GitHub Actions workflow commands
//===----------------------------------------------------------------------===//

/// A workflow command's message: '%' and line breaks escaped.
static std::string githubData(StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '%')
      Out += "%25";
    else if (C == '\r')
      Out += "%0D";
    else if (C == '\n')
      Out += "%0A";
    else
      Out += C;
  }
  return Out;
}

/// A workflow command's property value: ':' and ',' escaped too.
static std::string githubProperty(StringRef S) {
  std::string Out;
  for (char C : githubData(S)) {
    if (C == ':')
      Out += "%3A";
    else if (C == ',')
      Out += "%2C";
    else
      Out += C;
  }
  return Out;
}

std::string unusedMessage(const UnusedSuppression &U) {
  return "'" + U.Directive + "' suppresses no finding; remove it";
}

void writeGithub(raw_ostream &OS, ArrayRef<Finding> Findings,
                 ArrayRef<ToolError> Errors, const OutputOptions &Options,
                 const SuppressionReport *Suppressions) {
  for (const Finding &F : Findings) {
    StringRef Command = F.Level == Severity::Error                 ? "error"
                        : kindOfCheck(F.Check) == CheckKind::Style ? "notice"
                                                                   : "warning";
    OS << "::" << Command << ' ';
    if (!F.Loc.File.empty()) {
      OS << "file=" << githubProperty(displayPath(F.Loc.File, Options.Root));
      if (F.Loc.Line)
        OS << ",line=" << F.Loc.Line << ",col=" << F.Loc.Column;
      OS << ',';
    }
    std::string Message = F.Message;
    for (const Note &N : F.Notes) {
      Message += '\n';
      if (!N.Loc.File.empty())
        Message += llvm::formatv(
                       "{0}:{1}:{2}: ", displayPath(N.Loc.File, Options.Root),
                       N.Loc.Line, N.Loc.Column)
                       .str();
      Message += "note: " + N.Message;
    }
    OS << "title=" << githubProperty(F.Check) << "::" << githubData(Message)
       << '\n';
  }
  for (const ToolError &E : Errors) {
    OS << "::error ";
    if (!E.File.empty())
      OS << "file=" << githubProperty(displayPath(E.File, Options.Root)) << ',';
    OS << "title=concheck::" << githubData(E.Message) << '\n';
  }
  if (Suppressions)
    for (const UnusedSuppression &U : Suppressions->Unused)
      OS << "::notice file="
         << githubProperty(displayPath(U.Loc.File, Options.Root))
         << ",line=" << U.Loc.Line << ",col=" << U.Loc.Column
         << ",title=concheck::" << githubData(unusedMessage(U)) << '\n';
}

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

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

static const char SarifSchema[] =
    "https://json.schemastore.org/sarif-2.1.0.json";
static const char SarifFingerprintKey[] = "concheckFingerprint/v1";

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
    R["help"] = json::Object{{"text", Doc->Summary + " See " + checkDocsUrl(Check)},
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
      R["locations"] = json::Array{json::Object{{"physicalLocation", physical(F.Loc, Options)}}};
    json::Array Related;
    for (const Note &N : F.Notes) {
      if (N.Loc.File.empty())
        continue;
      Related.push_back(json::Object{{"id", static_cast<int64_t>(Related.size())},
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
        Changes.push_back(json::Object{{"artifactLocation", artifact(Entry.first, Options)},
                                       {"replacements", std::move(Entry.second)}});
      R["fixes"] = json::Array{json::Object{
          {"description", json::Object{{"text", "concheck's fix-it for this finding"}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    R["partialFingerprints"] = json::Object{{SarifFingerprintKey, F.Fingerprint}};
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
       json::Array{json::Object{{"executionSuccessful", Errors.empty()},
                                {"toolExecutionNotifications", std::move(Notifications)}}}},
      {"results", std::move(Results)}};
  if (!Options.Shard.empty())
    Run["properties"] = json::Object{{"concheckShard", Options.Shard}};
  return json::Object{{"$schema", SarifSchema},
                      {"version", "2.1.0"},
                      {"runs", json::Array{std::move(Run)}}};
}

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
                      std::vector<ToolError> &Errors, unsigned &FilesChecked) {
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
  for (const json::Value &V : *Items) {
    const json::Object *FO = V.getAsObject();
    if (!FO)
      continue;
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
    Findings.push_back(std::move(F));
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
            if (const json::Array *Ns = IO->getArray("toolExecutionNotifications"))
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
  Run["invocations"] = json::Array{json::Object{
      {"executionSuccessful", Successful},
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

static std::string listed(const std::map<std::string, unsigned> &M) {
  std::string Out;
  for (const auto &[Name, Count] : M)
    Out += (Out.empty() ? "" : ", ") + Name + " " + std::to_string(Count);
  return Out.empty() ? "none" : Out;
}

void writeStats(llvm::raw_ostream &OS,
                llvm::ArrayRef<std::pair<std::string, model::Coverage>> Files,
                const FactsStats &Facts, const OutputOptions &Out) {
  model::Coverage Total;
  OS << "concheck: what the analysis modelled\n";
  for (const auto &[File, C] : Files) {
    Total.merge(C);
    std::string Kinds;
    for (const auto &[Kind, Names] : C.Spawns)
      Kinds += (Kinds.empty() ? " (" : ", ") + Kind + " " +
               std::to_string(model::Coverage::total(Names));
    if (!Kinds.empty())
      Kinds += ")";
    const unsigned Starts = C.spawnCount();
    const unsigned Joins = model::Coverage::total(C.Joins);
    const unsigned Locks = model::Coverage::total(C.Mutexes);
    const unsigned Guards = model::Coverage::total(C.Guards);
    OS << "  " << displayPath(File, Out.Root) << ": " << Starts << " task "
       << (Starts == 1 ? "start" : "starts") << Kinds << ", " << Joins
       << (Joins == 1 ? " join" : " joins") << ", " << Locks << " lock "
       << (Locks == 1 ? "site" : "sites") << ", " << Guards
       << (Guards == 1 ? " guard" : " guards") << "\n";
  }
  OS << "  all " << Files.size() << (Files.size() == 1 ? " file" : " files")
     << ": " << Total.spawnCount() << " task starts\n";
  for (const char *Kind :
       {"std", "concheck", "executor", "inferred", "configured", "openmp"}) {
    auto It = Total.Spawns.find(Kind);
    if (It == Total.Spawns.end() && llvm::StringRef(Kind) == "openmp")
      continue; // only code built with -fopenmp has any
    OS << "    " << Kind << ": "
       << (It == Total.Spawns.end() ? std::string("none") : listed(It->second))
       << "\n";
  }
  OS << "    joins: " << listed(Total.Joins) << "\n";
  OS << "    mutexes: " << listed(Total.Mutexes) << "\n";
  OS << "    guards: " << listed(Total.Guards) << "\n";
  OS << "  project facts: " << Facts.Functions
     << (Facts.Functions == 1 ? " function" : " functions") << "; "
     << Facts.CheckedAgain << " of " << Files.size()
     << (Files.size() == 1 ? " file" : " files") << " checked again\n";
}

llvm::json::Value
statsToJson(llvm::ArrayRef<std::pair<std::string, model::Coverage>> Files,
            const FactsStats &Facts, const OutputOptions &Out) {
  model::Coverage Total;
  llvm::json::Object PerFile;
  for (const auto &[File, C] : Files) {
    Total.merge(C);
    PerFile[displayPath(File, Out.Root)] = C.toJson();
  }
  // Every task start, in the files checked and the headers they include.
  llvm::json::Array Sites;
  for (const auto &[File, Line, Kind, Via] : Total.Sites)
    Sites.push_back(llvm::json::Object{{"file", displayPath(File, Out.Root)},
                                       {"line", int64_t(Line)},
                                       {"kind", Kind},
                                       {"via", Via}});
  return llvm::json::Object{
      {"files", std::move(PerFile)},
      {"total", Total.toJson()},
      {"sites", std::move(Sites)},
      {"facts",
       llvm::json::Object{{"functions", int64_t(Facts.Functions)},
                          {"checked_again", int64_t(Facts.CheckedAgain)}}}};
}

} // namespace cli
} // namespace concheck
