// Mock of oneTBB's task_group and task_arena.
#pragma once

namespace tbb {
inline namespace detail {
class task_group {
public:
  task_group();
  ~task_group();
  template <class F> void run(F &&f) {}
  template <class F> void run_and_wait(const F &f) { f(); }
  void wait();
};
class task_arena {
public:
  template <class F> void enqueue(F &&f) {}
  template <class F> auto execute(const F &f) -> decltype(f()) { return f(); }
};
} // namespace detail
} // namespace tbb
