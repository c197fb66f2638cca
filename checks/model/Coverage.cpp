//===--- Coverage.cpp - What the model saw in a translation unit ----------===//

#include "Coverage.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtOpenMP.h"
#include "clang/Basic/OpenMPKinds.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace concheck::model {

unsigned Coverage::total(const std::map<std::string, unsigned> &M) {
  unsigned N = 0;
  for (const auto &[Name, Count] : M)
    N += Count;
  return N;
}

unsigned Coverage::spawnCount() const {
  unsigned N = 0;
  for (const auto &[Kind, Names] : Spawns)
    N += total(Names);
  return N;
}

void Coverage::merge(const Coverage &Other) {
  for (const auto &[Kind, Names] : Other.Spawns)
    for (const auto &[Name, Count] : Names)
      Spawns[Kind][Name] += Count;
  for (const auto &[Name, Count] : Other.Joins)
    Joins[Name] += Count;
  for (const auto &[Name, Count] : Other.Mutexes)
    Mutexes[Name] += Count;
  for (const auto &[Name, Count] : Other.Guards)
    Guards[Name] += Count;
  Sites.insert(Other.Sites.begin(), Other.Sites.end());
}

static llvm::json::Object toObject(const std::map<std::string, unsigned> &M) {
  llvm::json::Object O;
  for (const auto &[Name, Count] : M)
    O[Name] = Count;
  return O;
}

llvm::json::Value Coverage::toJson() const {
  llvm::json::Object S;
  for (const auto &[Kind, Names] : Spawns)
    S[Kind] = toObject(Names);
  return llvm::json::Object{{"task_starts", std::move(S)},
                            {"joins", toObject(Joins)},
                            {"mutexes", toObject(Mutexes)},
                            {"guards", toObject(Guards)}};
}

/// The name a user would look for: qualified, without template arguments.
static std::string nameOf(const NamedDecl *D) {
  return D ? withoutTemplateArguments(qualifiedName(D)) : std::string("?");
}

static std::string typeName(QualType T) {
  if (const CXXRecordDecl *RD = recordOf(T, /*ThroughPointer=*/true))
    return nameOf(RD);
  if (T->isPointerType())
    T = T->getPointeeType();
  return T.getUnqualifiedType().getAsString();
}

static QualType mutexType(const LockOp &Op) {
  return Op.MutexType.isNull() ? Op.MutexExpr->getType() : Op.MutexType;
}

namespace {
class Collector : public RecursiveASTVisitor<Collector> {
public:
  Collector(ASTContext &Ctx, ModelContext &M, bool WithSites)
      : Ctx(Ctx), M(M), WithSites(WithSites) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // Only the main file's code; the translation unit itself is entered.
    if (!isa<TranslationUnitDecl>(D) && !isa<NamespaceDecl>(D) &&
        !isa<LinkageSpecDecl>(D)) {
      const SourceManager &SM = Ctx.getSourceManager();
      SourceLocation L = SM.getExpansionLoc(D->getLocation());
      // With sites wanted, the project's own headers too (their sites
      // only: the counts are the main file's).
      if (L.isValid() && !SM.isInMainFile(L) &&
          (!WithSites || SM.isInSystemHeader(L)) &&
          !isa<ClassTemplateSpecializationDecl>(D) &&
          !(isa<FunctionDecl>(D) &&
            cast<FunctionDecl>(D)->isTemplateInstantiation()))
        return true;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitExpr(Expr *E) {
    // A template's own (dependent) code says nothing; its instantiations,
    // visited too, do, at the same places.
    if (!isa<CallExpr, CXXConstructExpr>(E) || E->isInstantiationDependent())
      return true;
    // A copy or move starts nothing, and before C++17 one wraps the
    // construction it copies at the same place (`auto t =
    // std::thread(f);`): it must not take that place's slot.
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getConstructor()->isCopyOrMoveConstructor())
      return true;
    const SourceManager &SM = Ctx.getSourceManager();
    // Where it is written: a macro argument's own place, so that the call
    // a macro wraps around it (CHECK(pthread_create(...))) has another.
    SourceLocation L = SM.getFileLoc(E->getBeginLoc());
    if (L.isInvalid() || SM.isInSystemHeader(L) ||
        !Seen.insert({L.getRawEncoding(), E->getStmtClass()}).second)
      return true;
    const bool Main = SM.isInMainFile(L);
    if (!Main && !WithSites)
      return true;
    spawn(E, Main);
    if (Main) {
      join(E);
      locks(E);
    }
    return true;
  }

  /// OpenMP: a parallel region and a task start tasks, a taskwait or an
  /// explicit barrier waits for them, a critical section locks.
  bool VisitOMPExecutableDirective(OMPExecutableDirective *D) {
    const SourceManager &SM = Ctx.getSourceManager();
    const SourceLocation L = SM.getExpansionLoc(D->getBeginLoc());
    const bool Main = SM.isInMainFile(L);
    const OpenMPDirectiveKind K = D->getDirectiveKind();
    const char *Start = isOpenMPParallelDirective(K)  ? "omp parallel"
                        : isOpenMPTaskingDirective(K) ? "omp task"
                                                      : nullptr;
    if (Start && WithSites && !SM.isInSystemHeader(L))
      site(D->getBeginLoc(), "openmp", Start);
    if (!Main)
      return true;
    if (Start)
      ++Out.Spawns["openmp"][Start];
    else if (isa<OMPTaskwaitDirective, OMPBarrierDirective>(D))
      ++Out.Joins[isa<OMPBarrierDirective>(D) ? "omp barrier" : "omp taskwait"];
    else if (isa<OMPCriticalDirective>(D))
      ++Out.Mutexes["omp critical"];
    return true;
  }

  Coverage Out;

private:
  /// \p L as written: a macro argument's place in the file (the line of
  /// `pthread_create` inside `CHECK(pthread_create(...))`), else the
  /// macro's use.
  void site(SourceLocation L, llvm::StringRef Kind, llvm::StringRef Via) {
    const SourceManager &SM = Ctx.getSourceManager();
    L = SM.getFileLoc(L);
    Out.Sites.insert({SM.getFilename(L).str(), SM.getSpellingLineNumber(L),
                      Kind.str(), Via.str()});
  }

  /// \p Count: in the main file, where the counts are kept.
  void spawn(const Expr *E, bool Count) {
    std::optional<Spawn> S = M.spawns().classify(E, Ctx);
    if (!S)
      return;
    const auto *Call = dyn_cast<CallExpr>(E);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    const char *Kind = "configured";
    std::string Via = nameOf(Callee);
    switch (S->K) {
    case Spawn::StdThread:
    case Spawn::StdJThread:
    case Spawn::StdAsync:
    case Spawn::PthreadCreate:
      Kind = "std";
      Via = S->spelling().str();
      break;
    case Spawn::WaitGroupGo:
    case Spawn::PoolSubmit:
      Kind = "concheck";
      break;
    case Spawn::KnownExecutor:
      Kind = "executor";
      break;
    case Spawn::Inferred:
      Kind = "inferred";
      break;
    case Spawn::Configured:
      break;
    }
    if (Count)
      ++Out.Spawns[Kind][Via];
    if (WithSites)
      site(E->getBeginLoc(), Kind, Via);
  }

  void join(const Expr *E) {
    const auto *Call = dyn_cast<CallExpr>(E);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getDeclName().isIdentifier())
      return;
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
    std::optional<GroupOp> Group =
        MCE ? M.groups().classify(MCE) : std::nullopt;
    if (M.spawns().joinKind(Call, Ctx) != SpawnModel::JoinKind::None ||
        (Group && Group->waits()))
      ++Out.Joins[MCE ? nameOf(MCE->getMethodDecl()) : FD->getName().str()];
  }

  void locks(const Expr *E) {
    bool Guard = false; // one guard however many mutexes it takes
    for (const LockOp &Op : M.locks().classify(E)) {
      switch (Op.K) {
      case LockOp::Acquire:
      case LockOp::TryAcquire:
        if (Op.MutexExpr)
          ++Out.Mutexes[typeName(mutexType(Op))];
        break;
      case LockOp::GuardAcquire:
      case LockOp::GuardAdopt:
      case LockOp::GuardDefer:
      case LockOp::GuardTryAcquire:
        if (!Guard)
          ++Out.Guards[typeName(E->getType())];
        Guard = true;
        if (Op.MutexExpr)
          ++Out.Mutexes[typeName(mutexType(Op))];
        break;
      case LockOp::Release:
      case LockOp::Assert:
        break;
      }
    }
  }

  ASTContext &Ctx;
  ModelContext &M;
  const bool WithSites;
  llvm::DenseSet<std::pair<unsigned, unsigned>> Seen;
};
} // namespace

Coverage collectCoverage(ASTContext &Ctx, ModelContext &M, bool WithSites) {
  Collector C(Ctx, M, WithSites);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  return std::move(C.Out);
}

} // namespace concheck::model
