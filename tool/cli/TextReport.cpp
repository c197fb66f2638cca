//===--- TextReport.cpp - text and GitHub Actions output ------------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "Console.h"
#include "Writers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace concheck {
namespace cli {

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

static void writeHeading(raw_ostream &OS, const Location &Loc, StringRef Kind,
                         raw_ostream::Colors KindColor, StringRef Message,
                         StringRef Check, const OutputOptions &Options) {
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

void noteUnusedSuppressions(const SuppressionReport &S,
                            const OutputOptions &Options) {
  for (const UnusedSuppression &U : S.Unused)
    note(formatv("'{0}:{1}:{2}': {3}", displayPath(U.Loc.File, Options.Root),
                 U.Loc.Line, U.Loc.Column, unusedMessage(U))
             .str());
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

} // namespace cli
} // namespace concheck
