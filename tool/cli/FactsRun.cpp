//===--- FactsRun.cpp - whole-project facts for one run of concheck -------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "FactsRun.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

namespace concheck {
namespace cli {

using model::FactsCache;
using model::FunctionFacts;
using model::ProjectFacts;

/// This build of concheck: its executable's size and time, so that facts
/// another build wrote (which may mean otherwise) are not used.
static std::string toolIdentity() {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable("concheck", &Anchor);
  llvm::sys::fs::file_status Status;
  if (Exe.empty() || llvm::sys::fs::status(Exe, Status))
    return "unknown";
  return llvm::utohexstr(Status.getSize()) + "-" +
         llvm::utohexstr(llvm::sys::toTimeT(Status.getLastModificationTime()));
}

FactsRun::FactsRun(std::string CacheFile,
                   const clang::tooling::CompilationDatabase &Database)
    : CacheFile(std::move(CacheFile)), Database(Database) {
  Cache.Tool = toolIdentity();
}

std::string FactsRun::commandOf(const std::string &File) const {
  std::vector<clang::tooling::CompileCommand> Commands =
      Database.getCompileCommands(File);
  if (Commands.empty())
    return {};
  std::string Out = Commands.front().Directory;
  for (const std::string &Arg : Commands.front().CommandLine) {
    Out += '\0';
    Out += Arg;
  }
  return llvm::utohexstr(llvm::xxh3_64bits(Out));
}

std::optional<uint64_t> FactsRun::hashOf(const std::string &Path) {
  auto [It, Inserted] = Hashes.try_emplace(Path);
  if (!Inserted)
    return It->second;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  std::optional<uint64_t> H;
  if (Buffer)
    H = llvm::xxh3_64bits(llvm::arrayRefFromStringRef((*Buffer)->getBuffer()));
  return Hashes[Path] = H;
}

std::shared_ptr<const ProjectFacts> FactsRun::known(std::string &Problem) {
  std::lock_guard<std::mutex> Lock(M);
  if (CacheFile.empty() || !llvm::sys::fs::exists(CacheFile))
    return std::make_shared<ProjectFacts>();
  std::optional<FactsCache> Read = FactsCache::read(CacheFile, Problem);
  if (!Read || Read->Tool != Cache.Tool) // another concheck's: start afresh
    return std::make_shared<ProjectFacts>();
  // Keep the units whose command and files are as they were.
  for (auto &U : Read->Units) {
    bool Valid = !U.second.Command.empty() &&
                 U.second.Command == commandOf(U.first().str());
    for (const auto &[Path, Hash] : U.second.Files) {
      if (!Valid)
        break;
      Valid = hashOf(Path) == Hash;
    }
    if (Valid)
      Cache.Units[U.first()] = std::move(U.second);
  }
  return std::make_shared<ProjectFacts>(Cache.facts());
}

void FactsRun::record(const std::string &File, FileResult &Result,
                      std::shared_ptr<const ProjectFacts> Used) {
  FactsCache::Unit U;
  U.Command = commandOf(File);
  if (Result.Facts)
    U.Facts = std::move(*Result.Facts);
  std::lock_guard<std::mutex> Lock(M);
  bool Complete = Result.Facts && !Result.ToolFailed;
  for (const std::string &Path : Result.FilesRead) {
    std::optional<uint64_t> H = hashOf(Path);
    if (!H) {
      Complete = false; // a file gone since: do not keep the entry
      break;
    }
    U.Files.emplace_back(Path, *H);
  }
  UsedBy[File] = std::move(Used);
  if (Complete)
    Cache.Units[File] = std::move(U);
  else
    Cache.Units.erase(File);
}

static const FunctionFacts *lookup(const ProjectFacts *Facts,
                                   llvm::StringRef USR) {
  return Facts ? Facts->find(USR) : nullptr;
}

std::shared_ptr<const ProjectFacts>
FactsRun::current(const std::vector<std::string> &Files,
                  std::vector<size_t> &Stale) {
  std::lock_guard<std::mutex> Lock(M);
  auto Now = std::make_shared<ProjectFacts>(Cache.facts());
  Stale.clear();
  for (size_t I = 0; I < Files.size(); ++I) {
    auto U = Cache.Units.find(Files[I]);
    auto Used = UsedBy.find(Files[I]);
    if (U == Cache.Units.end() || Used == UsedBy.end())
      continue;
    for (const std::string &USR : U->second.Facts.Called) {
      const FunctionFacts *Before = lookup(Used->second.get(), USR);
      const FunctionFacts *After = lookup(Now.get(), USR);
      if (bool(Before) != bool(After) || (Before && *Before != *After)) {
        Stale.push_back(I);
        break;
      }
    }
  }
  return Now;
}

bool FactsRun::save(std::string &Error) {
  if (CacheFile.empty())
    return true;
  std::lock_guard<std::mutex> Lock(M);
  llvm::StringRef Dir = llvm::sys::path::parent_path(CacheFile);
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
    Error = EC.message();
    return false;
  }
  // A new file renamed over the old: a reader never sees half of one.
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(
          CacheFile + ".%%%%%%.tmp", FD, Temp)) {
    Error = EC.message();
    return false;
  }
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Cache.toText();
    OS.close();
    if (OS.has_error()) {
      Error = OS.error().message();
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return false;
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, CacheFile)) {
    Error = EC.message();
    llvm::sys::fs::remove(Temp);
    return false;
  }
  return true;
}

} // namespace cli
} // namespace concheck
