//===--- Console.cpp - concheck's lines on stderr, the report out ---------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Console.h"
#include "Baseline.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace concheck {
namespace cli {

void error(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "concheck") << Message << '\n';
}

void note(const llvm::Twine &Message) {
  llvm::WithColor::note(llvm::errs(), "concheck") << Message << '\n';
}

bool emitReport(llvm::StringRef Output, llvm::StringRef Contents) {
  if (Output.empty() || Output == "-") {
    llvm::outs() << Contents;
    llvm::outs().flush();
    return true;
  }
  std::string Error;
  if (!writeFileAtomically(Output, Contents, Error)) {
    error(Error);
    return false;
  }
  return true;
}

} // namespace cli
} // namespace concheck
