//===--- CheckCatalog.h - Every concheck check, bug or style ----*- C++ -*-===//
//
// Part of concheck. Bugs and style advice are told apart by check name, so
// that --checks and WarningsAsErrors can gate on bugs alone: a race, a
// deadlock, a lock left held or a guard that guards nothing is a bug; a
// manual lock() where a scoped guard would do (CP.20) is style. The front
// ends read the kind from here (SARIF's level, the JSON report, --list-checks).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_CHECKCATALOG_H
#define CONCHECK_CHECKS_CHECKCATALOG_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace concheck {

enum class CheckKind { Bug, Style };

struct CheckInfo {
  llvm::StringRef Name;
  CheckKind Kind;
  /// What the check's fix-it does, as an editor's quick fix is titled
  /// ("name the guard"); empty for a check without fix-its.
  llvm::StringRef FixTitle;
};

/// Every check the concheck module registers, in name order.
llvm::ArrayRef<CheckInfo> checkCatalog();

/// The entry of check \p Name, or null for a name that is not concheck's.
const CheckInfo *findCheck(llvm::StringRef Name);

/// The kind of check \p Name, or none for a name that is not concheck's.
std::optional<CheckKind> kindOfCheck(llvm::StringRef Name);

/// "bug" or "style".
llvm::StringRef kindName(CheckKind K);

} // namespace concheck

#endif // CONCHECK_CHECKS_CHECKCATALOG_H
