//===--- Baseline.cpp - adopt concheck on code that has findings today ----===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace concheck {
namespace cli {

static std::string directoryOf(StringRef File) {
  return sys::path::parent_path(absolutePath(File)).str();
}

bool writeFileAtomically(StringRef Path, StringRef Contents,
                         std::string &Error) {
  SmallString<256> Model(Path);
  Model += ".concheck-%%%%%%.tmp";
  int FD;
  SmallString<256> Temp;
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, Temp)) {
    Error = "'" + Path.str() + "': cannot create a temporary file beside it: " +
            describe(EC);
    return false;
  }
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.close();
    if (OS.has_error()) {
      Error = "'" + Path.str() + "': " + describe(OS.error());
      OS.clear_error();
      sys::fs::remove(Temp);
      return false;
    }
  }
  // Keep the permissions of the file being replaced.
  if (auto Perms = sys::fs::getPermissions(Path))
    sys::fs::setPermissions(Temp, *Perms);
  if (std::error_code EC = sys::fs::rename(Temp, Path)) {
    Error = "'" + Path.str() + "': " + describe(EC);
    sys::fs::remove(Temp);
    return false;
  }
  return true;
}

std::optional<Baseline> Baseline::read(StringRef Path, std::string &Error) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer) {
    Error = "'" + Path.str() + "': " + describe(Buffer.getError());
    return std::nullopt;
  }
  Expected<json::Value> Parsed = json::parse((*Buffer)->getBuffer());
  if (!Parsed) {
    Error = "'" + Path.str() + "': not a concheck baseline: " +
            toString(Parsed.takeError());
    return std::nullopt;
  }
  const json::Object *Root = Parsed->getAsObject();
  const json::Array *Entries = Root ? Root->getArray("findings") : nullptr;
  if (!Root || Root->getInteger("baseline_version") != 1 || !Entries) {
    Error = "'" + Path.str() +
            "': not a concheck baseline (expected 'baseline_version': 1 and "
            "a 'findings' array)";
    return std::nullopt;
  }
  Baseline B;
  B.Directory = directoryOf(Path);
  for (const json::Value &V : *Entries) {
    const json::Object *E = V.getAsObject();
    auto Get = [&](StringRef Key) -> std::string {
      if (E)
        if (auto S = E->getString(Key))
          return S->str();
      return "";
    };
    if (!E || Get("check").empty()) {
      Error = "'" + Path.str() + "': a baseline entry without a 'check'";
      return std::nullopt;
    }
    Finding Key;
    Key.Check = Get("check");
    Key.Message = Get("message");
    Key.SourceLine = Get("code");
    unsigned Count = E->getInteger("count").value_or(1);
    B.Counts[findingKey(Key, Get("file"))] += Count;
  }
  return B;
}

bool Baseline::write(StringRef Path, ArrayRef<Finding> Findings,
                     std::string &Error) {
  std::string Directory = directoryOf(Path);
  // Identical keys become one entry with a count, in a stable order.
  std::map<std::string, std::pair<json::Object, unsigned>> Entries;
  for (const Finding &F : Findings) {
    std::string File = displayPath(F.Loc.File, Directory);
    std::string Key = findingKey(F, File);
    auto &Entry = Entries[Key];
    if (Entry.second++ == 0)
      Entry.first = json::Object{{"check", F.Check},
                                 {"file", File},
                                 {"message", F.Message},
                                 {"code", StringRef(F.SourceLine).trim().str()},
                                 // For people reading the file; not matched.
                                 {"line", F.Loc.Line}};
  }
  json::Array Out;
  for (auto &Entry : Entries) {
    Entry.second.first["count"] = Entry.second.second;
    Out.push_back(std::move(Entry.second.first));
  }
  json::Value Doc = json::Object{{"baseline_version", 1},
                                 {"tool", "concheck"},
                                 {"findings", std::move(Out)}};
  return writeFileAtomically(Path, formatv("{0:2}\n", Doc).str(), Error);
}

unsigned Baseline::filter(std::vector<Finding> &Findings) const {
  std::map<std::string, unsigned> Left = Counts;
  unsigned Removed = 0;
  llvm::erase_if(Findings, [&](const Finding &F) {
    auto It = Left.find(findingKey(F, displayPath(F.Loc.File, Directory)));
    if (It == Left.end() || It->second == 0)
      return false;
    --It->second;
    ++Removed;
    return true;
  });
  return Removed;
}

} // namespace cli
} // namespace concheck
