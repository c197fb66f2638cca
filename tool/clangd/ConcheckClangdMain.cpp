//===--- ConcheckClangdMain.cpp - clangd with the concheck checks ---------===//
//
// Part of concheck. clangd's own main, with the concheck clang-tidy module
// linked in, so editors show concheck's diagnostics as they type. clangd runs
// only checks it knows to be fast unless .clangd sets
//   Diagnostics: { ClangTidy: { FastCheckFilter: Loose } }
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

extern volatile int ConcheckModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED ConcheckModuleAnchorDestination =
    ConcheckModuleAnchorSource;

int main(int argc, char *argv[]) {
  // clangd looks for clang's builtin headers beside its own binary; ours is
  // not installed there, so name LLVM's resource directory unless the user did.
  std::vector<char *> Args(argv, argv + argc);
  bool HasResourceDir = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg(argv[I]);
    // clangd's own answer names only clangd; say which clangd this is.
    if (Arg == "--version" || Arg == "-version") {
      llvm::outs() << "concheck-clangd " << CONCHECK_VERSION
                   << " (clangd of LLVM " << CONCHECK_LLVM_VERSION_MAJOR
                   << ")\n";
      return 0;
    }
    if (Arg.starts_with("--resource-dir") || Arg.starts_with("-resource-dir"))
      HasResourceDir = true;
  }
  static std::string ResourceDir =
      "--resource-dir=" CONCHECK_CLANG_RESOURCE_DIR;
  if (!HasResourceDir)
    Args.insert(Args.begin() + 1, ResourceDir.data());
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size() - 1),
                                   Args.data());
}
