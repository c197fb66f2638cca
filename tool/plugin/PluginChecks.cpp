//===--- PluginChecks.cpp - the checks as a library clang-tidy loads ------===//
//
// Part of concheck. The body of the plugin: the concheck module, linked from
// the checks library. Its Clang and clang-tidy symbols come from the
// clang-tidy that loads it (PluginLoader.cpp checks that versions match).
//
//===----------------------------------------------------------------------===//

#include "llvm/Support/Compiler.h"

extern volatile int ConcheckModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED ConcheckModuleAnchorDestination =
    ConcheckModuleAnchorSource;
