//===--- ConcheckForceLinker.h - keep the concheck module in the link -----===//
//
// Part of concheck.
//
// The checks register themselves from ConcheckTidyModule.cpp, which nothing
// calls: a front end that links them statically includes this header once,
// so that the linker keeps that file and its registration (as clang-tidy's
// ClangTidyForceLinker.h does for its modules).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_CONCHECKFORCELINKER_H
#define CONCHECK_CHECKS_CONCHECKFORCELINKER_H

#include "llvm/Support/Compiler.h"

extern volatile int ConcheckModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED ConcheckModuleAnchorDestination =
    ConcheckModuleAnchorSource;

#endif // CONCHECK_CHECKS_CONCHECKFORCELINKER_H
