//===--- TranslationUnitState.cpp - What lives as long as a TU ------------===//

#include "TranslationUnitState.h"
#include "BodyCFG.h"
#include "ModelContext.h"
#include "Reentrancy.h"
#include <atomic>
#include <mutex>

using namespace clang;

namespace concheck::model {

namespace {
struct Registry {
  std::mutex Lock;
  llvm::DenseMap<const ASTContext *, TranslationUnitState *> States;
  /// Bumped whenever a state is destroyed, so that a thread's last answer
  /// (below) is never a state whose context has gone and whose address a
  /// new context may have taken.
  std::atomic<uint64_t> Generation{0};
};

/// The last state this thread asked for: the model asks for it from its
/// hot paths (a getter's cache, a body's CFG), nearly always for the one
/// translation unit the thread is working on.
struct LastAnswer {
  const ASTContext *Ctx = nullptr;
  TranslationUnitState *State = nullptr;
  uint64_t Generation = 0;
};
thread_local LastAnswer Last;
Registry &registry() {
  static Registry R;
  return R;
}
} // namespace

TranslationUnitState::~TranslationUnitState() = default;

TranslationUnitState &TranslationUnitState::of(const ASTContext &Ctx) {
  Registry &R = registry();
  if (Last.Ctx == &Ctx &&
      Last.Generation == R.Generation.load(std::memory_order_acquire))
    return *Last.State;
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
            R.Generation.fetch_add(1, std::memory_order_release);
          }
          delete O->State;
        },
        new Owner{&Ctx, State});
  }
  Last = {&Ctx, State, R.Generation.load(std::memory_order_relaxed)};
  return *State;
}

} // namespace concheck::model
