// Mock of libstdc++'s <bits/unique_lock.h> for concheck's lit tests. The
// members call lock()/unlock() on the mutex as libstdc++ does; the check must
// stay silent on them and on user calls to unique_lock's own members.
#pragma once

#include <bits/std_mutex.h>
#include <chrono>
#include <utility>

namespace std {

template <class Mutex> class unique_lock {
public:
  using mutex_type = Mutex;

  unique_lock() noexcept : _M_device(nullptr), _M_owns(false) {}

  explicit unique_lock(mutex_type &m)
      : _M_device(std::addressof(m)), _M_owns(false) {
    lock();
    _M_owns = true;
  }

  unique_lock(mutex_type &m, defer_lock_t) noexcept
      : _M_device(std::addressof(m)), _M_owns(false) {}

  unique_lock(mutex_type &m, try_to_lock_t)
      : _M_device(std::addressof(m)), _M_owns(_M_device->try_lock()) {}

  unique_lock(mutex_type &m, adopt_lock_t) noexcept
      : _M_device(std::addressof(m)), _M_owns(true) {}

  template <class Rep, class Period>
  unique_lock(mutex_type &m, const chrono::duration<Rep, Period> &rel_time)
      : _M_device(std::addressof(m)),
        _M_owns(_M_device->try_lock_for(rel_time)) {}

  template <class Clock, class Duration>
  unique_lock(mutex_type &m, const chrono::time_point<Clock, Duration> &abs_time)
      : _M_device(std::addressof(m)),
        _M_owns(_M_device->try_lock_until(abs_time)) {}

  ~unique_lock() {
    if (_M_owns)
      unlock();
  }

  unique_lock(const unique_lock &) = delete;
  unique_lock &operator=(const unique_lock &) = delete;

  unique_lock(unique_lock &&u) noexcept
      : _M_device(u._M_device), _M_owns(u._M_owns) {
    u._M_device = nullptr;
    u._M_owns = false;
  }

  unique_lock &operator=(unique_lock &&u) noexcept {
    if (_M_owns)
      unlock();
    unique_lock(std::move(u)).swap(*this);
    u._M_device = nullptr;
    u._M_owns = false;
    return *this;
  }

  void lock() {
    _M_device->lock();
    _M_owns = true;
  }

  bool try_lock() {
    _M_owns = _M_device->try_lock();
    return _M_owns;
  }

  template <class Rep, class Period>
  bool try_lock_for(const chrono::duration<Rep, Period> &rel_time) {
    _M_owns = _M_device->try_lock_for(rel_time);
    return _M_owns;
  }

  template <class Clock, class Duration>
  bool try_lock_until(const chrono::time_point<Clock, Duration> &abs_time) {
    _M_owns = _M_device->try_lock_until(abs_time);
    return _M_owns;
  }

  void unlock() {
    if (_M_device) {
      _M_device->unlock();
      _M_owns = false;
    }
  }

  void swap(unique_lock &u) noexcept {
    std::swap(_M_device, u._M_device);
    std::swap(_M_owns, u._M_owns);
  }

  mutex_type *release() noexcept {
    mutex_type *ret = _M_device;
    _M_device = nullptr;
    _M_owns = false;
    return ret;
  }

  bool owns_lock() const noexcept { return _M_owns; }
  explicit operator bool() const noexcept { return owns_lock(); }
  mutex_type *mutex() const noexcept { return _M_device; }

private:
  mutex_type *_M_device;
  bool _M_owns;
};

template <class Mutex>
void swap(unique_lock<Mutex> &x, unique_lock<Mutex> &y) noexcept {
  x.swap(y);
}

} // namespace std
