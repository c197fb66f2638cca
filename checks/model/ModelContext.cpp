//===--- ModelContext.cpp - The model of one translation unit -------------===//

#include "ModelContext.h"
#include "TranslationUnitState.h"

using namespace clang;

namespace concheck::model {

ModelContext::ModelContext(const ModelOptions &Opts)
    : Opts(Opts), Spawns(Opts.Spawns), Groups(Opts.Groups), Locks(Opts.Locks),
      Accesses(Opts.Accesses), Summaries(Spawns, Locks, Accesses, Groups),
      Tasks(Spawns, Locks, Groups, Summaries) {}

ModelContext &ModelContext::get(ASTContext &Ctx, const ModelOptions &Opts) {
  TranslationUnitState &State = TranslationUnitState::of(Ctx);
  for (const std::unique_ptr<ModelContext> &M : State.Models)
    if (M->Opts == Opts)
      return *M;
  State.Models.push_back(std::unique_ptr<ModelContext>(new ModelContext(Opts)));
  return *State.Models.back();
}

} // namespace concheck::model
