//===--- ModelOptions.h - The model's CheckOptions, read one way -*- C++ -*-===//
//
// Part of concheck. The shared model is configured through CheckOptions that
// every concheck check reads with getLocalOrGlobal, so one global entry
// (e.g. "MutexTypes") serves all checks, and a check-local entry overrides it.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_MODELOPTIONS_H
#define CONCHECK_CHECKS_MODELOPTIONS_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/LockModel.h"
#include "model/ModelContext.h"
#include "model/SpawnModel.h"
#include "model/WaitGroupModel.h"

namespace concheck {

/// Every model option as this check sees it. Checks that see the same values
/// share one model context per translation unit.
model::ModelOptions
readModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options);

model::LockModelOptions
readLockModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options);

void storeLockModelOptions(clang::tidy::ClangTidyCheck::OptionsView &Options,
                           clang::tidy::ClangTidyOptions::OptionMap &Opts,
                           const model::LockModelOptions &Values);

model::SpawnModelOptions
readSpawnModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options);

model::WaitGroupModelOptions readWaitGroupModelOptions(
    const clang::tidy::ClangTidyCheck::OptionsView &Options);

void storeTaskModelOptions(clang::tidy::ClangTidyCheck::OptionsView &Options,
                           clang::tidy::ClangTidyOptions::OptionMap &Opts,
                           const model::SpawnModelOptions &Spawns,
                           const model::WaitGroupModelOptions &Groups);

} // namespace concheck

#endif // CONCHECK_CHECKS_MODELOPTIONS_H
