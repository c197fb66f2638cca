// A pool in the style of a task-based library: detach_task() queues a task
// for workers that run a member function; wait() blocks until the queue is
// empty and no task is running; submit_task() returns a future of the
// task's result.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

namespace pools {

class TaskPool {
public:
  explicit TaskPool(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      threads_.push_back(std::thread(&TaskPool::worker, this));
  }
  ~TaskPool() {
    wait();
    {
      std::scoped_lock lock(mu_);
      done_ = true;
    }
    available_.notify_all();
    for (auto &t : threads_)
      t.join();
  }

  template <class F> void detach_task(F &&task) {
    {
      std::scoped_lock lock(mu_);
      tasks_.push(std::function<void()>(std::forward<F>(task)));
    }
    available_.notify_one();
  }

  template <class F> std::future<void> submit_task(F &&task) {
    auto promise = std::make_shared<std::promise<void>>();
    detach_task([task = std::forward<F>(task), promise] {
      task();
      promise->set_value();
    });
    return promise->get_future();
  }

  // Waits for resume(): not for the tasks.
  void wait_resumed() {
    std::unique_lock lock(mu_);
    resumed_.wait(lock, [this] { return !paused_; });
  }
  void resume() {
    {
      std::scoped_lock lock(mu_);
      paused_ = false;
    }
    resumed_.notify_all();
  }

  void wait() {
    std::unique_lock lock(mu_);
    finished_.wait(lock, [this] { return running_ == 0 && tasks_.empty(); });
  }

private:
  void worker() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        available_.wait(lock, [this] { return done_ || !tasks_.empty(); });
        if (done_)
          return;
        task = std::move(tasks_.front());
        tasks_.pop();
        ++running_;
      }
      task();
      {
        std::scoped_lock lock(mu_);
        --running_;
      }
      finished_.notify_all();
    }
  }

  std::vector<std::thread> threads_;
  std::queue<std::function<void()>> tasks_;
  std::mutex mu_;
  std::condition_variable available_;
  std::condition_variable finished_;
  std::condition_variable resumed_;
  bool paused_ = true;
  std::size_t running_ = 0;
  bool done_ = false;
};

} // namespace pools
