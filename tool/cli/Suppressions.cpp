//===--- Suppressions.cpp - NOLINT comments, their reasons and their use --===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Suppressions.h"
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace concheck {
namespace cli {

bool NolintDirective::names(StringRef Check) const {
  if (Checks.empty())
    return true;
  std::string Globs;
  for (const std::string &C : Checks)
    Globs += (Globs.empty() ? "" : ",") + C;
  return clang::tidy::GlobList(Globs).contains(Check);
}

bool NolintDirective::onlyConcheck() const {
  return !Checks.empty() && llvm::all_of(Checks, [](const std::string &C) {
    return StringRef(C).starts_with("concheck-");
  });
}

/// The reason after a directive: the rest of its line, without the
/// separator people write (':' or '-') and a comment's closing '*/'.
static std::string justification(StringRef Rest) {
  Rest = Rest.trim();
  if (Rest.consume_back("*/"))
    Rest = Rest.rtrim();
  Rest.consume_front(":") || Rest.consume_front("--") ||
      Rest.consume_front("-");
  return Rest.trim().str();
}

std::vector<NolintDirective> nolintDirectives(StringRef Text) {
  std::vector<NolintDirective> Out;
  SmallVector<StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef Line = Lines[I].rtrim("\r");
    for (size_t At = Line.find("NOLINT"); At != StringRef::npos;
         At = Line.find("NOLINT", At + 1)) {
      NolintDirective D;
      D.Line = I + 1;
      D.Column = At + 1;
      StringRef Rest = Line.drop_front(At + 6);
      if (Rest.consume_front("NEXTLINE"))
        D.K = NolintDirective::NextLine;
      else if (Rest.consume_front("BEGIN"))
        D.K = NolintDirective::Begin;
      else if (Rest.consume_front("END"))
        D.K = NolintDirective::End;
      // An identifier that merely contains the word is not a directive.
      if (!Rest.empty() && (isAlnum(Rest.front()) || Rest.front() == '_'))
        continue;
      if (Rest.consume_front("(")) {
        const size_t Close = Rest.find(')');
        if (Close == StringRef::npos)
          continue; // clang-tidy ignores it too
        SmallVector<StringRef, 4> Globs;
        Rest.take_front(Close).split(Globs, ',', -1, /*KeepEmpty=*/false);
        for (StringRef G : Globs)
          if (!G.trim().empty())
            D.Checks.push_back(G.trim().str());
        Rest = Rest.drop_front(Close + 1);
      }
      D.Text = Line.slice(At, Line.size() - Rest.size()).str();
      // The reason runs to the next directive on the line, if any.
      D.Justification = justification(Rest.take_front(Rest.find("NOLINT")));
      Out.push_back(std::move(D));
    }
  }
  return Out;
}

const NolintDirective *suppressorOf(const std::vector<NolintDirective> &All,
                                    StringRef Check, unsigned Line) {
  for (const NolintDirective &D : All)
    if (D.names(Check) &&
        ((D.K == NolintDirective::SameLine && D.Line == Line) ||
         (D.K == NolintDirective::NextLine && D.Line + 1 == Line)))
      return &D;
  // Regions: a BEGIN before the line whose END (the next one naming the
  // same checks) is not before it. The innermost is the last such BEGIN.
  const NolintDirective *Found = nullptr;
  for (size_t I = 0; I < All.size() && All[I].Line < Line; ++I) {
    const NolintDirective &B = All[I];
    if (B.K != NolintDirective::Begin || !B.names(Check))
      continue;
    bool Closed = false;
    for (size_t J = I + 1; J < All.size() && All[J].Line <= Line && !Closed;
         ++J)
      Closed = All[J].K == NolintDirective::End && All[J].Checks == B.Checks;
    if (!Closed)
      Found = &B;
  }
  return Found;
}

} // namespace cli
} // namespace concheck
