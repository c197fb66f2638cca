//===--- ConfigCommands.cpp - the configuration: checked, shown -----------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "ConfigCommands.h"
#include "CheckCatalog.h"
#include "CheckDocs.h"
#include "Console.h"
#include "Report.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#if CONCHECK_LLVM_VERSION_MAJOR < 22
// Merged into ClangTidyModule.h (and deprecated) in LLVM 22.
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang::tidy;

namespace concheck {
namespace cli {

std::vector<std::string>
enabledCheckNames(const clang::tidy::ClangTidyOptions &Options) {
#if CONCHECK_LLVM_VERSION_MAJOR >= 22
  return clang::tidy::getCheckNames(
      Options, /*AllowEnablingAnalyzerAlphaCheckers=*/false,
      /*ExperimentalCustomChecks=*/false);
#else
  return clang::tidy::getCheckNames(
      Options, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
#endif
}

std::optional<Configuration> buildConfiguration(const RunOptions &O) {
  Configuration Cfg;
  Cfg.Defaults = ClangTidyOptions::getDefaults();
  Cfg.Defaults.Checks = "-*,concheck-*";
  // Unlike clang-tidy, the project's own headers are checked by default
  // (system headers are not: SystemHeaders stays off).
  Cfg.Defaults.HeaderFilterRegex = ".*";
  if (!O.Checks.empty())
    Cfg.Overrides.Checks = O.Checks;
  if (O.HeaderFilter)
    Cfg.Overrides.HeaderFilterRegex = *O.HeaderFilter;
  if (O.ExcludeHeaderFilter)
    Cfg.Overrides.ExcludeHeaderFilterRegex = *O.ExcludeHeaderFilter;
  if (!O.ExtraArg.empty())
    Cfg.Overrides.ExtraArgs.emplace(O.ExtraArg.begin(), O.ExtraArg.end());
  if (!O.ExtraArgBefore.empty())
    Cfg.Overrides.ExtraArgsBefore.emplace(O.ExtraArgBefore.begin(),
                                          O.ExtraArgBefore.end());
  if (!O.Config.empty()) {
    auto Parsed =
        parseConfiguration(llvm::MemoryBufferRef(O.Config, "--config"));
    if (!Parsed) {
      error("--config: " + Parsed.getError().message());
      return std::nullopt;
    }
    Cfg.Explicit = std::move(*Parsed);
  }
  return Cfg;
}

int listChecks(const Configuration &Cfg) {
  ClangTidyContext Context(Cfg.provider());
  llvm::SmallString<256> Here;
  llvm::sys::fs::current_path(Here);
  llvm::sys::path::append(Here, "dummy.cpp");
  std::vector<std::string> Enabled =
      enabledCheckNames(Context.getOptionsForFile(Here));
  for (const std::string &Name : Enabled) {
    const CheckDoc *Doc = findCheckDoc(Name);
    llvm::outs() << Name;
    if (std::optional<concheck::CheckKind> K = concheck::kindOfCheck(Name))
      llvm::outs() << " (" << concheck::kindName(*K) << ")";
    llvm::outs() << "\n    " << (Doc ? Doc->Summary : "") << "\n";
  }
  return 0;
}

int explainCheck(llvm::StringRef Check) {
  std::string Name = Check.str();
  if (!llvm::StringRef(Name).starts_with("concheck-"))
    Name = "concheck-" + Name;
  const CheckDoc *Doc = findCheckDoc(Name);
  if (!Doc) {
    error("--explain: no check named '" + Check +
          "'; see 'concheck --list-checks'");
    return 2;
  }
  llvm::outs() << Doc->Page;
  return 0;
}

/// Whether check glob \p G enables none of \p Available.
static bool matchesNothing(llvm::StringRef G,
                           const std::vector<std::string> &Available) {
  GlobList One(G);
  return llvm::none_of(Available,
                       [&](const std::string &N) { return One.contains(N); });
}

/// Every positive glob of --checks must name some check: a typo that
/// enables nothing is an error, not a silent no-op.
bool validateCheckGlobs(llvm::StringRef Checks,
                        const std::vector<std::string> &Available) {
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    G = G.trim();
    if (G.empty() || G.starts_with("-") || G.starts_with("clang-diagnostic-"))
      continue;
    if (matchesNothing(G, Available)) {
      error("--checks: '" + G +
            "' matches no check; see 'concheck --list-checks'");
      return false;
    }
  }
  return true;
}

/// The file whose configuration --dump-config and --verify-config show:
/// the first path (a directory stands for a file in it), or one in the
/// current directory.
static std::string configProbe(const RunOptions &O) {
  llvm::SmallString<256> Probe(O.Paths.empty() ? "." : O.Paths.front());
  llvm::sys::fs::make_absolute(Probe);
  if (O.Paths.empty() || llvm::sys::fs::is_directory(Probe))
    llvm::sys::path::append(Probe, "dummy.cpp");
  llvm::sys::path::remove_dots(Probe, /*remove_dot_dot=*/true);
  return std::string(Probe);
}

/// The closest of \p Known to \p Name, if it is close enough to be a typo.
static std::optional<std::string> closest(llvm::StringRef Name,
                                          llvm::ArrayRef<std::string> Known) {
  std::optional<std::string> Best;
  unsigned BestDistance = 0;
  for (const std::string &K : Known) {
    unsigned D = Name.edit_distance(K, /*AllowReplacements=*/true,
                                    /*MaxEditDistance=*/3);
    if (D <= 3 && (!Best || D < BestDistance)) {
      Best = K;
      BestDistance = D;
    }
  }
  return Best;
}

/// --verify-config: every concheck check glob that enables something, every
/// option of a concheck check known to it; the source of each problem named.
int verifyConfig(const Configuration &Cfg,
                 const std::vector<std::string> &Available,
                 const RunOptions &O) {
  const std::string Probe = configProbe(O);
  ClangTidyOptions All = Cfg.Defaults;
  All.Checks = "concheck-*";
  std::vector<std::string> KnownOptions;
  for (const auto &KV : getCheckOptions(All, false))
    KnownOptions.push_back(KV.getKey().str());
  unsigned Problems = 0;
  auto Problem = [&](llvm::StringRef Source, const llvm::Twine &What) {
    error(Source + ": " + What);
    ++Problems;
  };
  std::unique_ptr<ClangTidyOptionsProvider> Provider = Cfg.provider();
  for (const auto &[Options, Source] : Provider->getRawOptions(Probe)) {
    if (Source == ClangTidyOptionsProvider::OptionsSourceTypeDefaultBinary)
      continue;
    std::string Where = Source;
    if (Source ==
        ClangTidyOptionsProvider::OptionsSourceTypeCheckCommandLineOption)
      Where = "--checks";
    else if (Source ==
             ClangTidyOptionsProvider::OptionsSourceTypeConfigCommandLineOption)
      Where = "--config";
    else
      Where = "'" + displayPath(Where, absolutePath(".")) + "'";
    if (Options.Checks) {
      llvm::SmallVector<llvm::StringRef, 8> Globs;
      llvm::StringRef(*Options.Checks).split(Globs, ',', -1, false);
      for (llvm::StringRef G : Globs) {
        G = G.trim();
        G.consume_front("-");
        if (!G.starts_with("concheck-"))
          continue; // another tool's checks
        if (!matchesNothing(G, Available))
          continue;
        std::optional<std::string> Near = closest(G, Available);
        Problem(Where, "check glob '" + G + "' matches no check" +
                           (Near ? "; did you mean '" + *Near + "'?" : ""));
      }
    }
    for (const auto &KV : Options.CheckOptions) {
      llvm::StringRef Key = KV.getKey();
      if (!Key.starts_with("concheck-") || !Key.contains('.'))
        continue; // another tool's option, or a global one
      if (llvm::is_contained(KnownOptions, Key))
        continue;
      auto [Check, Name] = Key.rsplit('.');
      std::optional<std::string> Near = closest(Key, KnownOptions);
      if (!llvm::is_contained(Available, Check) &&
          !llvm::any_of(KnownOptions, [&, Check = Check](const std::string &K) {
            return llvm::StringRef(K).starts_with((Check + ".").str());
          }))
        Problem(Where, "option '" + Key + "' is for no check ('" + Check +
                           "' is not one)" +
                           (Near ? "; did you mean '" + *Near + "'?" : ""));
      else
        Problem(Where, "unknown option '" + Key + "'" +
                           (Near ? "; did you mean '" + *Near + "'?" : ""));
    }
  }
  if (Problems)
    return 1;
  ClangTidyContext Context(Cfg.provider());
  llvm::outs() << "No config errors detected: "
               << enabledCheckNames(Context.getOptionsForFile(Probe)).size()
               << " concheck checks enabled for '"
               << displayPath(Probe, absolutePath(".")) << "'.\n";
  return 0;
}

/// --dump-config: what applies to the probe, as clang-tidy prints it.
int dumpConfig(const Configuration &Cfg, const RunOptions &O) {
  ClangTidyContext Context(Cfg.provider());
  ClangTidyOptions Effective = Context.getOptionsForFile(configProbe(O));
  Effective.CheckOptions = getCheckOptions(Effective, false);
  llvm::outs() << configurationAsText(
                      ClangTidyOptions::getDefaults().merge(Effective, 0))
               << "\n";
  return 0;
}

} // namespace cli
} // namespace concheck
