#include "env.h"
#include <thread>

namespace app {
namespace {
class ThreadEnv : public Env {
public:
  void Schedule(void (*fn)(void *), void *arg) override {
    std::thread(fn, arg).detach();
  }
};

class ThreadRunner : public Runner {
public:
  void Run(void (*fn)(void *), void *arg) override {
    std::thread(fn, arg).detach();
  }
};

class InlineRunner : public Runner {
public:
  void Run(void (*fn)(void *), void *arg) override { fn(arg); }
};
} // namespace

Env *DefaultEnv() {
  static ThreadEnv env;
  return &env;
}

Runner *DefaultRunner() {
  static InlineRunner inline_runner;
  static ThreadRunner thread_runner;
  return &inline_runner;
}
} // namespace app
