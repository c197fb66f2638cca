// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: object_pool.h
// -----------------------------------------------------------------------------
//
// Go's sync.Pool for C++20: a thread-safe cache of idle objects of one type,
// to reuse costly objects (byte buffers, encoders, scratch arenas) instead of
// allocating new ones on every request.
//
// get() hands out an idle object, or a new one from the pool's factory when
// none is idle; put() gives one back. borrow() wraps the pair in an RAII
// handle that puts the object back when it goes out of scope.
//
// Example: reusing byte buffers across requests.
//
//   concheck::object_pool<std::vector<std::byte>> buffers([] {
//     auto buffer = std::make_unique<std::vector<std::byte>>();
//     buffer->reserve(64 * 1024);
//     return buffer;
//   });
//
//   void serve(connection& conn) {
//     auto buffer = buffers.borrow();   // back to the pool at scope exit
//     buffer->clear();                  // a reused object keeps its old state
//     read_request(conn, *buffer);
//     write_response(conn, *buffer);
//   }
//
// The contract, as Go's:
//
//  * A pool is a cache, not a free list you can count on. An object put back
//    may be dropped (destroyed) instead of kept, and get() may build a new
//    object although others were put back. Code must work the same whatever
//    it gets back. To keep code honest, a build with ThreadSanitizer drops
//    one put() in four at random, as Go's race mode does, so that tests
//    cannot come to rely on getting a particular object back.
//  * A reused object is returned as it was put back. Reset it after get()
//    (or before put()); the pool never does.
//  * Put back only objects no one else still uses. The pool hands each
//    object to one holder at a time, and the put() that returned an object
//    happens-before the get() that hands it out again, so a holder may use
//    it freely, without locks, between get() and put().
//
// Unlike Go's pool, which the garbage collector empties, this one keeps its
// idle objects until they are taken, clear() is called or the pool is
// destroyed. Give it a bound (max_idle) so that a burst does not leave the
// pool holding its peak forever.
//
// Contention: idle objects are kept in a few shards, each a mutex-protected
// LIFO, one shard per hardware thread up to 16. A thread puts into, and gets
// first from, its own shard (threads are spread over the shards round-robin
// when they first use any pool), and takes from the others only when its own
// is empty. With no more threads than shards, threads rarely share a mutex;
// LIFO order hands back the object most likely to be in cache.

#ifndef CONCHECK_OBJECT_POOL_H_
#define CONCHECK_OBJECT_POOL_H_

#include <concheck/detail/annotated_mutex.h>
#include <concheck/detail/tsan.h>
#include <concheck/thread_annotations.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace concheck {

namespace detail {

// The shard a thread uses in every pool: threads are numbered round-robin on
// their first use of any pool.
inline std::size_t pool_thread_index() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t index =
      next.fetch_add(1, std::memory_order_relaxed);
  return index;
}

// Under TSan: true for one call in four, at random (a per-thread xorshift; no
// shared state, so it orders nothing and costs no contention).
inline bool pool_drop_this_put() noexcept {
  static std::atomic<std::uint32_t> seeds{0};
  thread_local std::uint32_t state =
      (seeds.fetch_add(1, std::memory_order_relaxed) + 1) * 0x9E3779B9u | 1u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return (state >> 30) == 0;
}

} // namespace detail

// -----------------------------------------------------------------------------
// object_pool<T>
// -----------------------------------------------------------------------------
//
// Every member is safe to call from any number of threads at once, except
// the destructor. Not copyable or movable: borrowed handles point at it.
template <class T> class object_pool {
public:
  using factory_type = std::function<std::unique_ptr<T>()>;

  // The default bound: keep every object put back.
  static constexpr std::size_t unbounded =
      std::numeric_limits<std::size_t>::max();

  class borrowed;

  // object_pool::object_pool()
  //
  // A pool whose factory is std::make_unique<T>(), keeping at most
  // `max_idle` idle objects.
  explicit object_pool(std::size_t max_idle = unbounded) requires
      std::is_default_constructible_v<T>
      : object_pool([] { return std::make_unique<T>(); }, max_idle) {}

  // object_pool::object_pool(factory)
  //
  // A pool that makes new objects with `factory` and keeps at most
  // `max_idle` idle objects; puts beyond that destroy the object.
  //
  // Requires: `factory` is callable from several threads at once (get() calls
  // it without holding any lock) and returns a non-null object or throws.
  explicit object_pool(factory_type factory, std::size_t max_idle = unbounded)
      : factory_(std::move(factory)), max_idle_(max_idle),
        shard_count_(default_shard_count()),
        shards_(std::make_unique<shard[]>(shard_count_)) {}

  // object_pool::~object_pool()
  //
  // Destroys the idle objects.
  //
  // Requires: no other thread is using the pool, and no borrowed handle from
  // it is still alive (its destructor would put into a dead pool).
  ~object_pool() = default;

  object_pool(const object_pool &) = delete;
  object_pool &operator=(const object_pool &) = delete;

  // object_pool::get()
  //
  // Removes an idle object from the pool and returns it; when none is idle,
  // returns a new one from the factory (exceptions from the factory
  // propagate; the pool is unchanged). The object may be one put back by any
  // thread, in whatever state it was put back.
  //
  // Memory ordering: the put() of an object happens-before the get() that
  // returns it, so everything its previous holder did to it is visible.
  [[nodiscard]] std::unique_ptr<T> get() {
    const std::size_t home = detail::pool_thread_index() % shard_count_;
    for (std::size_t i = 0; i < shard_count_; ++i) {
      if (std::unique_ptr<T> object =
              take_from(shards_[(home + i) % shard_count_]))
        return object;
    }
    return factory_();
  }

  // object_pool::put()
  //
  // Gives `object` back to the pool for a later get(), or destroys it: when
  // the pool already holds max_idle idle objects, when memory for the free
  // list cannot be had, and, under ThreadSanitizer, for one put in four
  // chosen at random. A null `object` is ignored.
  //
  // Requires: no one else uses `object` any more.
  //
  // Memory ordering: as get(): this put() happens-before the get() that
  // returns `object`.
  void put(std::unique_ptr<T> object) noexcept {
    if (!object)
      return;
    // Go's race mode does the same, so that code cannot come to rely on
    // getting its object back.
    if constexpr (detail::tsan_enabled) {
      if (detail::pool_drop_this_put())
        return;
    }
    // Reserve a place under the bound before publishing the object, so the
    // count of idle objects never exceeds max_idle_.
    if (bounded() &&
        idle_reserved_.fetch_add(1, std::memory_order_relaxed) >= max_idle_) {
      idle_reserved_.fetch_sub(1, std::memory_order_relaxed);
      return;
    }
    shard &home = shards_[detail::pool_thread_index() % shard_count_];
    try {
      detail::annotated_lock lock(home.mu);
      home.idle.push_back(std::move(object));
    } catch (...) {
      // Out of memory for the free list: the pool is only a cache, so drop
      // the object (destroyed with `object` below) rather than fail.
      if (bounded())
        idle_reserved_.fetch_sub(1, std::memory_order_relaxed);
    }
  }

  // object_pool::borrow()
  //
  // get(), wrapped in a handle that put()s the object back when it is
  // destroyed or reset.
  //
  // Memory ordering: as get() and put().
  [[nodiscard]] borrowed borrow() { return borrowed(this, get()); }

  // object_pool::idle_count()
  //
  // How many idle objects the pool holds now. A snapshot: other threads may
  // change it before the caller looks.
  std::size_t idle_count() const {
    std::size_t total = 0;
    for (std::size_t i = 0; i < shard_count_; ++i) {
      detail::annotated_lock lock(shards_[i].mu);
      total += shards_[i].idle.size();
    }
    return total;
  }

  // object_pool::clear()
  //
  // Destroys every idle object (Go's pool is emptied by the garbage
  // collector; call this to release a burst's objects). Objects that are out
  // are not affected and may be put back later. The objects are destroyed
  // outside the pool's locks.
  void clear() {
    for (std::size_t i = 0; i < shard_count_; ++i) {
      std::vector<std::unique_ptr<T>> doomed;
      {
        detail::annotated_lock lock(shards_[i].mu);
        doomed.swap(shards_[i].idle);
      }
      if (bounded())
        idle_reserved_.fetch_sub(doomed.size(), std::memory_order_relaxed);
    }
  }

private:
  // Over-aligned so that two shards' mutexes never share a cache line.
  struct alignas(64) shard {
    mutable detail::annotated_mutex mu;
    std::vector<std::unique_ptr<T>> idle CONCHECK_GUARDED_BY(mu);
  };

  static std::size_t default_shard_count() noexcept {
    const std::size_t cpus = std::thread::hardware_concurrency();
    return std::clamp<std::size_t>(cpus, 1, 16);
  }

  bool bounded() const noexcept { return max_idle_ != unbounded; }

  std::unique_ptr<T> take_from(shard &s) {
    std::unique_ptr<T> object;
    {
      detail::annotated_lock lock(s.mu);
      if (s.idle.empty())
        return nullptr;
      object = std::move(s.idle.back());
      s.idle.pop_back();
    }
    if (bounded())
      idle_reserved_.fetch_sub(1, std::memory_order_relaxed);
    return object;
  }

  const factory_type factory_;
  const std::size_t max_idle_;
  const std::size_t shard_count_;
  const std::unique_ptr<shard[]> shards_;
  // Idle objects plus puts in progress, kept only when bounded: at least the
  // number of idle objects, at most max_idle_. Relaxed: the shard mutexes
  // order the objects themselves; this only counts.
  std::atomic<std::size_t> idle_reserved_{0};
};

// -----------------------------------------------------------------------------
// object_pool<T>::borrowed
// -----------------------------------------------------------------------------
//
// Owns one object taken from a pool and puts it back when destroyed: a
// unique_ptr whose deleter is put(). Move-only. Not thread-safe itself (like
// unique_ptr); the object is the holder's alone until it goes back.
template <class T> class object_pool<T>::borrowed {
public:
  // borrowed::borrowed()
  //
  // An empty handle, belonging to no pool.
  borrowed() noexcept = default;

  borrowed(borrowed &&other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)),
        object_(std::move(other.object_)) {}

  // borrowed::operator=(borrowed&&)
  //
  // Puts this handle's object back, then takes over `other`'s.
  borrowed &operator=(borrowed &&other) noexcept {
    if (this != &other) {
      reset();
      pool_ = std::exchange(other.pool_, nullptr);
      object_ = std::move(other.object_);
    }
    return *this;
  }

  // borrowed::~borrowed()
  //
  // Puts the object back (see object_pool::put()).
  //
  // Memory ordering: as put().
  ~borrowed() { reset(); }

  T *get() const noexcept { return object_.get(); }
  T &operator*() const noexcept { return *object_; }
  T *operator->() const noexcept { return object_.get(); }
  explicit operator bool() const noexcept { return object_ != nullptr; }

  // borrowed::reset()
  //
  // Puts the object back now; the handle is empty afterwards.
  //
  // Memory ordering: as put().
  void reset() noexcept {
    if (pool_ != nullptr)
      std::exchange(pool_, nullptr)->put(std::move(object_));
    object_.reset();
  }

  // borrowed::release()
  //
  // Keeps the object: returns it and leaves the handle empty, and the pool
  // never sees the object again.
  [[nodiscard]] std::unique_ptr<T> release() noexcept {
    pool_ = nullptr;
    return std::move(object_);
  }

private:
  friend class object_pool;
  borrowed(object_pool *pool, std::unique_ptr<T> object) noexcept
      : pool_(pool), object_(std::move(object)) {}

  object_pool *pool_ = nullptr;
  std::unique_ptr<T> object_;
};

} // namespace concheck

#endif // CONCHECK_OBJECT_POOL_H_
