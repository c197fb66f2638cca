//===--- Report.cpp - what a concheck run found ---------------------------===//
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

} // namespace cli
} // namespace concheck
