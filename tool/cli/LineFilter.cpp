//===--- LineFilter.cpp - report findings on some lines only --------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "LineFilter.h"
#include "Report.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

namespace concheck {
namespace cli {

std::optional<LineFilter> LineFilter::parseJson(StringRef Text,
                                                std::string &Error) {
  Expected<json::Value> Parsed = json::parse(Text);
  if (!Parsed) {
    Error = "not JSON: " + toString(Parsed.takeError());
    return std::nullopt;
  }
  const json::Array *List = Parsed->getAsArray();
  if (!List) {
    Error = "expected a list of {\"name\": FILE, \"lines\": [[FIRST, LAST], "
            "...]}";
    return std::nullopt;
  }
  LineFilter Out;
  for (size_t I = 0; I < List->size(); ++I) {
    const json::Object *Entry = (*List)[I].getAsObject();
    const std::string Where = formatv("entry {0}", I + 1).str();
    std::optional<StringRef> Name =
        Entry ? Entry->getString("name") : std::nullopt;
    if (!Name || Name->empty()) {
      Error = Where + ": expected an object with a \"name\"";
      return std::nullopt;
    }
    clang::tidy::FileFilter F;
    F.Name = sys::path::convert_to_slash(*Name);
    if (const json::Value *Lines = Entry->get("lines")) {
      const json::Array *Ranges = Lines->getAsArray();
      if (!Ranges) {
        Error = Where + ": \"lines\" is not a list of [FIRST, LAST]";
        return std::nullopt;
      }
      for (const json::Value &R : *Ranges) {
        const json::Array *Pair = R.getAsArray();
        std::optional<int64_t> First, Last;
        if (Pair && Pair->size() == 2) {
          First = (*Pair)[0].getAsInteger();
          Last = (*Pair)[1].getAsInteger();
        }
        if (!First || !Last || *First < 1 || *Last < *First ||
            *Last > std::numeric_limits<unsigned>::max()) {
          Error = Where + ": a line range is [FIRST, LAST] with 1 <= FIRST "
                          "<= LAST";
          return std::nullopt;
        }
        F.LineRanges.emplace_back(unsigned(*First), unsigned(*Last));
      }
    }
    Out.Entries.push_back(std::move(F));
  }
  return Out;
}

/// A path of a diff's header line: up to a tab (diff -u puts the time
/// there), git's quotes taken off.
static StringRef diffPath(StringRef Rest) {
  Rest = Rest.split('\t').first.rtrim("\r");
  if (Rest.size() >= 2 && Rest.front() == '"' && Rest.back() == '"')
    Rest = Rest.drop_front().drop_back();
  return Rest;
}

/// "N" or "N,COUNT" of a hunk header.
static bool hunkRange(StringRef Text, unsigned &Start, unsigned &Count) {
  auto [S, C] = Text.split(',');
  Count = 1;
  return !S.getAsInteger(10, Start) &&
         (C.empty() || !C.getAsInteger(10, Count));
}

LineFilter LineFilter::fromDiff(StringRef Diff, ArrayRef<std::string> Bases) {
  LineFilter Out;
  clang::tidy::FileFilter *Current = nullptr;
  StringRef OldPath;
  unsigned OldLeft = 0, NewLeft = 0;
  SmallVector<StringRef, 0> Lines;
  Diff.split(Lines, '\n');
  for (StringRef Line : Lines) {
    // A hunk's lines first: an added line may itself begin with "++ ".
    if (OldLeft || NewLeft) {
      if (Line.starts_with("-") && OldLeft)
        --OldLeft;
      else if (Line.starts_with("+") && NewLeft)
        --NewLeft;
      else if (Line.starts_with(" ") || Line.empty()) {
        OldLeft -= OldLeft > 0;
        NewLeft -= NewLeft > 0;
      }
      continue; // "\ No newline at end of file", or a malformed hunk
    }
    if (Line.consume_front("--- ")) {
      OldPath = diffPath(Line);
      continue;
    }
    if (Line.consume_front("+++ ")) {
      StringRef Path = diffPath(Line);
      Current = nullptr;
      if (Path == "/dev/null")
        continue; // deleted
      // git's prefixes (diff -u has none).
      if (Path.starts_with("b/") &&
          (OldPath.starts_with("a/") || OldPath == "/dev/null"))
        Path = Path.drop_front(2);
      SmallString<256> Abs(Path);
      if (!sys::path::is_absolute(Path) && !Bases.empty()) {
        // The first base under which the file exists, else the first.
        auto Under = [&](StringRef Base) {
          SmallString<256> Candidate(Base);
          sys::path::append(Candidate, Path);
          return Candidate;
        };
        Abs = Under(Bases.front());
        for (const std::string &Base : Bases)
          if (sys::fs::exists(Under(Base))) {
            Abs = Under(Base);
            break;
          }
      }
      sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
      clang::tidy::FileFilter F;
      F.Name = std::string(Abs);
      Out.Entries.push_back(std::move(F));
      Current = &Out.Entries.back();
      continue;
    }
    // A deleted file's hunks are read too, to skip their lines.
    if (Line.consume_front("@@ -")) {
      // @@ -OLD[,N] +NEW[,N] @@
      auto [Old, Rest] = Line.split(" +");
      StringRef New = Rest.split(' ').first;
      unsigned OldStart, NewStart;
      if (!hunkRange(Old, OldStart, OldLeft) ||
          !hunkRange(New, NewStart, NewLeft)) {
        OldLeft = NewLeft = 0;
        continue;
      }
      if (Current && NewLeft)
        Current->LineRanges.emplace_back(NewStart, NewStart + NewLeft - 1);
    }
  }
  // A file with hunks that only remove lines: none of its lines are new.
  for (clang::tidy::FileFilter &F : Out.Entries)
    if (F.LineRanges.empty())
      F.LineRanges.emplace_back(1, 0);
  return Out;
}

bool LineFilter::passes(StringRef File, unsigned Line) const {
  const std::string Slashed = sys::path::convert_to_slash(File);
  for (const clang::tidy::FileFilter &F : Entries) {
    StringRef Name(F.Name);
    StringRef Path(Slashed);
    // An absolute name is the path itself; a relative one, its trailing
    // components.
    if (sys::path::is_absolute(Name, sys::path::Style::posix)
            ? Path != Name
            : !Path.ends_with(Name) ||
                  (Path.size() > Name.size() &&
                   Path[Path.size() - Name.size() - 1] != '/'))
      continue;
    if (F.LineRanges.empty())
      return true;
    for (const auto &[First, Last] : F.LineRanges)
      if (First <= Line && Line <= Last)
        return true;
    return false;
  }
  return false;
}

std::vector<std::string> LineFilter::files() const {
  std::vector<std::string> Out;
  for (const clang::tidy::FileFilter &F : Entries)
    Out.push_back(F.Name);
  return Out;
}

/// Runs git with \p Args in the current directory: its output, or none
/// with \p Error set to its first line of complaint.
static std::optional<std::string> runGit(ArrayRef<StringRef> Args,
                                         std::string &Error) {
  ErrorOr<std::string> Git = sys::findProgramByName("git");
  if (!Git) {
    Error = "git is not installed";
    return std::nullopt;
  }
  SmallString<128> OutFile, ErrFile;
  if (sys::fs::createTemporaryFile("concheck-git", "out", OutFile) ||
      sys::fs::createTemporaryFile("concheck-git", "err", ErrFile)) {
    Error = "cannot make a temporary file";
    return std::nullopt;
  }
  std::vector<StringRef> Argv = {*Git};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(OutFile),
                                          StringRef(ErrFile)};
  std::string Failed;
  const int Status =
      sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects, 0, 0, &Failed);
  auto Out = MemoryBuffer::getFile(OutFile);
  auto Err = MemoryBuffer::getFile(ErrFile);
  sys::fs::remove(OutFile);
  sys::fs::remove(ErrFile);
  if (Status != 0 || !Out) {
    StringRef Complaint = Err ? (*Err)->getBuffer().trim() : "";
    Complaint = Complaint.split('\n').first;
    Complaint.consume_front("fatal: ");
    Error = !Complaint.empty() ? Complaint.str()
            : !Failed.empty()  ? Failed
                               : formatv("git exited with {0}", Status).str();
    return std::nullopt;
  }
  return (*Out)->getBuffer().str();
}

std::string gitTopLevel() {
  std::string Error;
  std::optional<std::string> Top =
      runGit({"rev-parse", "--show-toplevel"}, Error);
  return Top ? StringRef(*Top).trim().str() : std::string();
}

std::optional<std::string> gitDiff(StringRef Rev, std::string &TopLevel,
                                   std::string &Error) {
  std::optional<std::string> Top =
      runGit({"rev-parse", "--show-toplevel"}, Error);
  if (!Top)
    return std::nullopt;
  TopLevel = StringRef(*Top).trim().str();
  // Fixed prefixes and no external or coloured diff, whatever the user's
  // git configuration says.
  return runGit({"diff", "-U0", "--no-color", "--no-ext-diff",
                 "--src-prefix=a/", "--dst-prefix=b/", Rev, "--"},
                Error);
}

} // namespace cli
} // namespace concheck
