//===--- ConcheckClangdMain.cpp - clangd with the concheck checks ---------===//
//
// Part of concheck. clangd's own main, with the concheck clang-tidy module
// linked in, so editors show concheck's diagnostics as they type. clangd runs
// only checks it knows to be fast unless .clangd sets
//   Diagnostics: { ClangTidy: { FastCheckFilter: Loose } }
//
// What clangd says of itself and of a check is about clangd and LLVM's
// checks, so its messages to the editor pass through a relay that says it of
// concheck: the server's name and version (serverInfo), the documentation
// link of a concheck diagnostic (concheck's page, not a missing llvm.org one;
// CONCHECK_DOCS_URL in the environment overrides the base), and the title of
// a concheck quick fix (what the fix does, not clangd's "apply fix").
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "ConcheckForceLinker.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cerrno>
#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

namespace {

std::string docsUrl(llvm::StringRef Check) {
  const char *Env = std::getenv("CONCHECK_DOCS_URL");
  std::string Base = Env && *Env ? Env : CONCHECK_DOCS_BASE_URL;
  if (!llvm::StringRef(Base).ends_with("/"))
    Base += '/';
  Check.consume_front("concheck-");
  return Base + Check.str() + ".md";
}

bool isConcheck(const llvm::json::Object &Diag) {
  std::optional<llvm::StringRef> Code = Diag.getString("code");
  return Code && Code->starts_with("concheck-");
}

/// The text a code action's edit inserts, all edits together.
std::string insertedText(const llvm::json::Object &Action) {
  std::string Text;
  const llvm::json::Object *Edit = Action.getObject("edit");
  if (!Edit)
    return Text;
  auto Add = [&](const llvm::json::Array *Edits) {
    if (!Edits)
      return;
    for (const llvm::json::Value &E : *Edits)
      if (const llvm::json::Object *O = E.getAsObject())
        if (std::optional<llvm::StringRef> New = O->getString("newText"))
          Text += *New;
  };
  if (const llvm::json::Object *Changes = Edit->getObject("changes"))
    for (const auto &KV : *Changes)
      Add(KV.second.getAsArray());
  if (const llvm::json::Array *Docs = Edit->getArray("documentChanges"))
    for (const llvm::json::Value &D : *Docs)
      if (const llvm::json::Object *O = D.getAsObject())
        Add(O->getArray("edits"));
  return Text;
}

/// What a concheck check's fix does, said as a quick fix's title: the
/// catalogue's, or for a scoped guard the guard the fix writes.
std::string fixTitle(llvm::StringRef Check, const llvm::json::Object &Action) {
  if (Check == "concheck-unscoped-lock") {
    const std::string Text = insertedText(Action);
    for (llvm::StringRef Guard :
         {"std::scoped_lock", "std::unique_lock", "std::lock_guard",
          "std::shared_lock", "absl::MutexLock", "absl::ReaderMutexLock",
          "absl::WriterMutexLock"})
      if (llvm::StringRef(Text).contains(Guard))
        return ("use " + Guard).str();
  }
  const concheck::CheckInfo *Info = concheck::findCheck(Check);
  return Info ? Info->FixTitle.str() : std::string();
}

void retitle(llvm::json::Object &Action, llvm::StringRef Check) {
  std::optional<llvm::StringRef> Kind = Action.getString("kind");
  if (Kind && *Kind != "quickfix")
    return;
  std::string Title = fixTitle(Check, Action);
  if (!Title.empty())
    Action["title"] = std::move(Title);
}

/// One message from clangd, as concheck's clangd says it.
void rewrite(llvm::json::Object &Msg) {
  if (llvm::json::Object *Result = Msg.getObject("result")) {
    if (Result->getObject("capabilities"))
      (*Result)["serverInfo"] = llvm::json::Object{
          {"name", "concheck-clangd"},
          {"version", std::string(CONCHECK_VERSION) + " (clangd of LLVM " +
                          std::to_string(CONCHECK_LLVM_VERSION_MAJOR) + ")"}};
    return;
  }
  // Quick fixes asked for with textDocument/codeAction.
  if (llvm::json::Array *Actions = Msg.getArray("result")) {
    for (llvm::json::Value &V : *Actions) {
      llvm::json::Object *Action = V.getAsObject();
      const llvm::json::Array *Diags =
          Action ? Action->getArray("diagnostics") : nullptr;
      if (!Diags)
        continue;
      for (const llvm::json::Value &D : *Diags)
        if (const llvm::json::Object *DO = D.getAsObject();
            DO && isConcheck(*DO)) {
          retitle(*Action, *DO->getString("code"));
          break;
        }
    }
    return;
  }
  std::optional<llvm::StringRef> Method = Msg.getString("method");
  llvm::json::Object *Params = Msg.getObject("params");
  if (!Method || *Method != "textDocument/publishDiagnostics" || !Params)
    return;
  llvm::json::Array *Diags = Params->getArray("diagnostics");
  if (!Diags)
    return;
  for (llvm::json::Value &D : *Diags) {
    llvm::json::Object *DO = D.getAsObject();
    if (!DO || !isConcheck(*DO))
      continue;
    const std::string Check = DO->getString("code")->str();
    (*DO)["codeDescription"] = llvm::json::Object{{"href", docsUrl(Check)}};
    // Fixes attached to the diagnostic (codeActionsInline).
    if (llvm::json::Array *Actions = DO->getArray("codeActions"))
      for (llvm::json::Value &A : *Actions)
        if (llvm::json::Object *AO = A.getAsObject())
          retitle(*AO, Check);
  }
}

bool writeAll(int FD, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t N = ::write(FD, Data.data(), Data.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Data = Data.drop_front(N);
  }
  return true;
}

/// Copies clangd's output from \p In to \p Out, one LSP message at a time,
/// rewritten. What is not an LSP message (clangd's --help, --check) passes
/// unchanged.
void relay(int In, int Out) {
  std::string Buffer;
  char Chunk[65536];
  bool Open = true;
  while (true) {
    // Pass on every complete message in the buffer.
    while (!Buffer.empty()) {
      llvm::StringRef B(Buffer);
      if (!B.starts_with_insensitive("content-length:")) {
        if (!Open || !llvm::StringRef("content-length:")
                          .starts_with_insensitive(B.take_front(15))) {
          size_t Next = B.find_insensitive("content-length:", 1);
          if (Next == llvm::StringRef::npos)
            Next = B.size();
          writeAll(Out, B.take_front(Next));
          Buffer.erase(0, Next);
          continue;
        }
        break; // the start of a header not read in full yet
      }
      const size_t HeaderEnd = B.find("\r\n\r\n");
      if (HeaderEnd == llvm::StringRef::npos)
        break;
      unsigned long long Length = 0;
      if (B.take_front(HeaderEnd)
              .drop_front(15)
              .split("\r\n")
              .first.trim()
              .getAsInteger(10, Length)) {
        writeAll(Out, B.take_front(HeaderEnd + 4));
        Buffer.erase(0, HeaderEnd + 4);
        continue;
      }
      if (B.size() < HeaderEnd + 4 + Length)
        break;
      llvm::StringRef Body = B.substr(HeaderEnd + 4, Length);
      std::string Text;
      llvm::Expected<llvm::json::Value> V = llvm::json::parse(Body);
      if (V && V->getAsObject()) {
        rewrite(*V->getAsObject());
        llvm::raw_string_ostream(Text) << *V;
      } else {
        if (!V)
          llvm::consumeError(V.takeError());
        Text = Body.str();
      }
      writeAll(Out, "Content-Length: " + std::to_string(Text.size()) +
                        "\r\n\r\n" + Text);
      Buffer.erase(0, HeaderEnd + 4 + Length);
    }
    if (!Open)
      return;
    ssize_t N = ::read(In, Chunk, sizeof(Chunk));
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      Open = false;
    else
      Buffer.append(Chunk, N);
  }
}

} // namespace

int main(int argc, char *argv[]) {
  // clangd looks for clang's builtin headers beside its own binary; ours is
  // not installed there, so name LLVM's resource directory unless the user did.
  std::vector<char *> Args(argv, argv + argc);
  bool HasResourceDir = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg(argv[I]);
    // clangd's own answer names only clangd; say which clangd this is.
    if (Arg == "--version" || Arg == "-version") {
      llvm::outs() << "concheck-clangd " << CONCHECK_VERSION
                   << " (clangd of LLVM " << CONCHECK_LLVM_VERSION_MAJOR
                   << ")\n";
      return 0;
    }
    if (Arg.starts_with("--resource-dir") || Arg.starts_with("-resource-dir"))
      HasResourceDir = true;
  }
  static std::string ResourceDir =
      "--resource-dir=" CONCHECK_CLANG_RESOURCE_DIR;
  if (!HasResourceDir)
    Args.insert(Args.begin() + 1, ResourceDir.data());
  Args.push_back(nullptr);

  // clangd writes its messages to file descriptor 1: point it at a pipe
  // whose other end the relay reads, and give the relay the real output.
  int Pipe[2];
  const int RealOut = ::dup(STDOUT_FILENO);
  if (RealOut < 0 || ::pipe(Pipe) != 0 || ::dup2(Pipe[1], STDOUT_FILENO) < 0)
    return clang::clangd::clangdMain(static_cast<int>(Args.size() - 1),
                                     Args.data());
  ::close(Pipe[1]);
  std::thread Relay(relay, Pipe[0], RealOut);
  const int Status =
      clang::clangd::clangdMain(static_cast<int>(Args.size() - 1), Args.data());
  // The pipe's last writer goes: the relay passes on the rest and ends.
  llvm::outs().flush();
  ::fflush(stdout);
  ::dup2(RealOut, STDOUT_FILENO);
  Relay.join();
  ::close(Pipe[0]);
  return Status;
}
