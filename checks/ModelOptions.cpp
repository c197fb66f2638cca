//===--- ModelOptions.cpp - The model's CheckOptions, read one way --------===//

#include "ModelOptions.h"

namespace concheck {

model::LockModelOptions
readLockModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options) {
  model::LockModelOptions Values;
  Values.MutexTypes = Options.getLocalOrGlobal("MutexTypes", "").str();
  Values.GuardTypes = Options.getLocalOrGlobal("GuardTypes", "").str();
  return Values;
}

void storeLockModelOptions(clang::tidy::ClangTidyCheck::OptionsView &Options,
                           clang::tidy::ClangTidyOptions::OptionMap &Opts,
                           const model::LockModelOptions &Values) {
  Options.store(Opts, "MutexTypes", Values.MutexTypes);
  Options.store(Opts, "GuardTypes", Values.GuardTypes);
}

} // namespace concheck
