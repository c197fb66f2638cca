// A test helper: a thread that aborts the test binary, naming the test, if the
// scope it guards has not ended within the time limit. Deadlock and lost
// wake-up tests use it so that a hang becomes a failure, not a stuck build.
#ifndef CONCHECK_RUNTIME_TEST_WATCHDOG_H_
#define CONCHECK_RUNTIME_TEST_WATCHDOG_H_

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace concheck_test {

class watchdog {
public:
  explicit watchdog(const char *what,
                    std::chrono::seconds limit = std::chrono::seconds(10))
      : thread_([this, what, limit] {
          std::unique_lock<std::mutex> lock(mu_);
          if (!done_cv_.wait_for(lock, limit, [this] { return done_; })) {
            std::fprintf(stderr, "watchdog: %s did not finish within %llds\n",
                         what, static_cast<long long>(limit.count()));
            std::fflush(stderr);
            std::abort();
          }
        }) {}

  watchdog(const watchdog &) = delete;
  watchdog &operator=(const watchdog &) = delete;

  ~watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

private:
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

} // namespace concheck_test

#endif // CONCHECK_RUNTIME_TEST_WATCHDOG_H_
