#pragma once

namespace app {
// Runs fn(arg) somewhere: every implementation in the project (env.cpp)
// starts a thread, so a call through Env is a spawn.
class Env {
public:
  virtual ~Env() = default;
  virtual void Schedule(void (*fn)(void *), void *arg) = 0;
};
Env *DefaultEnv();

// Runs fn(arg): one implementation starts a thread, another runs it on the
// caller's (env.cpp), so a call through Runner is not known to be a spawn.
class Runner {
public:
  virtual ~Runner() = default;
  virtual void Run(void (*fn)(void *), void *arg) = 0;
};
Runner *DefaultRunner();
} // namespace app
