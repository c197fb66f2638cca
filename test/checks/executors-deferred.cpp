// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/pools

// Classes that keep a callable when they are made and start it later
// (pools/deferred.h, muduo's Thread): the task starts at the call that
// starts it, runs the callable the object was constructed with, and is
// joined by the class's join. And std::bind, which such code hands them.
// The negatives keep a callable and call it on the caller's own thread, or
// start a thread that runs something else.

#include <deferred.h>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

void use(int);

int local_thread_races() {
  int n = 0;
  deferred::Thread t([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'n': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  t.start();
  ++n;
  t.join();
  return n;
}

int local_thread_written_before_start_and_after_join() {
  int n = 0;
  deferred::Thread t([&n] { ++n; });
  n = 5;
  t.start();
  t.join();
  ++n;
  return n;
}

int never_started() {
  int n = 0;
  deferred::Thread t([&n] { ++n; });
  ++n;
  return n;
}

int worker_races() {
  int total = 0;
  deferred::Worker w([&total] { total += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: data race on 'total': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  w.Start();
  total += 2;
  w.Join();
  return total;
}

int worker_joined() {
  int total = 0;
  deferred::Worker w([&total] { total += 1; });
  w.Start();
  w.Join();
  total += 2;
  return total;
}

int heap_thread_races() {
  int n = 0;
  auto t = std::make_unique<deferred::Thread>([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:54: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  t->start();
  use(n);
  t->join();
  return n;
}

// The thread object is a member, made in the owner's constructor
// (muduo's EventLoopThread).
class Loop {
public:
  Loop() : thread_(std::bind(&Loop::Run, this)) {}
  void StartLoop() {
    thread_.start();
    ++count_;
    thread_.join();
  }

private:
  void Run() { ++count_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: data race on 'count_': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-9]]:5: note: task started here
  deferred::Thread thread_;
  int count_ = 0;
};

// Threads made in a loop and kept in a container (muduo's ThreadPool).
class Pool {
public:
  void Start(int n) {
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back(new deferred::Thread(std::bind(&Pool::RunInThread, this)));
      threads_[i]->start();
    }
    served_ = 0;
  }

private:
  void RunInThread() { ++served_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'served_': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: task started here
  std::vector<std::unique_ptr<deferred::Thread>> threads_;
  int served_ = 0;
};

// Threads made in the constructor and started later (muduo's Thread_bench).
class Bench {
public:
  explicit Bench(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back(new deferred::Thread([this] { ++done_; }));
    // CHECK-MESSAGES: :[[@LINE-1]]:61: warning: data race on 'done_': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+4]]:7: note: task started here
  }
  void Start() {
    for (auto &thr : threads_)
      thr->start();
  }

private:
  std::vector<std::unique_ptr<deferred::Thread>> threads_;
  int done_ = 0;
};

// Rounds of threads kept in a container and joined in a loop before the
// next round writes (muduo's Mutex_test): no race.
std::mutex g_mu;
std::vector<int> g_vec;
void push_one() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_vec.push_back(1);
}

void rounds() {
  for (int round = 1; round < 4; ++round) {
    std::vector<std::unique_ptr<deferred::Thread>> threads;
    g_vec.clear();
    for (int i = 0; i < round; ++i) {
      threads.emplace_back(new deferred::Thread(&push_one));
      threads.back()->start();
    }
    for (int i = 0; i < round; ++i)
      threads[i]->join();
  }
}

// The kept callable makes the queue that tasks go to, on this thread.
int factory_runs_on_the_same_thread() {
  int made = 0;
  deferred::Server server([&made] {
    ++made;
    return new deferred::Worker([] {});
  });
  server.listen([] {});
  ++made;
  return made;
}

// The callable is kept and called on the caller's thread: no task.
int callback_on_the_same_thread() {
  int n = 0;
  deferred::Callback cb([&n] { ++n; });
  cb.start();
  ++n;
  return n;
}

// The thread runs Tick(); the kept callable runs in Fire(), on this thread.
int ticker_fires_on_the_same_thread() {
  int n = 0;
  deferred::Ticker t([&n] { ++n; });
  t.start();
  t.Fire();
  ++n;
  t.stop();
  return n;
}

//===----------------------------------------------------------------------===//
// std::bind: the task runs the bound function, with the bound arguments.
//===----------------------------------------------------------------------===//

struct Counter {
  int n = 0;
  void Bump() { ++n; }
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: data race on 'n': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+5]]:15: note: task started here
};

int bind_member_races() {
  Counter c;
  std::thread t(std::bind(&Counter::Bump, &c));
  ++c.n;
  t.join();
  return c.n;
}

void Add(int &to, int v) { to += v; }
// CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'to': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
// CHECK-MESSAGES: :[[@LINE+6]]:3: note: concurrent write here
// CHECK-MESSAGES: :[[@LINE+4]]:15: note: task started here

int bind_ref_races() {
  int total = 0;
  std::thread t(std::bind(Add, std::ref(total), 1));
  total += 2;
  t.join();
  return total;
}

// bind keeps its own copy of total: the task adds to that copy.
int bind_copy_is_the_tasks_own() {
  int total = 0;
  std::thread t(std::bind(Add, total, 1));
  total += 2;
  t.join();
  return total;
}
