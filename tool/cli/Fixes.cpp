//===--- Fixes.cpp - applying and exporting fix-its -----------------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Fixes.h"
#include "Baseline.h"
#include "clang-tidy/ClangTidy.h"
#include "clang/Tooling/Core/Replacement.h"
#include <map>

using namespace llvm;

namespace concheck {
namespace cli {

namespace {
struct FileFixes {
  clang::tooling::Replacements Accepted;
  unsigned Count = 0;
  std::string Conflict; ///< the first conflict, when there is one
};

std::string where(const Finding &F) {
  return F.Check + " at " + std::to_string(F.Loc.Line) + ":" +
         std::to_string(F.Loc.Column);
}
} // namespace

FixResult applyFixes(ArrayRef<Finding> Findings, SourceFiles &Sources) {
  FixResult Result;
  std::map<std::string, FileFixes> Files;
  for (const Finding &F : Findings) {
    // A finding's edits in one file apply together or not at all.
    std::map<std::string, std::vector<const Edit *>> PerFile;
    for (const Edit &E : F.Fix)
      PerFile[E.Begin.File].push_back(&E);
    for (auto &Entry : PerFile) {
      FileFixes &State = Files[Entry.first];
      if (!State.Conflict.empty())
        continue;
      clang::tooling::Replacements Trial = State.Accepted;
      for (const Edit *E : Entry.second) {
        clang::tooling::Replacement R(Entry.first, E->Begin.Offset, E->Length,
                                      E->Text);
        if (Error Err = Trial.add(R)) {
          consumeError(std::move(Err));
          State.Conflict = "the fix for " + where(F) +
                           " overlaps another fix in the same file";
          break;
        }
      }
      if (State.Conflict.empty()) {
        State.Accepted = std::move(Trial);
        ++State.Count;
      }
    }
  }

  for (auto &Entry : Files) {
    const std::string &Path = Entry.first;
    FileFixes &State = Entry.second;
    if (!State.Conflict.empty()) {
      Result.Problems.push_back(
          {Path, State.Conflict + "; the file was left unchanged"});
      continue;
    }
    const MemoryBuffer *Checked = Sources.get(Path);
    auto Now = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
    if (!Checked || !Now ||
        (*Now)->getBuffer() != Checked->getBuffer()) {
      Result.Problems.push_back(
          {Path, "the file changed while it was being checked; its fixes "
                 "were not applied"});
      continue;
    }
    Expected<std::string> Fixed = clang::tooling::applyAllReplacements(
        Checked->getBuffer(), State.Accepted);
    if (!Fixed) {
      Result.Problems.push_back(
          {Path, "fixes do not apply: " + toString(Fixed.takeError())});
      continue;
    }
    std::string Error;
    if (!writeFileAtomically(Path, *Fixed, Error)) {
      Result.Problems.push_back({Path, Error});
      continue;
    }
    Result.Applied += State.Count;
    ++Result.FilesChanged;
  }
  return Result;
}

bool exportFixes(StringRef Path, ArrayRef<Finding> Findings, StringRef MainFile,
                 std::string &Error) {
  std::vector<clang::tidy::ClangTidyError> Errors;
  for (const Finding &F : Findings)
    if (F.Origin && !F.Fix.empty())
      Errors.push_back(*F.Origin);
  std::string Yaml;
  raw_string_ostream OS(Yaml);
  clang::tidy::exportReplacements(MainFile, Errors, OS);
  OS.flush();
  return writeFileAtomically(Path, Yaml, Error);
}

} // namespace cli
} // namespace concheck
