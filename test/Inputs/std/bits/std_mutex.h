// Mock of libstdc++'s <bits/std_mutex.h> for concheck's lit tests:
// std::mutex, the lock tags and std::lock_guard. Like libstdc++, std::mutex is
// a thin wrapper over pthread_mutex_t and lock_guard's constructor and
// destructor call lock()/unlock() on the mutex: the check must stay silent on
// a guard's own implementation.
#pragma once

#include <pthread.h>

#if __cplusplus >= 201703L
#define _CONCHECK_INLINE_VAR inline
#else
#define _CONCHECK_INLINE_VAR
#endif

namespace std {

class mutex {
public:
  using native_handle_type = pthread_mutex_t *;

  constexpr mutex() noexcept = default;
  ~mutex() = default;
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  void lock() { pthread_mutex_lock(&_M_mutex); }
  bool try_lock() noexcept { return pthread_mutex_trylock(&_M_mutex) == 0; }
  void unlock() { pthread_mutex_unlock(&_M_mutex); }
  native_handle_type native_handle() noexcept { return &_M_mutex; }

private:
  pthread_mutex_t _M_mutex = PTHREAD_MUTEX_INITIALIZER;
};

struct defer_lock_t {
  explicit defer_lock_t() = default;
};
struct try_to_lock_t {
  explicit try_to_lock_t() = default;
};
struct adopt_lock_t {
  explicit adopt_lock_t() = default;
};

_CONCHECK_INLINE_VAR constexpr defer_lock_t defer_lock{};
_CONCHECK_INLINE_VAR constexpr try_to_lock_t try_to_lock{};
_CONCHECK_INLINE_VAR constexpr adopt_lock_t adopt_lock{};

template <class Mutex> class lock_guard {
public:
  using mutex_type = Mutex;

  explicit lock_guard(mutex_type &m) : _M_device(m) { _M_device.lock(); }
  lock_guard(mutex_type &m, adopt_lock_t) noexcept : _M_device(m) {}
  ~lock_guard() { _M_device.unlock(); }

  lock_guard(const lock_guard &) = delete;
  lock_guard &operator=(const lock_guard &) = delete;

private:
  mutex_type &_M_device;
};

} // namespace std
