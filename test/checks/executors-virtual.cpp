// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20
// Virtual spawn functions: a call through the base class is a spawn when every
// implementation the translation unit shows is one (the project's own
// Env::Schedule); whole-project facts cover implementations in other files
// (test/tool/project-facts.test).
#include <functional>
#include <memory>
#include <thread>

namespace virt {

class Env {
public:
  virtual ~Env() = default;
  virtual void Schedule(void (*fn)(void *), void *arg) = 0;
};

class ThreadEnv : public Env {
public:
  void Schedule(void (*fn)(void *), void *arg) override {
    std::thread(fn, arg).detach();
  }
};

// Forwards to the Env it wraps (leveldb's EnvWrapper): it is what that one
// is, and does not make Env::Schedule less of a spawn.
class EnvWrapper : public Env {
public:
  explicit EnvWrapper(Env *target) : target_(target) {}
  void Schedule(void (*fn)(void *), void *arg) override {
    target_->Schedule(fn, arg);
  }

private:
  Env *target_;
};

struct Counter {
  int n = 0;
};

void Bump(void *p) { ++static_cast<Counter *>(p)->n; }
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'static_cast<Counter *>(p)->n': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+5]]:5: note: concurrent write here
// CHECK-MESSAGES: :[[@LINE+3]]:3: note: task started here

void UsesEnv(Env *env, Counter &c) {
  env->Schedule(&Bump, &c);
  ++c.n;
}

// One implementation runs the function on the caller's thread: a call
// through the base is not known to start a task.
class Runner {
public:
  virtual ~Runner() = default;
  virtual void Run(void (*fn)(void *), void *arg) = 0;
};

class Direct : public Runner {
public:
  void Run(void (*fn)(void *), void *arg) override { fn(arg); }
};

class Threaded : public Runner {
public:
  void Run(void (*fn)(void *), void *arg) override {
    std::thread(fn, arg).detach();
  }
};

void UsesMixed(Runner *r, Counter &c) {
  r->Run(&Bump, &c);
  ++c.n;
}

void BumpAgain(void *p) { ++static_cast<Counter *>(p)->n; }
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: data race on 'static_cast<Counter *>(p)->n': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+6]]:5: note: concurrent write here
// CHECK-MESSAGES: :[[@LINE+4]]:3: note: task started here

// Through the one that threads, named as such: a spawn.
void UsesThreaded(Threaded &t, Counter &c) {
  t.Run(&BumpAgain, &c);
  ++c.n;
}

// A base with a body of its own that runs inline: not every
// implementation spawns.
class Poster {
public:
  virtual ~Poster() = default;
  virtual void Post(std::function<void()> f) { f(); }
};

class ThreadPoster : public Poster {
public:
  void Post(std::function<void()> f) override {
    std::thread(std::move(f)).detach();
  }
};

int posted, queued;

void UsesPoster(Poster &p) {
  p.Post([] { ++posted; });
  ++posted;
}

class Executor {
public:
  virtual ~Executor() = default;
  virtual void Add(std::function<void()> f) = 0;
};

class DetachingExecutor : public Executor {
public:
  void Add(std::function<void()> f) override {
    std::thread(std::move(f)).detach();
  }
};

void UsesExecutor(Executor &ex) {
  ex.Add([] { ++queued; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'queued': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  ++queued;
}

// A runner that starts the callable on its threads and joins them all
// before it returns (Google Benchmark's ThreadRunnerBase::RunThreads): the
// call is its own join, so nothing after it runs beside the tasks, and a
// member the object writes later is not read by a task left running.
class ThreadRunnerBase {
public:
  virtual ~ThreadRunnerBase() = default;
  virtual void RunThreads(const std::function<void(int)> &fn) = 0;
};

class ThreadRunnerDefault : public ThreadRunnerBase {
public:
  void RunThreads(const std::function<void(int)> &fn) override {
    for (std::size_t i = 0; i < 4; ++i)
      pool_[i] = std::thread(fn, static_cast<int>(i + 1));
    fn(0);
    for (std::thread &t : pool_)
      t.join();
  }

private:
  std::thread pool_[4];
};

class RepetitionRunner {
public:
  void DoNIterations() {
    runner_->RunThreads([&](int) { use(iters_); });
  }
  void DoOneRepetition() {
    for (int rep = 0; rep < 3; ++rep) {
      DoNIterations();
      iters_ = iters_ * 2;
    }
  }

private:
  static void use(long);
  std::unique_ptr<ThreadRunnerBase> runner_;
  long iters_ = 1;
};

// A runner that leaves its threads running is a spawn the caller must join.
class DetachingRunner {
public:
  void RunThreads(const std::function<void(int)> &fn) {
    std::thread(fn, 1).detach();
  }
};

void RunsDetached(DetachingRunner &r, long &total) {
  r.RunThreads([&](int) { ++total; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: data race on 'total': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
  ++total;
}

} // namespace virt
