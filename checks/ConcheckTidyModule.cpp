//===--- ConcheckTidyModule.cpp - the concheck clang-tidy module ----------===//
//
// Part of concheck. Registers every concheck check under the "concheck-"
// prefix. The plugin, the concheck command and concheck-clangd all link this
// one module; the anchor below keeps the static registration alive when the
// module is linked from a static library.
//
//===----------------------------------------------------------------------===//

#include "AddInTaskCheck.h"
#include "CheckCatalog.h"
#include "LockOrderCheck.h"
#include "MissingDoneCheck.h"
#include "UnbalancedLockCheck.h"
#include "UnguardedWriteCheck.h"
#include "UnnamedGuardCheck.h"
#include "UnscopedLockCheck.h"
#include "WaitInTaskCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#if CONCHECK_LLVM_VERSION_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace concheck {

llvm::ArrayRef<CheckInfo> checkCatalog() {
  // Kept beside the registration below: a check is added to both.
  static const CheckInfo Catalog[] = {
      {"concheck-add-in-task", CheckKind::Bug,
       "move the add before the task starts"},
      {"concheck-lock-order", CheckKind::Bug, ""},
      {"concheck-missing-done", CheckKind::Bug, ""},
      {"concheck-unbalanced-lock", CheckKind::Bug, ""},
      {"concheck-unguarded-write", CheckKind::Bug, ""},
      {"concheck-unnamed-guard", CheckKind::Bug, "name the guard"},
      {"concheck-unscoped-lock", CheckKind::Style, "use a scoped guard"},
      {"concheck-wait-in-task", CheckKind::Bug, ""},
  };
  return Catalog;
}

const CheckInfo *findCheck(llvm::StringRef Name) {
  for (const CheckInfo &C : checkCatalog())
    if (C.Name == Name)
      return &C;
  return nullptr;
}

std::optional<CheckKind> kindOfCheck(llvm::StringRef Name) {
  if (const CheckInfo *C = findCheck(Name))
    return C->Kind;
  return std::nullopt;
}

llvm::StringRef kindName(CheckKind K) {
  return K == CheckKind::Bug ? "bug" : "style";
}

class ConcheckModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<AddInTaskCheck>("concheck-add-in-task");
    CheckFactories.registerCheck<LockOrderCheck>("concheck-lock-order");
    CheckFactories.registerCheck<MissingDoneCheck>("concheck-missing-done");
    CheckFactories.registerCheck<UnguardedWriteCheck>(
        "concheck-unguarded-write");
    CheckFactories.registerCheck<UnbalancedLockCheck>(
        "concheck-unbalanced-lock");
    CheckFactories.registerCheck<UnnamedGuardCheck>("concheck-unnamed-guard");
    CheckFactories.registerCheck<UnscopedLockCheck>("concheck-unscoped-lock");
    CheckFactories.registerCheck<WaitInTaskCheck>("concheck-wait-in-task");
  }
};

} // namespace concheck

static clang::tidy::ClangTidyModuleRegistry::Add<concheck::ConcheckModule>
    X("concheck", "Concurrency checks from concheck.");

// Referenced by each front end so that the linker keeps this file, and with it
// the registration above.
volatile int ConcheckModuleAnchorSource = 0;
