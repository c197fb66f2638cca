//===--- ProjectFacts.cpp - What other translation units say --------------===//

#include "ProjectFacts.h"
#include "ModelContext.h"
#include "SpawnModel.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <mutex>

using namespace clang;

namespace concheck::model {

llvm::json::Value FunctionFacts::toJson() const {
  llvm::json::Object O;
  if (TaskParameter)
    O["task"] = int64_t(*TaskParameter);
  if (JoinsTasks)
    O["joins"] = true;
  if (Lock != NoLock)
    O["lock"] = Lock == Locks ? "lock" : "unlock";
  if (!StartsField.empty())
    O["starts"] = StartsField;
  if (!Stores.empty()) {
    llvm::json::Object S;
    for (const auto &[Field, Param] : Stores)
      S[Field] = int64_t(Param);
    O["stores"] = std::move(S);
  }
  return O;
}

std::optional<FunctionFacts>
FunctionFacts::fromJson(const llvm::json::Value &V) {
  const llvm::json::Object *O = V.getAsObject();
  if (!O)
    return std::nullopt;
  FunctionFacts F;
  if (const llvm::json::Value *T = O->get("task")) {
    std::optional<int64_t> I = T->getAsInteger();
    if (!I || *I < 0)
      return std::nullopt;
    F.TaskParameter = unsigned(*I);
  }
  if (std::optional<bool> J = O->getBoolean("joins"))
    F.JoinsTasks = *J;
  if (std::optional<llvm::StringRef> L = O->getString("lock")) {
    if (*L == "lock")
      F.Lock = Locks;
    else if (*L == "unlock")
      F.Lock = Unlocks;
    else
      return std::nullopt;
  }
  if (std::optional<llvm::StringRef> S = O->getString("starts"))
    F.StartsField = S->str();
  if (const llvm::json::Object *S = O->getObject("stores")) {
    for (const auto &[Field, Param] : *S) {
      std::optional<int64_t> I = Param.getAsInteger();
      if (!I || *I < 0)
        return std::nullopt;
      F.Stores.emplace_back(Field.str(), unsigned(*I));
    }
    llvm::sort(F.Stores);
  }
  return F;
}

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (!D || index::generateUSRForDecl(D, Buf))
    return {};
  return std::string(Buf);
}

//===--- Facts near a file ------------------------------------------------===//

namespace {
struct Registry {
  std::mutex M;
  bool Installed = false;
  std::shared_ptr<const ProjectFacts> Facts;
  /// Caches read, by path, with the status they were read at.
  struct Read {
    llvm::sys::TimePoint<> Modified;
    uint64_t Size = 0;
    std::shared_ptr<const ProjectFacts> Facts;
  };
  llvm::StringMap<Read> Files;
  /// The cache file found for a directory ("" for none).
  llvm::StringMap<std::string> ForDir;
};
Registry &registry() {
  static Registry R;
  return R;
}
} // namespace

void ProjectFacts::install(std::shared_ptr<const ProjectFacts> Facts) {
  Registry &R = registry();
  std::lock_guard<std::mutex> Lock(R.M);
  R.Installed = Facts != nullptr;
  R.Facts = std::move(Facts);
}

std::string ProjectFacts::cacheFileIn(llvm::StringRef BuildDir) {
  llvm::SmallString<256> P(BuildDir);
  llvm::sys::path::append(P, ".cache", "concheck", "facts.json");
  return std::string(P);
}

/// The cache beside the compile database that clangd would find for a file
/// in \p Dir: in Dir or its build/ folder, or in a folder above.
static std::string findCache(llvm::StringRef Dir) {
  for (llvm::StringRef D = Dir; !D.empty();
       D = llvm::sys::path::parent_path(D)) {
    for (llvm::StringRef Sub : {"", "build"}) {
      llvm::SmallString<256> Db(D);
      llvm::sys::path::append(Db, Sub, "compile_commands.json");
      if (llvm::sys::fs::exists(Db))
        return ProjectFacts::cacheFileIn(llvm::sys::path::parent_path(Db));
    }
  }
  return {};
}

std::shared_ptr<const ProjectFacts>
ProjectFacts::near(llvm::StringRef MainFile) {
  Registry &R = registry();
  std::lock_guard<std::mutex> Lock(R.M);
  if (R.Installed)
    return R.Facts;
  llvm::SmallString<256> Abs(MainFile);
  llvm::sys::fs::make_absolute(Abs);
  llvm::StringRef Dir = llvm::sys::path::parent_path(Abs);
  auto [DirIt, NewDir] = R.ForDir.try_emplace(Dir);
  if (NewDir)
    DirIt->second = findCache(Dir);
  const std::string &Cache = DirIt->second;
  llvm::sys::fs::file_status Status;
  if (Cache.empty() || llvm::sys::fs::status(Cache, Status))
    return nullptr;
  Registry::Read &Entry = R.Files[Cache];
  if (Entry.Facts && Entry.Modified == Status.getLastModificationTime() &&
      Entry.Size == Status.getSize())
    return Entry.Facts;
  std::string Error;
  std::optional<FactsCache> Read = FactsCache::read(Cache, Error);
  // An unreadable cache is no facts: the editor goes on without them.
  auto Facts =
      std::make_shared<ProjectFacts>(Read ? Read->facts() : ProjectFacts());
  Entry = {Status.getLastModificationTime(), Status.getSize(), Facts};
  return Facts;
}

//===--- The cache file ---------------------------------------------------===//

ProjectFacts FactsCache::facts() const {
  ProjectFacts Out;
  // A virtual method's overriders, from every unit: the task parameter
  // they share, or none when one is no spawn or they differ.
  llvm::StringMap<std::optional<unsigned>> Virtual;
  for (const auto &U : Units) {
    for (const auto &[USR, F] : U.second.Facts.Defined)
      Out.add(USR, F);
    for (const auto &[Base, Task] : U.second.Facts.Overrides) {
      auto [It, New] = Virtual.try_emplace(Base, Task);
      if (!New && It->second != Task)
        It->second = std::nullopt;
    }
  }
  for (const auto &V : Virtual)
    if (V.second && !Out.find(V.first())) {
      FunctionFacts F;
      F.TaskParameter = V.second;
      Out.add(V.first(), F);
    }
  return Out;
}

std::optional<FactsCache> FactsCache::read(llvm::StringRef Path,
                                           std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Error = Buffer.getError().message();
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> V =
      llvm::json::parse((*Buffer)->getBuffer());
  if (!V) {
    Error = llvm::toString(V.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *Top = V->getAsObject();
  if (!Top || Top->getInteger("version") != Version) {
    Error = "not a concheck facts cache of this version";
    return std::nullopt;
  }
  FactsCache Out;
  if (std::optional<llvm::StringRef> Tool = Top->getString("tool"))
    Out.Tool = Tool->str();
  // Every file read, once: [path, hash of its contents]; units name them by
  // their index.
  std::vector<std::pair<std::string, uint64_t>> Table;
  if (const llvm::json::Array *Files = Top->getArray("files"))
    for (const llvm::json::Value &F : *Files) {
      const llvm::json::Array *Pair = F.getAsArray();
      std::optional<llvm::StringRef> Name =
          Pair && Pair->size() == 2 ? (*Pair)[0].getAsString() : std::nullopt;
      std::optional<llvm::StringRef> Hash =
          Pair && Pair->size() == 2 ? (*Pair)[1].getAsString() : std::nullopt;
      uint64_t H = 0;
      if (!Name || !Hash || Hash->getAsInteger(16, H)) {
        Error = "a malformed file entry";
        return std::nullopt;
      }
      Table.emplace_back(Name->str(), H);
    }
  const llvm::json::Object *Units = Top->getObject("units");
  if (!Units) {
    Error = "no 'units'";
    return std::nullopt;
  }
  for (const auto &[File, UV] : *Units) {
    const llvm::json::Object *U = UV.getAsObject();
    if (!U) {
      Error = "a unit that is not an object";
      return std::nullopt;
    }
    Unit &Into = Out.Units[File.str()];
    if (std::optional<llvm::StringRef> K = U->getString("command"))
      Into.Command = K->str();
    if (const llvm::json::Array *Files = U->getArray("files"))
      for (const llvm::json::Value &F : *Files) {
        std::optional<int64_t> I = F.getAsInteger();
        if (!I || *I < 0 || size_t(*I) >= Table.size()) {
          Error = "a malformed file entry";
          return std::nullopt;
        }
        Into.Files.push_back(Table[*I]);
      }
    if (const llvm::json::Object *Defined = U->getObject("defined"))
      for (const auto &[USR, FV] : *Defined) {
        std::optional<FunctionFacts> F = FunctionFacts::fromJson(FV);
        if (!F) {
          Error = "a malformed fact";
          return std::nullopt;
        }
        Into.Facts.Defined.emplace_back(USR.str(), *F);
      }
    if (const llvm::json::Array *Overrides = U->getArray("overrides"))
      for (const llvm::json::Value &O : *Overrides) {
        const llvm::json::Array *Pair = O.getAsArray();
        std::optional<llvm::StringRef> Base =
            Pair && Pair->size() == 2 ? (*Pair)[0].getAsString() : std::nullopt;
        std::optional<int64_t> Task = Pair && Pair->size() == 2
                                          ? (*Pair)[1].getAsInteger()
                                          : std::nullopt;
        if (!Base || !Task) {
          Error = "a malformed override";
          return std::nullopt;
        }
        Into.Facts.Overrides.emplace_back(
            Base->str(), *Task < 0 ? std::nullopt
                                   : std::optional<unsigned>(unsigned(*Task)));
      }
    if (const llvm::json::Array *Called = U->getArray("called"))
      for (const llvm::json::Value &C : *Called)
        if (std::optional<llvm::StringRef> S = C.getAsString())
          Into.Facts.Called.push_back(S->str());
  }
  return Out;
}

std::string FactsCache::toText() const {
  llvm::json::Object Units;
  llvm::json::Array Table;
  llvm::StringMap<int64_t> Index;
  for (const auto &U : sortedUnits()) {
    llvm::json::Object O;
    O["command"] = U.second->Command;
    llvm::json::Array Files;
    for (const auto &[Name, Hash] : U.second->Files) {
      auto [It, New] = Index.try_emplace(Name, int64_t(Table.size()));
      if (New)
        Table.push_back(llvm::json::Array{Name, llvm::utohexstr(Hash)});
      Files.push_back(It->second);
    }
    O["files"] = std::move(Files);
    llvm::json::Object Defined;
    for (const auto &[USR, F] : U.second->Facts.Defined)
      Defined[USR] = F.toJson();
    O["defined"] = std::move(Defined);
    llvm::json::Array Overrides;
    for (const auto &[Base, Task] : U.second->Facts.Overrides)
      Overrides.push_back(
          llvm::json::Array{Base, Task ? int64_t(*Task) : int64_t(-1)});
    O["overrides"] = std::move(Overrides);
    llvm::json::Array Called;
    for (const std::string &C : U.second->Facts.Called)
      Called.push_back(C);
    O["called"] = std::move(Called);
    Units[U.first] = std::move(O);
  }
  llvm::json::Object Top{{"version", Version},
                         {"tool", Tool},
                         {"files", std::move(Table)},
                         {"units", std::move(Units)}};
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << llvm::json::Value(std::move(Top)) << "\n";
  return Text;
}

std::vector<std::pair<llvm::StringRef, const FactsCache::Unit *>>
FactsCache::sortedUnits() const {
  std::vector<std::pair<llvm::StringRef, const Unit *>> Out;
  for (const auto &U : Units)
    Out.emplace_back(U.first(), &U.second);
  llvm::sort(Out,
             [](const auto &A, const auto &B) { return A.first < B.first; });
  return Out;
}

//===--- Gathering a unit's facts -----------------------------------------===//

namespace {
/// In one walk of user code: the function definitions of the main file, and
/// the functions called (constructed, destroyed) with no body in the unit
/// that a fact could be about (declared outside system headers).
class FactsFinder : public RecursiveASTVisitor<FactsFinder> {
public:
  explicit FactsFinder(const SourceManager &SM) : SM(SM) {}

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      Defined.push_back(FD);
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    note(C->getDirectCallee());
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    const CXXConstructorDecl *Ctor = C->getConstructor();
    note(Ctor);
    // Its end of scope runs the destructor (a pool joining its workers).
    if (Ctor)
      if (const CXXRecordDecl *RD = Ctor->getParent())
        if (RD->hasDefinition())
          note(RD->getDefinition()->getDestructor());
    return true;
  }

  std::vector<const FunctionDecl *> Defined;
  llvm::SetVector<const FunctionDecl *> Called;

private:
  void note(const FunctionDecl *FD) {
    if (!FD)
      return;
    FD = FD->getCanonicalDecl();
    // Facts are about spawns (a callable parameter) and members (joins,
    // a wrapper's lock and unlock).
    if (FD->isDefined() || FD->isInStdNamespace() || FD->getBuiltinID() ||
        (!isa<CXXMethodDecl>(FD) && !hasCallableParameter(FD)) ||
        SM.isInSystemHeader(FD->getLocation()))
      return;
    Called.insert(FD);
  }
  const SourceManager &SM;
};
} // namespace

/// Whether every lock in \p Set is a member of the object (this->mu_).
static bool onlyMembers(const LockSet &Set) {
  if (Set.empty())
    return false;
  for (const HeldLock &L : Set.locks())
    if (!L.Mutex.isThisRooted() || L.Mutex.steps().empty())
      return false;
  return true;
}

UnitFacts collectFacts(ASTContext &Ctx, ModelContext &M) {
  UnitFacts Out;
  const SourceManager &SM = Ctx.getSourceManager();
  FactsFinder Find(SM);
  for (Decl *D : Ctx.getTraversalScope())
    Find.TraverseDecl(D);
  for (const FunctionDecl *FD : Find.Defined) {
    FunctionFacts F;
    F.TaskParameter = M.spawns().inferredTaskParameter(FD, Ctx);
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (MD && MD->isInstance() && !MD->getParent()->isLambda()) {
      F.JoinsTasks = M.spawns().joinsSubmitted(MD, Ctx);
      if (std::optional<std::string> Field = M.spawns().startedField(MD, Ctx))
        F.StartsField = std::move(*Field);
      if (const auto *C = dyn_cast<CXXConstructorDecl>(MD)) {
        // Only what a member function of the class starts: other units'
        // calls of the constructor mean nothing more otherwise.
        llvm::SmallVector<std::pair<std::string, unsigned>, 2> Stored;
        SpawnModel::storedCallables(C, nullptr, Stored);
        for (auto &Kept : Stored)
          if (llvm::any_of(MD->getParent()->methods(),
                           [&](const CXXMethodDecl *Other) {
                             std::optional<std::string> Started =
                                 M.spawns().startedField(Other, Ctx);
                             return Started && *Started == Kept.first;
                           }))
            F.Stores.push_back(std::move(Kept));
        llvm::sort(F.Stores);
      }
      // A lock wrapper's method locks a mutex member of its object: only a
      // class with one needs the (costly) summary.
      const CXXRecordDecl *RD = MD->getParent();
      bool HasMutex = llvm::any_of(RD->fields(), [&](const FieldDecl *Field) {
        return M.locks().isMutexType(Field->getType());
      });
      if (HasMutex && !isa<CXXConstructorDecl, CXXDestructorDecl>(MD) &&
          !M.locks().isGuardRecord(RD) && !M.locks().isGuardShaped(RD))
        if (const FunctionSummary *S = M.summaries().summaryOf(FD)) {
          if (onlyMembers(S->HeldOnReturn) && S->ReleasedUnheld.empty())
            F.Lock = FunctionFacts::Locks;
          else if (onlyMembers(S->ReleasedUnheld) && S->HeldOnReturn.empty())
            F.Lock = FunctionFacts::Unlocks;
        }
    }
    // An implementation of a virtual spawn function (Env::Schedule): what
    // it is, under the name callers use.
    if (MD && MD->isVirtual())
      forEachOverridden(MD, [&](const CXXMethodDecl *Base) {
        if (!hasCallableParameter(Base))
          return;
        if (std::string BaseUSR = usrOf(Base); !BaseUSR.empty())
          Out.Overrides.emplace_back(std::move(BaseUSR), F.TaskParameter);
      });
    if (F.empty())
      continue;
    std::string USR = usrOf(FD);
    if (!USR.empty())
      Out.Defined.emplace_back(std::move(USR), F);
  }
  for (const FunctionDecl *FD : Find.Called) {
    std::string USR = usrOf(FD);
    if (!USR.empty())
      Out.Called.push_back(std::move(USR));
  }
  llvm::sort(Out.Called);
  Out.Called.erase(std::unique(Out.Called.begin(), Out.Called.end()),
                   Out.Called.end());
  return Out;
}

const FunctionFacts *FactsView::of(const FunctionDecl *FD) const {
  if (!FD || empty())
    return nullptr;
  FD = FD->getCanonicalDecl();
  auto [It, Inserted] = Cache.try_emplace(FD, nullptr);
  if (!Inserted)
    return It->second;
  const FunctionFacts *F = nullptr;
  if (!FD->isDefined())
    if (std::string USR = usrOf(FD); !USR.empty())
      F = Facts->find(USR);
  Cache[FD] = F;
  return F;
}

} // namespace concheck::model
