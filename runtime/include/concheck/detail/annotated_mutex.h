// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the mutex and guard that channel.h, worker_pool.h, context.h and
// object_pool.h use for their own state.
//
// libstdc++'s std::mutex carries no thread-safety attributes, so a field
// annotated CONCHECK_GUARDED_BY(a_std_mutex) is itself a -Wthread-safety
// warning and the analysis checks nothing. These two thin wrappers give the
// analysis a capability to check against and still hand the underlying
// std::unique_lock<std::mutex> to std::condition_variable, which (unlike
// std::condition_variable_any) allocates nothing and can be one per waiter.
// The public annotated mutex for user code is concheck::mutex (mutex.h).

#ifndef CONCHECK_DETAIL_ANNOTATED_MUTEX_H_
#define CONCHECK_DETAIL_ANNOTATED_MUTEX_H_

#include <concheck/thread_annotations.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace concheck::detail {

class annotated_lock;

// A std::mutex that -Wthread-safety knows as a capability.
class CONCHECK_CAPABILITY("mutex") annotated_mutex {
public:
  annotated_mutex() = default;
  annotated_mutex(const annotated_mutex &) = delete;
  annotated_mutex &operator=(const annotated_mutex &) = delete;

  void lock() CONCHECK_ACQUIRE() { mutex_.lock(); }
  void unlock() CONCHECK_RELEASE() { mutex_.unlock(); }

private:
  friend class annotated_lock;
  std::mutex mutex_;
};

// A scoped lock on an annotated_mutex that can wait on a
// std::condition_variable and be unlocked and locked again before its end.
class CONCHECK_SCOPED_CAPABILITY annotated_lock {
public:
  explicit annotated_lock(annotated_mutex &mu) CONCHECK_ACQUIRE(mu)
      : lock_(mu.mutex_) {}
  ~annotated_lock() CONCHECK_RELEASE() {}

  annotated_lock(const annotated_lock &) = delete;
  annotated_lock &operator=(const annotated_lock &) = delete;

  void lock() CONCHECK_ACQUIRE() { lock_.lock(); }
  void unlock() CONCHECK_RELEASE() { lock_.unlock(); }

  // Blocks on `cv` with the mutex released; holds the mutex again when it
  // returns (also on a spurious wake-up, so callers wait in a loop).
  void wait(std::condition_variable &cv) { cv.wait(lock_); }

  // As wait(), also returning once `when` has passed (callers check the
  // clock or their predicate again).
  template <class Clock, class Duration>
  void wait_until(std::condition_variable &cv,
                  const std::chrono::time_point<Clock, Duration> &when) {
    cv.wait_until(lock_, when);
  }

private:
  std::unique_lock<std::mutex> lock_;
};

} // namespace concheck::detail

#endif // CONCHECK_DETAIL_ANNOTATED_MUTEX_H_
