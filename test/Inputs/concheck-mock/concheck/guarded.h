// Mock of concheck's runtime <concheck/guarded.h> for the lit tests of the
// race check: a T reachable only while its mutex is held, through
// with_lock(f). The runtime's default mutex is concheck::mutex; std::mutex
// stands in for it here.
#ifndef CONCHECK_MOCK_GUARDED_H_
#define CONCHECK_MOCK_GUARDED_H_

#include <functional>
#include <mutex>
#include <utility>

namespace concheck {

template <class T, class Mutex = std::mutex> class guarded {
public:
  using value_type = T;
  using mutex_type = Mutex;

  guarded() : value_() {}
  guarded(const guarded &) = delete;
  guarded &operator=(const guarded &) = delete;

  // Locks the mutex, calls f(T&), unlocks, returns what f returned.
  template <class F> decltype(auto) with_lock(F &&f) {
    std::lock_guard<Mutex> lock(mu_);
    return std::invoke(std::forward<F>(f), value_);
  }

private:
  Mutex mu_;
  T value_;
};

} // namespace concheck

#endif // CONCHECK_MOCK_GUARDED_H_
