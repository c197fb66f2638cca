//===--- TranslationUnitState.cpp - What lives as long as a TU ------------===//

#include "TranslationUnitState.h"
#include "BodyCFG.h"
#include "ModelContext.h"
#include <mutex>

using namespace clang;

namespace concheck::model {

namespace {
struct Registry {
  std::mutex Lock;
  llvm::DenseMap<const ASTContext *, TranslationUnitState *> States;
};
Registry &registry() {
  static Registry R;
  return R;
}
} // namespace

TranslationUnitState::~TranslationUnitState() = default;

TranslationUnitState &TranslationUnitState::of(const ASTContext &Ctx) {
  Registry &R = registry();
  std::lock_guard<std::mutex> Guard(R.Lock);
  TranslationUnitState *&State = R.States[&Ctx];
  if (!State) {
    State = new TranslationUnitState();
    // The ASTContext calls this from its destructor, before its memory (and
    // with it this key) can be reused.
    struct Owner {
      const ASTContext *Ctx;
      TranslationUnitState *State;
    };
    Ctx.AddDeallocation(
        [](void *P) {
          std::unique_ptr<Owner> O(static_cast<Owner *>(P));
          {
            Registry &R = registry();
            std::lock_guard<std::mutex> Guard(R.Lock);
            R.States.erase(O->Ctx);
          }
          delete O->State;
        },
        new Owner{&Ctx, State});
  }
  return *State;
}

} // namespace concheck::model
