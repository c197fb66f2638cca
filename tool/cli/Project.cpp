//===--- Project.cpp - from the command line's paths to translation units -===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Project.h"
#include "clang/Driver/Types.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <set>

using namespace llvm;
namespace tooling = clang::tooling;

namespace concheck {
namespace cli {

/// The language the compiler driver gives a file by its extension.
static clang::driver::types::ID typeOf(StringRef Path) {
  StringRef Ext = sys::path::extension(Path);
  return Ext.empty()
             ? clang::driver::types::TY_INVALID
             : clang::driver::types::lookupTypeForExtension(Ext.drop_front());
}

static bool isCxxSource(StringRef Path) {
  return typeOf(Path) == clang::driver::types::TY_CXX;
}

static bool isCSource(StringRef Path) {
  return typeOf(Path) == clang::driver::types::TY_C;
}

/// A header: C++ to concheck when given on the command line with no
/// database (the compiler would take a .h for C). The driver's header
/// types, and the extensions template implementations are kept in, which
/// the driver does not know.
static bool isHeader(StringRef Path) {
  clang::driver::types::ID T = typeOf(Path);
  if (T != clang::driver::types::TY_INVALID)
    return clang::driver::types::onlyPrecompileType(T);
  StringRef Ext = sys::path::extension(Path);
  return Ext == ".inl" || Ext == ".ipp" || Ext == ".tcc";
}

bool isSourceOrHeader(StringRef Path) {
  return isCxxSource(Path) || isCSource(Path) || isHeader(Path);
}

static bool isUnder(StringRef File, StringRef Dir) {
  if (!File.starts_with(Dir))
    return false;
  return File.size() > Dir.size() &&
         (sys::path::is_separator(File[Dir.size()]) ||
          sys::path::is_separator(Dir.back()));
}

std::string runtimeIncludeDir() {
  static int Anchor;
  std::string Exe = sys::fs::getMainExecutable("concheck", &Anchor);
  if (!Exe.empty()) {
    SmallString<256> Installed(sys::path::parent_path(Exe));
    sys::path::append(Installed, CONCHECK_RUNTIME_INCLUDE_DIR_FROM_BIN);
    sys::path::remove_dots(Installed, /*remove_dot_dot=*/true);
    SmallString<256> Probe(Installed);
    sys::path::append(Probe, "concheck", "wait_group.h");
    if (sys::fs::exists(Probe))
      return std::string(Installed);
  }
  return CONCHECK_RUNTIME_INCLUDE_DIR;
}

/// LLVM's JSON syntax error ("[2:11, byte=32]: Invalid JSON value") as
/// "line 2, column 11: invalid JSON value".
static std::string jsonSyntaxError(StringRef Message) {
  unsigned Line = 0, Column = 0;
  if (Message.consume_front("[")) {
    auto [Where, Rest] = Message.split("]: ");
    auto [L, C] = Where.split(',').first.split(':');
    if (!L.getAsInteger(10, Line) && !C.getAsInteger(10, Column))
      Message = Rest;
  }
  std::string Why = Message.trim().str();
  if (!Why.empty())
    Why[0] = toLower(Why[0]);
  if (!Line)
    return Why;
  return formatv("line {0}, column {1}: {2}", Line, Column, Why).str();
}

/// Loads DbFile, or explains in one line why it cannot be used.
static std::unique_ptr<tooling::CompilationDatabase>
loadDatabase(StringRef DbFile, std::string &Error) {
  uint64_t Size = 0;
  if (!sys::fs::file_size(DbFile, Size) && Size == 0) {
    Error = "the file is empty";
    return nullptr;
  }
  std::string Message;
  auto Db = tooling::JSONCompilationDatabase::loadFromFile(
      DbFile, Message, tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Db) {
    // Clang's loader says what is wrong in its own words ("Expected
    // array."), with no position: a syntax error is placed by LLVM's JSON
    // parser, and the rest is said in concheck's style.
    if (auto Buffer = MemoryBuffer::getFile(DbFile, /*IsText=*/true)) {
      llvm::Expected<json::Value> Parsed = json::parse((*Buffer)->getBuffer());
      if (!Parsed) {
        Error = "not JSON: " + jsonSyntaxError(toString(Parsed.takeError()));
        return nullptr;
      }
      if (!Parsed->getAsArray()) {
        Error = "not a compile database: expected an array of compile "
                "commands";
        return nullptr;
      }
    }
    std::string Why = StringRef(Message).split('\n').first.trim().str();
    if (!Why.empty()) {
      Why[0] = toLower(Why[0]);
      if (StringRef(Why).ends_with("."))
        Why.pop_back();
    }
    Error = "not a compile database" + (Why.empty() ? "" : ": " + Why);
    return nullptr;
  }
  if (Db->getAllCompileCommands().empty()) {
    Error = "no compile commands in it";
    return nullptr;
  }
  return Db;
}

/// Whether database \p Db has a command for one of \p Inputs (absolute
/// paths, each with whether it is a directory): an entry under a directory,
/// or for a file the file itself or a neighbour in its directory (from
/// which its command is inferred).
static bool listsAny(const tooling::CompilationDatabase &Db,
                     ArrayRef<std::pair<std::string, bool>> Inputs) {
  for (const std::string &F : Db.getAllFiles()) {
    const std::string Abs = absolutePath(F);
    for (const auto &[Input, IsDir] : Inputs)
      if (IsDir ? isUnder(Abs, Input)
                : Abs == Input || sys::path::parent_path(Abs) ==
                                      sys::path::parent_path(Input))
        return true;
  }
  return false;
}

namespace {
/// What the search for a compile database found.
struct FoundDatabase {
  std::string File; ///< the database used, or empty
  std::unique_ptr<tooling::CompilationDatabase> Db;
  std::string Error;     ///< why File could not be used
  std::string Unlisting; ///< a build/ database passed over: it lists none
};
} // namespace

/// The compile database for \p Inputs, looked for as clangd does: in \p Dir
/// and each directory above it, its own compile_commands.json, else the one
/// in its build/ directory. One beside the sources is the project's; one in
/// build/ may be the build of another part of the tree, and counts only
/// when it lists the inputs.
static FoundDatabase
findDatabase(StringRef Dir, ArrayRef<std::pair<std::string, bool>> Inputs) {
  FoundDatabase Found;
  for (SmallString<256> D(Dir); !D.empty(); D = sys::path::parent_path(D)) {
    SmallString<256> Candidate(D);
    sys::path::append(Candidate, "compile_commands.json");
    if (sys::fs::is_regular_file(Candidate)) {
      Found.File = std::string(Candidate);
      Found.Db = loadDatabase(Found.File, Found.Error);
      return Found;
    }
    Candidate = D;
    sys::path::append(Candidate, "build", "compile_commands.json");
    if (sys::fs::is_regular_file(Candidate)) {
      std::string Error;
      std::unique_ptr<tooling::CompilationDatabase> Db =
          loadDatabase(Candidate, Error);
      if (!Db || listsAny(*Db, Inputs)) {
        Found.File = std::string(Candidate);
        Found.Db = std::move(Db);
        Found.Error = std::move(Error);
        return Found;
      }
      if (Found.Unlisting.empty())
        Found.Unlisting = std::string(Candidate);
    }
    if (sys::path::parent_path(D) == D)
      break;
  }
  return Found;
}

Project loadProject(const ProjectOptions &Options) {
  Project P;
  std::unique_ptr<tooling::CompilationDatabase> Db;

  // Inputs first: the database search starts from them.
  std::vector<std::pair<std::string, bool>> Inputs; // absolute, is directory
  for (const std::string &Path : Options.Paths) {
    std::string Abs = absolutePath(Path);
    sys::fs::file_status Status;
    if (std::error_code EC = sys::fs::status(Abs, Status)) {
      P.Errors.push_back({Path, describe(EC)});
      continue;
    }
    bool IsDir = sys::fs::is_directory(Status);
    if (!IsDir && !sys::fs::is_regular_file(Status)) {
      P.Errors.push_back({Path, "not a regular file"});
      continue;
    }
    Inputs.emplace_back(Abs, IsDir);
  }

  FoundDatabase Found;
  if (!Options.BuildPath.empty()) {
    // -p names the build directory itself: no search of its parents, whose
    // databases would describe another build.
    SmallString<256> Candidate(absolutePath(Options.BuildPath));
    sys::path::append(Candidate, "compile_commands.json");
    if (!sys::fs::exists(Candidate)) {
      P.Errors.push_back(
          {Options.BuildPath, "no compile_commands.json in this directory"});
    } else {
      Found.File = std::string(Candidate);
      Found.Db = loadDatabase(Found.File, Found.Error);
    }
  } else if (!Options.NoDatabase && !Inputs.empty()) {
    StringRef First = Inputs.front().first;
    Found = findDatabase(
        Inputs.front().second ? First : sys::path::parent_path(First), Inputs);
  }
  const std::string &DbFile = Found.File;
  if (Found.Db) {
    Db = std::move(Found.Db);
    P.DatabaseFile = DbFile;
  } else if (!DbFile.empty()) {
    P.Errors.push_back({DbFile, Found.Error});
  }

  std::string Runtime = runtimeIncludeDir();
  // Without a database: the default flags, said in a note once the files
  // are known (C sources get C's).
  std::optional<std::string> DefaultsNote;
  const bool Defaults = !Db;
  if (!Db) {
    std::vector<std::string> Flags = {"-std=c++20", "-I" + Runtime};
    Flags.insert(Flags.end(), Options.ExtraFlags.begin(),
                 Options.ExtraFlags.end());
    // Said after '--' too: the defaults come before the flags given.
    std::string Shown;
    for (const std::string &F : Flags)
      Shown += (Shown.empty() ? "" : " ") + F;
    const bool Searched = !Options.NoDatabase && Options.BuildPath.empty();
    std::string NotFound;
    if (Searched && DbFile.empty() && Found.Unlisting.empty())
      NotFound = "no compile_commands.json found (give its directory with "
                 "-p); ";
    else if (Searched && DbFile.empty()) {
      SmallString<256> Cwd;
      sys::fs::current_path(Cwd);
      NotFound = "no compile_commands.json found that lists these files ('" +
                 displayPath(Found.Unlisting, Cwd) +
                 "' lists none of them; give the database's directory with "
                 "-p); ";
    }
    DefaultsNote = NotFound + "checking with the default flags: " + Shown;
    Db = std::make_unique<tooling::FixedCompilationDatabase>(".", Flags);
  } else {
    // Headers and new files get a command interpolated from their
    // neighbours', as clangd does.
    Db = tooling::inferMissingCompileCommands(std::move(Db));
  }

  auto Adjusted =
      std::make_unique<tooling::ArgumentsAdjustingCompilations>(std::move(Db));
  // concheck is not installed beside clang's builtin headers: point the
  // compiler at LLVM's resource directory unless the command already does.
  Adjusted->appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, StringRef) {
        for (const std::string &A : Args)
          if (StringRef(A).starts_with("-resource-dir"))
            return Args;
        tooling::CommandLineArguments Out = Args;
        Out.insert(Out.begin() + (Out.empty() ? 0 : 1),
                   "-resource-dir=" CONCHECK_CLANG_RESOURCE_DIR);
        return Out;
      });
  // Without carets the compiler prints no "N warnings generated." lines of
  // its own; concheck's report prints the carets.
  Adjusted->appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, StringRef) {
        tooling::CommandLineArguments Out = Args;
        Out.insert(Out.begin() + (Out.empty() ? 0 : 1), "-fno-caret-diagnostics");
        return Out;
      });
  if (Defaults)
    // The defaults are C++'s: a C source gets C's (-std=gnu17, no C++
    // runtime), a header is C++ (the compiler would take a .h for C).
    Adjusted->appendArgumentsAdjuster(
        [Runtime](const tooling::CommandLineArguments &Args, StringRef File) {
          tooling::CommandLineArguments Out;
          if (isCSource(File)) {
            for (const std::string &A : Args)
              if (A == "-std=c++20")
                Out.push_back("-std=gnu17");
              else if (A != "-I" + Runtime)
                Out.push_back(A);
            return Out;
          }
          Out = Args;
          if (isHeader(File))
            Out.insert(Out.begin() + (Out.empty() ? 0 : 1), "-xc++-header");
          return Out;
        });
  Adjusted->appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  if (!P.DatabaseFile.empty() && !Options.ExtraFlags.empty())
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        Options.ExtraFlags, tooling::ArgumentInsertPosition::END));

  // The files: each path given; a directory expands to the database's
  // entries under it, or without a database to the C++ sources under it.
  std::vector<std::string> DbFiles;
  if (!P.DatabaseFile.empty()) {
    for (const std::string &F : Adjusted->getAllFiles())
      DbFiles.push_back(absolutePath(F));
    llvm::sort(DbFiles);
  }
  std::vector<std::string> Files;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    const std::string &Abs = Inputs[I].first;
    if (!Inputs[I].second) {
      Files.push_back(Abs);
      continue;
    }
    std::vector<std::string> Found;
    if (!P.DatabaseFile.empty()) {
      for (const std::string &F : DbFiles)
        if (isUnder(F, Abs))
          Found.push_back(F);
      if (Found.empty())
        P.Errors.push_back(
            {Abs, "no entries of '" + P.DatabaseFile + "' under this directory"});
    } else {
      std::error_code EC;
      for (sys::fs::recursive_directory_iterator It(Abs, EC), End;
           It != End && !EC; It.increment(EC)) {
        if (sys::path::filename(It->path()).starts_with(".")) {
          It.no_push(); // .git, .cache, ...
          continue;
        }
        if (isCxxSource(It->path()) || isCSource(It->path()))
          Found.push_back(It->path());
      }
      if (EC)
        P.Errors.push_back({Abs, describe(EC)});
      else if (Found.empty())
        P.Errors.push_back({Abs, "no C or C++ sources in this directory"});
      llvm::sort(Found);
    }
    Files.insert(Files.end(), Found.begin(), Found.end());
  }
  // One run per file even when it is named twice.
  std::set<std::string> Seen;
  for (std::string &F : Files)
    if (Seen.insert(F).second)
      P.Files.push_back(std::move(F));
  if (DefaultsNote && !P.Files.empty())
    P.Notes.push_back(*DefaultsNote + (llvm::any_of(P.Files, isCSource)
                                           ? " (C sources: -std=gnu17)"
                                           : ""));
  P.Database = std::move(Adjusted);
  return P;
}

std::string problemWith(StringRef File,
                        const tooling::CompilationDatabase &Database) {
  auto Buffer = MemoryBuffer::getFile(File, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return describe(Buffer.getError());
  // A NUL in the first block: an object file or image named like source.
  if ((*Buffer)->getBuffer().take_front(8192).contains('\0'))
    return "a binary file, not C++ source";
  for (const tooling::CompileCommand &C : Database.getCompileCommands(File))
    if (!C.Directory.empty() && !sys::fs::is_directory(C.Directory))
      return "the directory of its compile command does not exist: '" +
             C.Directory + "'";
  return "";
}

void selectShard(std::vector<std::string> &Files, unsigned K, unsigned N) {
  std::vector<std::string> Kept;
  for (size_t I = K - 1; I < Files.size(); I += N)
    Kept.push_back(std::move(Files[I]));
  Files = std::move(Kept);
}

} // namespace cli
} // namespace concheck
