#include "pool.h"
#include <cstdlib>

namespace app {
void run_async(std::function<void()> f) { std::thread(std::move(f)).detach(); }

void Pool::submit(std::function<void()> f) {
  workers_.emplace_back(std::move(f));
}

void Pool::wait() {
  for (std::thread &t : workers_)
    t.join();
  workers_.clear();
}

void Latch::Acquire() { mu_.lock(); }
void Latch::Release() { mu_.unlock(); }

void Worker::Loop() {
  while (true) {
    mu_.lock();
    if (items_.empty())
      std::abort();
    items_.pop_back();
    mu_.unlock();
  }
}

void Deferred::later(std::function<void()> f) { pending_.push_back(std::move(f)); }
void Deferred::flush() {
  for (auto &f : pending_)
    f();
  pending_.clear();
}
} // namespace app
