// Classes and functions that take callables and run them on the caller's own
// thread: no spawn, whatever their names say.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pools {

// Stores callbacks, runs them later, on the thread that calls run_all().
class CallbackList {
public:
  template <class F> void add(F &&f) { callbacks_.emplace_back(std::forward<F>(f)); }
  void run_all() {
    for (auto &cb : callbacks_)
      cb();
  }

private:
  std::vector<std::function<void()>> callbacks_;
};

// Owns a thread, but the thread drains a queue of log lines; the callbacks
// it stores run on the caller's thread in flush().
class Logger {
public:
  Logger() : writer_([this] { drain(); }) {}
  ~Logger() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }
  void log(std::string line) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push(std::move(line));
    cv_.notify_one();
  }
  template <class F> void on_flush(F &&f) { hooks_.push_back(std::forward<F>(f)); }
  void flush() {
    for (auto &h : hooks_)
      h();
  }

private:
  void drain() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait(lock);
      while (!lines_.empty())
        lines_.pop();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::string> lines_;
  std::vector<std::function<void()>> hooks_;
  bool stop_ = false;
  std::thread writer_;
};

// Calls its argument right away, a few times.
template <class F> void with_retry(F &&f, int attempts) {
  for (int i = 0; i < attempts; ++i)
    f();
}

} // namespace pools
