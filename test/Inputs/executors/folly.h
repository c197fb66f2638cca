// Mock of folly's executors: Executor::add (virtual), via() and Future.
#pragma once
#include <functional>

namespace folly {
using Func = std::function<void()>;
class Executor {
public:
  virtual ~Executor();
  virtual void add(Func f) = 0;
};
class CPUThreadPoolExecutor : public Executor {
public:
  explicit CPUThreadPoolExecutor(unsigned threads);
  ~CPUThreadPoolExecutor() override;
  void add(Func f) override;
  void join();
  void stop();
};
template <class T> class Future {
public:
  T get() &&;
  Future &wait() &;
};
template <class F> auto via(Executor *ex, F &&f) -> Future<decltype(f())> { return {}; }
} // namespace folly
