//===--- CheckFuzzer.cpp - arbitrary source text through every check -----===//
//
// Part of concheck.
//
// A libFuzzer target: each input is a C++ translation unit, compiled against
// the mock standard headers of test/Inputs (fast, and they declare every
// thread, mutex and wait-group type the checks model) and run through all
// concheck checks exactly as the concheck command runs them. The checks and
// the model are built with coverage and AddressSanitizer for this target.
// A crash, a sanitizer report or a timeout is a failure; diagnostics are not.
//
//===----------------------------------------------------------------------===//

#include "ConcheckForceLinker.h"
#include "Runner.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <cstdint>
#include <memory>

using namespace concheck::cli;

namespace {
struct Setup {
  std::string Directory;
  std::string InputPath;
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  Configuration Cfg;
};

Setup &setup() {
  static Setup S = [] {
    Setup S;
    llvm::SmallString<256> Cwd;
    llvm::sys::fs::current_path(Cwd);
    S.Directory = std::string(Cwd);
    llvm::SmallString<256> Input(Cwd);
    llvm::sys::path::append(Input, "concheck-fuzz-input.cpp");
    S.InputPath = std::string(Input);
    std::vector<std::string> Flags = {
        "-std=c++20",
        "-isystem", CONCHECK_TEST_INPUTS "/concheck-mock",
        "-isystem", CONCHECK_TEST_INPUTS "/std",
        "-resource-dir=" CONCHECK_CLANG_RESOURCE_DIR,
        // No "N warnings generated." line per input.
        "-fno-caret-diagnostics"};
    S.Database = std::make_unique<clang::tooling::FixedCompilationDatabase>(
        S.Directory, Flags);
    S.Cfg.Defaults = clang::tidy::ClangTidyOptions::getDefaults();
    S.Cfg.Defaults.Checks = "-*,concheck-*";
    S.Cfg.Defaults.HeaderFilterRegex = ".*";
    return S;
  }();
  return S;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  Setup &S = setup();
  // The input exists only in memory; headers come from the real disk.
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> Memory(
      new llvm::vfs::InMemoryFileSystem());
  Memory->addFile(S.InputPath, 0,
                  llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(
                      reinterpret_cast<const char *>(Data), Size)));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::createPhysicalFileSystem()));
  FS->pushOverlay(Memory);
  checkFile(S.InputPath, *S.Database, S.Cfg, FS);
  return 0;
}
