//===--- ProjectFacts.h - What other translation units say ------*- C++ -*-===//
//
// Part of concheck. Whole-project facts: which functions defined in one
// translation unit are spawns, joins, or the lock and unlock of a wrapper,
// so that a call in another unit, which sees only a declaration, means the
// same. Functions are named by their USR (clang::index), the name that is
// the same in every unit that declares them.
//
// The concheck command gathers the facts while it checks (collectFacts),
// checks again the units whose calls the facts change, and keeps them in a
// cache beside the compile database (tool/cli/FactsCache). The plugin and
// concheck-clangd read that cache when they find it (ProjectFacts::near).
// A fact only fills in for a body the unit does not have: a definition in
// the unit always decides.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_PROJECTFACTS_H
#define CONCHECK_MODEL_PROJECTFACTS_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concheck::model {

class ModelContext;

/// What one function does for its callers, as far as other units need.
struct FunctionFacts {
  /// A spawn: the index of the callable parameter it runs on another
  /// thread.
  std::optional<unsigned> TaskParameter;
  /// A member function (or destructor) that waits until every task handed
  /// to its object has finished.
  bool JoinsTasks = false;
  /// A member function that locks its object (returns with a mutex member
  /// held) or unlocks it (releases one it did not take): a lock wrapper's
  /// Lock()/Unlock() whatever their names.
  enum LockEffect : uint8_t { NoLock, Locks, Unlocks };
  LockEffect Lock = NoLock;
  /// A member function that starts, on another thread, the callable its
  /// object keeps in this field (a thread class's start()).
  std::string StartsField;
  /// A constructor's callable parameters it keeps, by field name.
  llvm::SmallVector<std::pair<std::string, unsigned>, 1> Stores;

  bool empty() const {
    return !TaskParameter && !JoinsTasks && Lock == NoLock &&
           StartsField.empty() && Stores.empty();
  }
  friend bool operator==(const FunctionFacts &A, const FunctionFacts &B) {
    return A.TaskParameter == B.TaskParameter && A.JoinsTasks == B.JoinsTasks &&
           A.Lock == B.Lock && A.StartsField == B.StartsField &&
           A.Stores == B.Stores;
  }
  friend bool operator!=(const FunctionFacts &A, const FunctionFacts &B) {
    return !(A == B);
  }
  llvm::json::Value toJson() const;
  static std::optional<FunctionFacts> fromJson(const llvm::json::Value &V);
};

/// The USR of \p D, or an empty string when it has none.
std::string usrOf(const clang::Decl *D);

/// Facts by USR.
class ProjectFacts {
public:
  const FunctionFacts *find(llvm::StringRef USR) const {
    auto It = ByUSR.find(USR);
    return It == ByUSR.end() ? nullptr : &It->second;
  }
  void add(llvm::StringRef USR, const FunctionFacts &F) { ByUSR[USR] = F; }
  bool empty() const { return ByUSR.empty(); }
  size_t size() const { return ByUSR.size(); }
  const llvm::StringMap<FunctionFacts> &all() const { return ByUSR; }

  /// The facts the model reads for the translation unit of \p MainFile:
  /// those the concheck command installed for its run, or else those of
  /// the cache beside the nearest compile database above the file (read
  /// once per cache file and change), or none.
  static std::shared_ptr<const ProjectFacts> near(llvm::StringRef MainFile);
  /// The facts every translation unit of this process reads from now on
  /// (null: find them near each file again).
  static void install(std::shared_ptr<const ProjectFacts> Facts);

  /// The cache file that belongs to a compile database in \p BuildDir.
  static std::string cacheFileIn(llvm::StringRef BuildDir);

private:
  llvm::StringMap<FunctionFacts> ByUSR;
};

/// The facts one translation unit gives (its own definitions) and the ones
/// it could use (functions it calls without a body here).
struct UnitFacts {
  /// For the functions defined in the main file.
  std::vector<std::pair<std::string, FunctionFacts>> Defined;
  /// For each method of the main file that overrides a virtual one with a
  /// callable parameter: the USR of the method it overrides (directly or
  /// not) and its own task parameter, if it is a spawn. A virtual method
  /// is a spawn when every overrider in the project is one, with the same
  /// parameter (FactsCache::facts).
  std::vector<std::pair<std::string, std::optional<unsigned>>> Overrides;
  /// USRs of the functions its user code calls (or constructs, destroys)
  /// that have no body in the unit and are declared outside system headers.
  std::vector<std::string> Called;
};

/// The cache file the concheck command keeps beside a compile database:
/// per translation unit, the command it was compiled with, the files it
/// read with a hash of each one's contents (the entry holds while they are
/// unchanged), and its facts.
struct FactsCache {
  static constexpr int64_t Version = 1;
  struct Unit {
    std::string Command;
    std::vector<std::pair<std::string, uint64_t>> Files;
    UnitFacts Facts;
  };
  llvm::StringMap<Unit> Units; ///< by main file
  /// The concheck that wrote it: another build's facts may mean otherwise.
  std::string Tool;

  /// The union of every unit's facts, and a virtual method's when every
  /// overrider in the project is a spawn with the same task parameter.
  ProjectFacts facts() const;
  static std::optional<FactsCache> read(llvm::StringRef Path,
                                        std::string &Error);
  /// The file's text, its units in the order of their names.
  std::string toText() const;

private:
  std::vector<std::pair<llvm::StringRef, const Unit *>> sortedUnits() const;
};

/// The facts of \p Ctx's translation unit, as \p M sees it.
UnitFacts collectFacts(clang::ASTContext &Ctx, ModelContext &M);

/// The facts the model of one translation unit reads, looked up by
/// declaration (each USR computed once).
class FactsView {
public:
  explicit FactsView(std::shared_ptr<const ProjectFacts> Facts)
      : Facts(std::move(Facts)) {}
  /// The facts of \p FD, when the unit has no body for it.
  const FunctionFacts *of(const clang::FunctionDecl *FD) const;
  bool empty() const { return !Facts || Facts->empty(); }

private:
  std::shared_ptr<const ProjectFacts> Facts;
  mutable llvm::DenseMap<const clang::Decl *, const FunctionFacts *> Cache;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_PROJECTFACTS_H
