//===--- ModelContext.cpp - The model of one translation unit -------------===//

#include "ModelContext.h"
#include "TranslationUnitState.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concheck::model {

ModelContext::ModelContext(const ModelOptions &Opts,
                           std::shared_ptr<const ProjectFacts> Facts)
    : Opts(Opts), Facts(std::move(Facts)), Spawns(Opts.Spawns, &this->Facts),
      Groups(Opts.Groups), Locks(Opts.Locks, &this->Facts),
      Accesses(Opts.Accesses), Summaries(Spawns, Locks, Accesses, Groups),
      Tasks(Spawns, Locks, Groups, Summaries), LockOrders(Locks, Summaries) {}

ModelContext &ModelContext::get(ASTContext &Ctx, const ModelOptions &Opts) {
  TranslationUnitState &State = TranslationUnitState::of(Ctx);
  for (const std::unique_ptr<ModelContext> &M : State.Models)
    if (M->Opts == Opts)
      return *M;
  const SourceManager &SM = Ctx.getSourceManager();
  std::shared_ptr<const ProjectFacts> Facts;
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Facts = ProjectFacts::near(Main->getName());
  State.Models.push_back(
      std::unique_ptr<ModelContext>(new ModelContext(Opts, std::move(Facts))));
  return *State.Models.back();
}

} // namespace concheck::model
