// A header-only thread pool in the style most projects copy: worker threads
// started by the constructor take std::function<void()> tasks from a queue
// member; enqueue() wraps the callable and its arguments in a packaged_task
// and returns its future; the destructor lets the queue drain and joins the
// workers. concheck must see enqueue() as a spawn with no option set.
#pragma once

#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace pools {

class QueuePool {
public:
  explicit QueuePool(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      workers_.emplace_back([this] {
        for (;;) {
          std::function<void()> job;
          {
            std::unique_lock<std::mutex> lock(mu_);
            ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_ && jobs_.empty())
              return;
            job = std::move(jobs_.front());
            jobs_.pop();
          }
          job();
        }
      });
  }

  template <class F, class... Args>
  auto enqueue(F &&f, Args &&...args)
      -> std::future<std::invoke_result_t<F, Args...>> {
    using R = std::invoke_result_t<F, Args...>;
    auto job = std::make_shared<std::packaged_task<R()>>(
        std::bind(std::forward<F>(f), std::forward<Args>(args)...));
    std::future<R> result = job->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.emplace([job] { (*job)(); });
    }
    ready_.notify_one();
    return result;
  }

  ~QueuePool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread &w : workers_)
      w.join();
  }

private:
  std::vector<std::thread> workers_;
  std::queue<std::function<void()>> jobs_;
  std::mutex mu_;
  std::condition_variable ready_;
  bool stopping_ = false;
};

} // namespace pools
