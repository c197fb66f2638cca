// A thread class defined in another file (muduo's Thread): the constructor
// keeps the function, start() runs it, join() waits for it.
#pragma once
#include <functional>
#include <pthread.h>

namespace app {
class Thread {
public:
  using Func = std::function<void()>;
  explicit Thread(Func func, int priority = 0);
  void start();
  int join();

private:
  Func func_;
  int priority_;
  pthread_t tid_{};
};
} // namespace app
