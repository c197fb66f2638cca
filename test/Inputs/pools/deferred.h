// Classes that keep a callable when they are made and start it later, as a
// project's own thread class does (muduo's Thread: the constructor stores
// the function, start() runs it on a new thread, join() waits for it).
#pragma once

#include <functional>
#include <pthread.h>
#include <thread>
#include <utility>

namespace deferred {

// pthread underneath: start() hands a heap copy of the function to
// pthread_create's routine, which calls it.
class Thread {
public:
  using Func = std::function<void()>;
  explicit Thread(Func func, const char *name = "") : func_(std::move(func)), name_(name) {}
  void start();
  int join() { return pthread_join(tid_, nullptr); }

private:
  Func func_;
  const char *name_;
  pthread_t tid_{};
};

struct ThreadData {
  Thread::Func func;
  explicit ThreadData(Thread::Func f) : func(std::move(f)) {}
  void run() { func(); }
};

inline void *startThread(void *arg) {
  auto *data = static_cast<ThreadData *>(arg);
  data->run();
  delete data;
  return nullptr;
}

inline void Thread::start() {
  auto *data = new ThreadData(func_);
  pthread_create(&tid_, nullptr, &startThread, data);
}

// std::thread underneath, the callable stored by assignment in the body.
class Worker {
public:
  explicit Worker(std::function<void()> f) { fn_ = std::move(f); }
  void Start() {
    th_ = std::thread([this] { fn_(); });
  }
  void Join() { th_.join(); }

private:
  std::function<void()> fn_;
  std::thread th_;
};

// Not a thread: keeps the callable and calls it on the caller's own thread.
class Callback {
public:
  explicit Callback(std::function<void()> f) : fn_(std::move(f)) {}
  void start() { fn_(); }

private:
  std::function<void()> fn_;
};

// Starts a thread, but not with the callable it keeps: the thread runs the
// object's own Tick(), and the callable runs in Fire() on the caller's thread.
class Ticker {
public:
  explicit Ticker(std::function<void()> f) : fn_(std::move(f)) {}
  void start() {
    th_ = std::thread(&Ticker::Tick, this);
  }
  void Fire() { fn_(); }
  void stop() { th_.join(); }

private:
  void Tick() { ++ticks_; }
  std::function<void()> fn_;
  std::thread th_;
  int ticks_ = 0;
};

// Keeps a factory of task queues and hands tasks to the queue it makes:
// the factory is not what runs on the other thread.
class Server {
public:
  explicit Server(std::function<Worker *()> make) : make_queue_(std::move(make)) {}
  void listen(std::function<void()> on_request) {
    Worker *queue = make_queue_();
    queue->Start();
    on_request();
  }

private:
  std::function<Worker *()> make_queue_;
};

} // namespace deferred
