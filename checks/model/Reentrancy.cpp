//===--- Reentrancy.cpp - Which mutexes may be locked again ---------------===//

#include "Reentrancy.h"
#include "TranslationUnitState.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concheck::model {

/// Whether a mutex of type \p T may be locked again by its holder: a
/// recursive (reentrant) mutex by its name, or a class that keeps one.
static bool reentrantByType(QualType T, unsigned Depth = 0) {
  T = T.getNonReferenceType().getCanonicalType();
  const std::string Name = llvm::StringRef(T.getAsString()).lower();
  if (llvm::StringRef(Name).contains("recursive") ||
      llvm::StringRef(Name).contains("reentrant"))
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || Depth > 1)
    return false;
  for (const FieldDecl *F : RD->fields())
    if (reentrantByType(F->getType(), Depth + 1))
      return true;
  return false;
}

namespace {
/// Whether a statement names a recursive kind of mutex
/// (PTHREAD_MUTEX_RECURSIVE, PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP's
/// enumerator, C11's mtx_recursive).
struct NamesRecursiveKind : RecursiveASTVisitor<NamesRecursiveKind> {
  bool Found = false;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const auto *EC = dyn_cast<EnumConstantDecl>(E->getDecl());
    if (EC && llvm::StringRef(EC->getName()).contains_insensitive("recursive"))
      Found = true;
    return !Found;
  }
  static bool in(const Stmt *S) {
    NamesRecursiveKind V;
    V.TraverseStmt(const_cast<Stmt *>(S));
    return V.Found;
  }
};

/// The C mutexes the translation unit makes recursive: those a function
/// naming a recursive kind initializes (pthread_mutex_init, mtx_init), and
/// globals initialized with a recursive initializer.
struct RecursiveInits : RecursiveASTVisitor<RecursiveInits> {
  const SourceManager &SM;
  ReentrantCMutexes &Out;
  RecursiveInits(const SourceManager &SM, ReentrantCMutexes &Out)
      : SM(SM), Out(Out) {}
  bool inSystem(SourceLocation L) const {
    return SM.isInSystemHeader(SM.getExpansionLoc(L));
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody() || inSystem(FD->getLocation()) ||
        !NamesRecursiveKind::in(FD->getBody()))
      return true;
    struct Inits : RecursiveASTVisitor<Inits> {
      ReentrantCMutexes &Out;
      bool Any = false;
      explicit Inits(ReentrantCMutexes &Out) : Out(Out) {}
      bool VisitCallExpr(CallExpr *C) {
        const FunctionDecl *Callee = C->getDirectCallee();
        if (!Callee || !Callee->getIdentifier() || C->getNumArgs() == 0 ||
            (Callee->getName() != "pthread_mutex_init" &&
             Callee->getName() != "mtx_init"))
          return true;
        Any = true;
        std::optional<AccessPath> M = AccessPath::ofObject(C->getArg(0));
        const auto *VD = M ? dyn_cast_or_null<VarDecl>(M->root()) : nullptr;
        if (M && (M->isThisRooted() || (VD && VD->hasGlobalStorage())))
          Out.Paths.insert(M->str());
        else
          Out.Unknown = true;
        return true;
      }
    } I(Out);
    I.TraverseStmt(FD->getBody());
    if (!I.Any)
      Out.Unknown = true; // the kind is handed to some other initializer
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasGlobalStorage() && VD->getInit() &&
        !inSystem(VD->getLocation()) && NamesRecursiveKind::in(VD->getInit()))
      Out.Paths.insert(AccessPath::ofDecl(VD).str());
    return true;
  }
};
} // namespace

bool mayBeReentrant(QualType T, const AccessPath &Mutex,
                    const ASTContext &Ctx) {
  if (T.isNull())
    return false;
  TranslationUnitState &State = TranslationUnitState::of(Ctx);
  if (!State.Reentrant) {
    State.Reentrant = std::make_unique<ReentrantCMutexes>();
    RecursiveInits V(Ctx.getSourceManager(), *State.Reentrant);
    V.TraverseDecl(const_cast<ASTContext &>(Ctx).getTranslationUnitDecl());
  }
  ReentrantCMutexes &R = *State.Reentrant;
  const Type *Key = T.getCanonicalType().getTypePtr();
  auto [It, New] = R.ByType.try_emplace(Key, ReentrantCMutexes::Plain);
  if (New) {
    // A pthread or C11 mutex is recursive when its attributes say so.
    const std::string Name = T.getAsString();
    if (reentrantByType(T))
      It->second = ReentrantCMutexes::Recursive;
    else if (llvm::StringRef(Name).contains("pthread_mutex_t") ||
             llvm::StringRef(Name).contains("mtx_t"))
      It->second = ReentrantCMutexes::CMutex;
  }
  switch (It->second) {
  case ReentrantCMutexes::Plain:
    return false;
  case ReentrantCMutexes::Recursive:
    return true;
  case ReentrantCMutexes::CMutex:
    return R.Unknown || R.Paths.count(Mutex.str());
  }
  return false;
}

} // namespace concheck::model
