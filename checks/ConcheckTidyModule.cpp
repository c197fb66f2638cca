//===--- ConcheckTidyModule.cpp - the concheck clang-tidy module ----------===//
//
// Part of concheck. Registers every concheck check under the "concheck-"
// prefix. The plugin, the concheck command and concheck-clangd all link this
// one module; the anchor below keeps the static registration alive when the
// module is linked from a static library.
//
//===----------------------------------------------------------------------===//

#include "AddInTaskCheck.h"
#include "MissingDoneCheck.h"
#include "UnguardedWriteCheck.h"
#include "UnscopedLockCheck.h"
#include "WaitInTaskCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#if CONCHECK_LLVM_VERSION_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace concheck {

class ConcheckModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<AddInTaskCheck>("concheck-add-in-task");
    CheckFactories.registerCheck<MissingDoneCheck>("concheck-missing-done");
    CheckFactories.registerCheck<UnguardedWriteCheck>(
        "concheck-unguarded-write");
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
