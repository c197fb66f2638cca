// Mock of BS::thread_pool's API, what a user of the library calls (the
// bodies are empty): detach_task/submit_task, the loops, wait().
#pragma once
#include <cstddef>
#include <future>

namespace BS {
template <unsigned char OptFlags = 0> class thread_pool {
public:
  explicit thread_pool(std::size_t n = 0);
  ~thread_pool();
  template <class F> void detach_task(F &&task) {}
  template <class F> auto submit_task(F &&task) -> std::future<decltype(task())> { return {}; }
  template <class T, class F> void detach_loop(T first, T last, F &&loop) {}
  void wait();
  void purge();
};
} // namespace BS
