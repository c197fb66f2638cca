// A pool in the style of leveldb's PosixEnv: its thread starts in a static
// entry point that calls the worker loop on the pool it is handed; the loop
// takes {function, argument} items from a queue under a lock (asserting
// that the queue holds one, so a path out of the loop aborts with the lock
// held) and runs them.
#pragma once
#include <cassert>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

namespace pools {
class TrampolinePool {
public:
  void Schedule(void (*fn)(void *), void *arg) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_) {
      started_ = true;
      std::thread(&TrampolinePool::Entry, this).detach();
    }
    queue_.emplace(fn, arg);
    cv_.notify_one();
  }

private:
  static void Entry(TrampolinePool *pool) { pool->Main(); }
  void Main() {
    while (true) {
      mu_.lock();
      while (queue_.empty()) {
        std::unique_lock<std::mutex> relock(mu_, std::adopt_lock);
        cv_.wait(relock);
        relock.release();
      }
      assert(!queue_.empty());
      Item item = queue_.front();
      queue_.pop();
      mu_.unlock();
      item.fn(item.arg);
    }
  }
  struct Item {
    Item(void (*fn)(void *), void *arg) : fn(fn), arg(arg) {}
    void (*fn)(void *);
    void *arg;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  std::queue<Item> queue_;
};
} // namespace pools
