//===--- PathNotes.h - Notes that show the way a path takes -----*- C++ -*-===//
//
// Part of concheck. A path that falls off the end of a body (past a done it
// needed, with a mutex still locked) is reported at the end; when it went
// through a break, a continue or a caught throw inside the body, a note
// points there, worded the same for every check.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_PATHNOTES_H
#define CONCHECK_CHECKS_PATHNOTES_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/PathQuery.h"
#include "clang/AST/ExprCXX.h"

namespace concheck {

/// Notes \p Via, the jump a reported path took without leaving the region
/// (model::Escape::Via).
inline void noteVia(clang::tidy::ClangTidyCheck &Check,
                    const clang::Stmt *Via) {
  if (!Via)
    return;
  if (llvm::isa<clang::CXXThrowExpr>(Via))
    Check.diag(Via->getBeginLoc(), "after this 'throw' is caught",
               clang::DiagnosticIDs::Note);
  else
    Check.diag(Via->getBeginLoc(), "when this '%0' is taken",
               clang::DiagnosticIDs::Note)
        << model::jumpKeyword(Via);
}

} // namespace concheck

#endif // CONCHECK_CHECKS_PATHNOTES_H
