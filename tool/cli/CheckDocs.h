//===--- CheckDocs.h - the checks' pages, built in ------------------------===//
//
// Part of concheck.
//
// The docs/checks/*.md pages, built into the binary: --explain,
// --list-checks and the SARIF rules' help.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_TOOL_CLI_CHECKDOCS_H
#define CONCHECK_TOOL_CLI_CHECKDOCS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace concheck {
namespace cli {

/// One check's documentation, built into the binary from docs/checks/.
struct CheckDoc {
  llvm::StringRef Name;
  std::string Summary;  ///< the page's first paragraph, on one line
  llvm::StringRef Page; ///< the whole Markdown page
};
llvm::ArrayRef<CheckDoc> checkDocs();
const CheckDoc *findCheckDoc(llvm::StringRef Name);
/// The docs page's address in the repository.
std::string checkDocsUrl(llvm::StringRef Name);

} // namespace cli
} // namespace concheck

#endif // CONCHECK_TOOL_CLI_CHECKDOCS_H
