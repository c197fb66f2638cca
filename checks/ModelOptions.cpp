//===--- ModelOptions.cpp - The model's CheckOptions, read one way --------===//

#include "ModelOptions.h"

namespace concheck {

model::ModelOptions
readModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options) {
  model::ModelOptions Values;
  Values.Spawns = readSpawnModelOptions(Options);
  Values.Groups = readWaitGroupModelOptions(Options);
  Values.Locks = readLockModelOptions(Options);
  // Only concheck-unguarded-write has this option, read for it alone.
  Values.Accesses.ThreadSafeTypes = Options.get("ThreadSafeTypes", "").str();
  return Values;
}

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

model::SpawnModelOptions
readSpawnModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options) {
  model::SpawnModelOptions Values;
  Values.SpawnFunctions = Options.getLocalOrGlobal("SpawnFunctions", "").str();
  return Values;
}

model::WaitGroupModelOptions readWaitGroupModelOptions(
    const clang::tidy::ClangTidyCheck::OptionsView &Options) {
  model::WaitGroupModelOptions Values;
  Values.WaitGroupTypes = Options.getLocalOrGlobal("WaitGroupTypes", "").str();
  return Values;
}

void storeTaskModelOptions(clang::tidy::ClangTidyCheck::OptionsView &Options,
                           clang::tidy::ClangTidyOptions::OptionMap &Opts,
                           const model::SpawnModelOptions &Spawns,
                           const model::WaitGroupModelOptions &Groups) {
  Options.store(Opts, "SpawnFunctions", Spawns.SpawnFunctions);
  Options.store(Opts, "WaitGroupTypes", Groups.WaitGroupTypes);
}

} // namespace concheck
