//===--- Runner.cpp - the concheck checks on one translation unit ---------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Runner.h"
#include "ModelOptions.h"
#include "Suppressions.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#if CONCHECK_LLVM_VERSION_MAJOR < 22
// Merged into ClangTidyModule.h (and deprecated) in LLVM 22.
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/Regex.h"

#include <atomic>

using namespace clang;
using namespace clang::tidy;

namespace concheck {
namespace cli {

namespace {

/// Reads configuration as clang-tidy does, but a 'Checks' entry that names
/// no concheck check is about other tools and is ignored: a project whose
/// .clang-tidy says '-*,bugprone-*' still gets concheck's defaults, while
/// '-*,concheck-unscoped-lock' there means what it says.
template <typename Base> class ConcheckFiltered : public Base {
public:
  using Base::Base;

  std::vector<ClangTidyOptionsProvider::OptionsSource>
  getRawOptions(llvm::StringRef FileName) override {
    auto Sources = Base::getRawOptions(FileName);
    for (auto &Source : Sources) {
      if (Source.second == ClangTidyOptionsProvider::OptionsSourceTypeDefaultBinary ||
          Source.second ==
              ClangTidyOptionsProvider::OptionsSourceTypeCheckCommandLineOption ||
          !Source.first.Checks)
        continue;
      if (!llvm::StringRef(*Source.first.Checks).contains("concheck"))
        Source.first.Checks.reset();
    }
    return Sources;
  }
};

/// Limits the AST the checks' matchers traverse to the top-level
/// declarations outside system headers, as clangd does for its main file.
/// Findings in system headers are never shown, and nothing the checks know
/// comes from traversing them (the model reads the declarations it needs
/// directly); the standard headers are most of a typical TU's AST, and
/// traversing them was most of clang-tidy's cost over the compiler's.
class UserCodeScope : public ASTConsumer {
public:
  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      if (!D->getASTContext().getSourceManager().isInSystemHeader(
              D->getLocation()))
        UserDecls.push_back(D);
    return true;
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Ctx.setTraversalScope(UserDecls);
  }

private:
  std::vector<Decl *> UserDecls;
};

/// The model the checks shared for \p File, under the global options (as a
/// check with no options of its own reads them).
concheck::model::ModelContext &modelOf(ClangTidyContext &Context,
                                       llvm::StringRef File, ASTContext &Ctx) {
  ClangTidyOptions Opts = Context.getOptionsForFile(File);
  ClangTidyCheck::OptionsView View("concheck-model", Opts.CheckOptions,
                                   &Context);
  return concheck::model::ModelContext::get(Ctx,
                                            concheck::readModelOptions(View));
}

/// After the checks: what the model they shared recognised in the file.
class CoverageConsumer : public ASTConsumer {
public:
  CoverageConsumer(ClangTidyContext &Context, std::string File,
                   std::optional<concheck::model::Coverage> &Out)
      : Context(Context), File(std::move(File)), Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    // The sites too: the JSON report lists them (the real-code sweep
    // matches them with the project's task starts).
    Out = concheck::model::collectCoverage(Ctx, modelOf(Context, File, Ctx),
                                           /*WithSites=*/true);
  }

private:
  ClangTidyContext &Context;
  std::string File;
  std::optional<concheck::model::Coverage> &Out;
};

/// After the checks: the file's whole-project facts, and the files read.
class FactsConsumer : public ASTConsumer {
public:
  FactsConsumer(ClangTidyContext &Context, std::string File, FileResult &Out)
      : Context(Context), File(std::move(File)), Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Out.Facts = concheck::model::collectFacts(Ctx, modelOf(Context, File, Ctx));
    const SourceManager &SM = Ctx.getSourceManager();
    FileManager &FM = SM.getFileManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      llvm::StringRef Real = It->first.getFileEntry().tryGetRealPathName();
      llvm::SmallString<256> Path(Real.empty() ? It->first.getName() : Real);
      if (Real.empty())
        FM.makeAbsolutePath(Path);
      Out.FilesRead.push_back(std::string(Path));
    }
    llvm::sort(Out.FilesRead);
    Out.FilesRead.erase(std::unique(Out.FilesRead.begin(), Out.FilesRead.end()),
                        Out.FilesRead.end());
  }

private:
  ClangTidyContext &Context;
  std::string File;
  FileResult &Out;
};

/// Between the checks and clang-tidy's consumer: a concheck finding that
/// clang-tidy drops for a NOLINT comment (its count of those goes up) is
/// recorded, with the comment's line and reason. clang-tidy alone asks the
/// NOLINT handler: asking it twice would lose its complaints (an unmatched
/// NOLINTBEGIN), which it makes once per file.
class SuppressionRecorder : public DiagnosticConsumer {
public:
  SuppressionRecorder(ClangTidyContext &Context, DiagnosticConsumer &Next,
                      std::vector<SuppressedDiag> &Out)
      : Context(Context), Next(Next), Out(Out) {}

  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    Next.BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override { Next.EndSourceFile(); }
  void finish() override { Next.finish(); }

  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    // What the record needs, before clang-tidy may emit diagnostics of its
    // own (which reuse the engine's state behind Info).
    std::optional<Pending> P;
    if (Level != DiagnosticsEngine::Note &&
        Level != DiagnosticsEngine::Ignored && Info.hasSourceManager() &&
        Info.getLocation().isValid())
      P = pending(Info);
    const unsigned Before = Context.getStats().ErrorsIgnoredNOLINT;
    Next.HandleDiagnostic(Level, Info);
    if (P && Context.getStats().ErrorsIgnoredNOLINT != Before)
      record(std::move(*P));
  }

private:
  struct Pending {
    SuppressedDiag D;
    const SourceManager *SM;
    FileID FID;
    bool InMainFile;
  };

  std::optional<Pending> pending(const Diagnostic &Info) {
    std::string Check = Context.getCheckName(Info.getID());
    if (!llvm::StringRef(Check).starts_with("concheck-"))
      return std::nullopt;
    const SourceManager &SM = Info.getSourceManager();
    const SourceLocation Loc = SM.getFileLoc(Info.getLocation());
    const FileID FID = SM.getFileID(Loc);
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(FID);
    if (!Entry)
      return std::nullopt;
    llvm::SmallString<256> Path(Entry->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    Pending P{{}, &SM, FID, SM.isInMainFile(Loc)};
    P.D.Check = std::move(Check);
    llvm::SmallString<128> Message;
    Info.FormatDiagnostic(Message);
    P.D.Message = std::string(Message);
    P.D.File = std::string(Path);
    P.D.Offset = SM.getFileOffset(Loc);
    return P;
  }

  void record(Pending P) {
    // As clang-tidy decides what to show: the main file, and the headers
    // the header filters take.
    if (!P.InMainFile) {
      const ClangTidyOptions &Opts = Context.getOptions();
      if (!llvm::Regex(Opts.HeaderFilterRegex.value_or("")).match(P.D.File) ||
          (Opts.ExcludeHeaderFilterRegex &&
           !Opts.ExcludeHeaderFilterRegex->empty() &&
           llvm::Regex(*Opts.ExcludeHeaderFilterRegex).match(P.D.File)))
        return;
    }
    auto [It, New] = Directives.try_emplace(P.FID);
    if (New)
      It->second = nolintDirectives(P.SM->getBufferData(P.FID));
    if (const NolintDirective *By = suppressorOf(
            It->second, P.D.Check, P.SM->getLineNumber(P.FID, P.D.Offset))) {
      P.D.DirectiveLine = By->Line;
      P.D.Justification = By->Justification;
    }
    Out.push_back(std::move(P.D));
  }

  ClangTidyContext &Context;
  DiagnosticConsumer &Next;
  std::vector<SuppressedDiag> &Out;
  llvm::DenseMap<FileID, std::vector<NolintDirective>> Directives;
};

/// The main file's lines the preprocessor skips.
class SkippedLines : public PPCallbacks {
public:
  SkippedLines(const SourceManager &SM,
               std::vector<std::pair<unsigned, unsigned>> &Out)
      : SM(SM), Out(Out) {}
  void SourceRangeSkipped(SourceRange Range, SourceLocation) override {
    if (!SM.isInMainFile(Range.getBegin()))
      return;
    Out.emplace_back(SM.getSpellingLineNumber(Range.getBegin()),
                     SM.getSpellingLineNumber(Range.getEnd()));
  }

private:
  const SourceManager &SM;
  std::vector<std::pair<unsigned, unsigned>> &Out;
};

} // namespace

std::unique_ptr<ClangTidyOptionsProvider> Configuration::provider() const {
  if (Explicit)
    return std::make_unique<ConcheckFiltered<ConfigOptionsProvider>>(
        Global, Defaults, *Explicit, Overrides);
  return std::make_unique<ConcheckFiltered<FileOptionsProvider>>(
      Global, Defaults, Overrides);
}

FileResult checkFile(const std::string &File,
                     const tooling::CompilationDatabase &Database,
                     const Configuration &Cfg,
                     llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Base,
                     bool Stats, bool Facts) {
  ClangTidyContext Context(Cfg.provider());
  {
    llvm::SmallString<256> Abs(File);
    llvm::sys::fs::make_absolute(Abs);
    Context.setCurrentFile(Abs);
  }
  if (!Cfg.ProfileDir.empty()) {
    // clang-tidy's profiling writes one JSON file per run; a directory per
    // run keeps two files of one name (checked at once) apart.
    static std::atomic<unsigned> Runs{0};
    Context.setEnableProfiling(true);
    Context.setProfileStoragePrefix(Cfg.ProfileDir + "/" +
                                    std::to_string(Runs++));
  }
  if (!Base)
    Base = llvm::vfs::createPhysicalFileSystem();
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(std::move(Base)));
  tooling::ClangTool Tool(Database, {File},
                          std::make_shared<PCHContainerOperations>(), FS);
  // Failures are reported as diagnostics, not as lines of their own.
  Tool.setPrintErrorMessage(false);
  // ExtraArgs and ExtraArgsBefore from the configuration (and the command
  // line's --extra-arg, --extra-arg-before), as clang-tidy: after the
  // compiler's name, and before a '--' that ends the options (an
  // interpolated command names its file after one).
  Tool.appendArgumentsAdjuster(
      [&Context](const tooling::CommandLineArguments &Args,
                 llvm::StringRef Filename) {
        ClangTidyOptions Opts = Context.getOptionsForFile(Filename);
        tooling::CommandLineArguments Out = Args;
        if (Opts.ExtraArgsBefore)
          Out = tooling::getInsertArgumentAdjuster(
              *Opts.ExtraArgsBefore,
              tooling::ArgumentInsertPosition::BEGIN)(Out, Filename);
        if (Opts.ExtraArgs)
          Out = tooling::getInsertArgumentAdjuster(
              *Opts.ExtraArgs, tooling::ArgumentInsertPosition::END)(Out,
                                                                     Filename);
        return Out;
      });

  FileResult Result;
  ClangTidyDiagnosticConsumer Consumer(Context, nullptr,
                                       /*RemoveIncompatibleErrors=*/true,
                                       /*GetFixesFromNotes=*/false);
  SuppressionRecorder Recorder(Context, Consumer, Result.Suppressed);
#if CONCHECK_LLVM_VERSION_MAJOR >= 22
  // LLVM 22: the engine borrows its DiagnosticOptions; the context owns them.
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine Engine(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(),
                           *DiagOpts, &Recorder, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &Engine);
#else
  DiagnosticsEngine Engine(new DiagnosticIDs(), new DiagnosticOptions(),
                           &Recorder, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&Engine);
#endif
  Tool.setDiagnosticConsumer(&Consumer);

  class Factory : public tooling::FrontendActionFactory {
  public:
    Factory(ClangTidyContext &Context,
            llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
            std::optional<concheck::model::Coverage> *Stats, FileResult *Facts)
        : Context(Context), Consumers(Context, std::move(FS)), Stats(Stats),
          Facts(Facts) {}
    std::unique_ptr<FrontendAction> create() override {
      return std::make_unique<Action>(Context, Consumers, Stats, Facts);
    }
    bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                       FileManager *Files,
                       std::shared_ptr<PCHContainerOperations> PCH,
                       DiagnosticConsumer *Diags) override {
      // As clang-tidy: code may hide things from analyzers behind this macro.
      Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
      return FrontendActionFactory::runInvocation(Invocation, Files, PCH, Diags);
    }

  private:
    class Action : public ASTFrontendAction {
    public:
      Action(ClangTidyContext &Context, ClangTidyASTConsumerFactory &Consumers,
             std::optional<concheck::model::Coverage> *Stats, FileResult *Facts)
          : Context(Context), Consumers(Consumers), Stats(Stats), Facts(Facts) {
      }
      std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                     llvm::StringRef File) override {
        // The scope first: MultiplexConsumer calls its consumers in order,
        // so the scope is set before the checks' matchers traverse the AST.
        if (Facts)
          CI.getPreprocessor().addPPCallbacks(std::make_unique<SkippedLines>(
              CI.getSourceManager(), Facts->SkippedLines));
        std::vector<std::unique_ptr<ASTConsumer>> Chain;
        Chain.push_back(std::make_unique<UserCodeScope>());
        Chain.push_back(Consumers.createASTConsumer(CI, File));
        if (Stats)
          Chain.push_back(
              std::make_unique<CoverageConsumer>(Context, File.str(), *Stats));
        if (Facts)
          Chain.push_back(
              std::make_unique<FactsConsumer>(Context, File.str(), *Facts));
        return std::make_unique<MultiplexConsumer>(std::move(Chain));
      }

    private:
      ClangTidyContext &Context;
      ClangTidyASTConsumerFactory &Consumers;
      std::optional<concheck::model::Coverage> *Stats;
      FileResult *Facts;
    };
    ClangTidyContext &Context;
    ClangTidyASTConsumerFactory Consumers;
    std::optional<concheck::model::Coverage> *Stats;
    FileResult *Facts;
  };
  Factory F(Context, FS, Stats ? &Result.Stats : nullptr,
            Facts ? &Result : nullptr);
  Result.ToolFailed = Tool.run(&F) != 0;
  Result.Errors = Consumer.take();
  return Result;
}

} // namespace cli
} // namespace concheck
