// A project's own concurrency API, declared here and defined in pool.cpp:
// a unit that includes only this header sees no bodies.
#pragma once
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace app {
// Runs f on another thread.
void run_async(std::function<void()> f);

class Pool {
public:
  void submit(std::function<void()> f);
  // Waits until every task submitted has finished.
  void wait();

private:
  std::vector<std::thread> workers_;
};

// A lock wrapper with names of its own.
class Latch {
public:
  void Acquire();
  void Release();

private:
  std::mutex mu_;
};

// Loops forever under its lock: a failed check aborts with the lock held,
// which makes it no lock helper (it never returns).
class Worker {
public:
  void Loop();

private:
  std::mutex mu_;
  std::vector<int> items_;
};

// Stores f and calls it later, on the caller's thread: no spawn.
class Deferred {
public:
  void later(std::function<void()> f);
  void flush();

private:
  std::vector<std::function<void()>> pending_;
};
} // namespace app
