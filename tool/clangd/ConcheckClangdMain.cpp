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
  for (int I = 1; I < argc; ++I)
    if (llvm::StringRef(argv[I]).starts_with("--resource-dir") ||
        llvm::StringRef(argv[I]).starts_with("-resource-dir"))
      HasResourceDir = true;
  static std::string ResourceDir =
      "--resource-dir=" CONCHECK_CLANG_RESOURCE_DIR;
  if (!HasResourceDir)
    Args.insert(Args.begin() + 1, ResourceDir.data());
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size() - 1),
                                   Args.data());
}
