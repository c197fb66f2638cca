//===--- Console.h - concheck's lines on stderr, the report out -----------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_CONSOLE_H
#define CONCHECK_TOOL_CLI_CONSOLE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

namespace concheck {
namespace cli {

/// "concheck: error: ..." on stderr, in colour where stderr takes it.
void error(const llvm::Twine &Message);
/// "concheck: note: ...".
void note(const llvm::Twine &Message);

/// Writes the report to \p Output (written whole through a temporary file
/// and a rename), or to stdout when it is empty or "-". False after an
/// error said.
bool emitReport(llvm::StringRef Output, llvm::StringRef Contents);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_CONSOLE_H
