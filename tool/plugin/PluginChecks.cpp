//===--- PluginChecks.cpp - the checks as a library clang-tidy loads ------===//
//
// Part of concheck. The body of the plugin: the concheck module, linked from
// the checks library. Its Clang and clang-tidy symbols come from the
// clang-tidy that loads it (PluginLoader.cpp checks that versions match).
//
//===----------------------------------------------------------------------===//

#include "ConcheckForceLinker.h"
