// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/concheck-mock -isystem %S/../Inputs/std

// concheck-unguarded-write on classes that own a thread: a member function
// starts a task on its own object and leaves it running (the thread is kept
// in a member, or detached); another member function or the destructor joins
// it. Until then, the task's accesses race with those of the member
// functions callers may call (public or protected, not constructors, and not
// the joining function after its join).

#include <atomic>
#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>
#include <mutex>
#include <thread>
#include <vector>

int compute(int);
void use(int);

//===----------------------------------------------------------------------===//
// Must catch.
//===----------------------------------------------------------------------===//

// Started in start(), joined in stop(); the owner asks for progress() while
// the thread runs.
class Worker {
public:
  void start() {
    thread_ = std::thread([this] { run(); });
  }
  void stop() { thread_.join(); }
  int progress() const { return processed_; }

private:
  void run() {
    for (int i = 0; i < 100; ++i)
      ++processed_;
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: data race on 'processed_': written in a task while the member function 'Worker::progress' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-10]]:36: note: called from the task here
    // CHECK-MESSAGES: :[[@LINE-8]]:33: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-12]]:15: note: task started here
  }
  std::thread thread_;
  int processed_ = 0;
};

// Started in the constructor through a member pointer, joined in the
// destructor; a public setter writes what the thread reads.
class Poller {
public:
  Poller() : thread_(&Poller::loop, this) {}
  ~Poller() {
    stop_.store(true);
    thread_.join();
  }
  void set_interval(int ms) { interval_ = ms; }
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: data race on 'interval_': written in the member function 'Poller::set_interval' while a task reads it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+6]]:11: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-8]]:14: note: task started here

private:
  void loop() {
    while (!stop_.load())
      use(interval_);
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
  int interval_ = 10;
};

// A pool: workers started in the constructor, joined in a loop in the
// destructor; a public member writes a counter the workers write too, under
// a different lock.
class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    for (std::thread &t : workers_)
      t.join();
  }
  void reset() {
    std::lock_guard<std::mutex> g(stats_mu_);
    done_ = 0;
  }

private:
  void work() {
    std::lock_guard<std::mutex> g(queue_mu_);
    ++done_;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'done_': written in a task while the member function 'Pool::reset' writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-16]]:38: note: called from the task here
    // CHECK-MESSAGES: :[[@LINE-3]]:7: note: 'queue_mu_' is held here
    // CHECK-MESSAGES: :[[@LINE-10]]:5: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-11]]:5: note: 'stats_mu_' is held here
    // CHECK-MESSAGES: :[[@LINE-20]]:7: note: task started here
  }
  std::vector<std::thread> workers_;
  std::mutex queue_mu_, stats_mu_;
  int done_ = 0;
};

// A detached thread runs until the program ends: every public member races
// with it.
class Ticker {
public:
  void launch() {
    std::thread([this] { ticks_ = compute(ticks_); }).detach();
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'ticks_': written in a task while the member function 'Ticker::ticks' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+3]]:30: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  }
  int ticks() const { return ticks_; }

private:
  int ticks_ = 0;
};

// stop() reads before it joins: its read is still concurrent.
class EarlyReader {
public:
  void start() {
    thread_ = std::thread([this] { value_ = compute(1); });
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'value_': written in a task while the member function 'EarlyReader::stop' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+4]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  }
  void stop() {
    use(value_);
    thread_.join();
  }

private:
  std::thread thread_;
  int value_ = 0;
};

// A member group: go() in start(), wait() in finish(); peek() does not wait.
class Batch {
public:
  void start() {
    wg_.go([this] { result_ = compute(5); });
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: data race on 'result_': written in a task while the member function 'Batch::peek' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+7]]:29: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  }
  int finish() {
    wg_.wait();
    return result_;
  }
  int peek() const { return result_; }

private:
  concheck::wait_group wg_;
  int result_ = 0;
};

// A member pool: submit() in post(), wait_idle() in drain(); the pool's
// destructor joins too, after the destructor's body.
class Service {
public:
  Service() : pool_(2, 8) {}
  void post() {
    pool_.submit([this] { ++served_; });
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: data race on 'served_': written in a task while the member function 'Service::~Service' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+7]]:20: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  }
  int drain() {
    pool_.wait_idle();
    return served_;
  }
  ~Service() { use(served_); }

private:
  concheck::worker_pool pool_;
  int served_ = 0;
};

// A thread kept in a global, started by one function and joined by
// another: the file's other functions run beside it from the call that
// starts it to the one that joins it.
std::thread g_worker;
int g_progress = 0;
int g_config = 0;

void start_worker() {
  g_worker = std::thread([] {
    for (int i = 0; i < 10; ++i)
      g_progress += g_config;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'g_progress': written in a task while the function 'run_worker_program' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+10]]:32: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE+20]]:7: note: called from the function 'run_worker_program' here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: task started here
  });
}
void stop_worker() {
  if (g_worker.joinable())
    g_worker.join();
}
// Called while the worker runs.
int worker_progress() { return g_progress; }
// Called before the worker starts: no race on g_config.
void configure(int c) { g_config = c; }
// Joins first, through a call.
int final_progress() {
  stop_worker();
  return g_progress;
}
void run_worker_program() {
  configure(3);
  start_worker();
  use(worker_progress());
  use(final_progress());
  use(g_progress);
}

// A thread kept in a global, and a getter that main() calls while it runs.
int g_hits = 0;
std::thread g_ticker;
void start_ticker() {
  g_ticker = std::thread([] { ++g_hits; });
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: data race on 'g_hits': written in a task while the function 'main' accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+4]]:21: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+226]]:7: note: called from the function 'main' here
  // CHECK-MESSAGES: :[[@LINE-4]]:14: note: task started here
}
int hits() { return g_hits; }

// A member function reads through a helper: the note shows the call.
class Gauge {
public:
  void start() {
    thread_ = std::thread([this] { level_ = compute(6); });
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'level_': written in a task while the member function 'Gauge::report' accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+8]]:30: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE+4]]:29: note: called from the member function 'Gauge::report' here
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: task started here
  }
  void stop() { thread_.join(); }
  void report() const { use(level()); }

private:
  int level() const { return level_; }
  std::thread thread_;
  int level_ = 0;
};

//===----------------------------------------------------------------------===//
// Must not flag.
//===----------------------------------------------------------------------===//

// A setter that nothing calls while the thread runs (here: only before the
// start) configures the object: not taken to race with it. Calling it after
// the start, as tune() does, would be.
class Configured {
public:
  Configured &set_limit(int n) {
    limit_ = n;
    return *this;
  }
  void start() {
    thread_ = std::thread([this] { use(limit_); });
  }
  void stop() { thread_.join(); }

private:
  std::thread thread_;
  int limit_ = 0;
};
void configure_then_start() {
  Configured c;
  c.set_limit(3).start();
  c.stop();
  c.set_limit(4);
}

// A free function's detached thread: such helpers hand results back through
// futures the analysis does not follow into their wrappers; left out.
int g_fired = 0;
void fire_and_forget() {
  std::thread([] { ++g_fired; }).detach();
}
int fired() { return g_fired; }

// A common lock on both sides; an atomic member.
class Locked {
public:
  void start() {
    thread_ = std::thread([this] {
      std::lock_guard<std::mutex> g(mu_);
      ++count_;
      hits_.fetch_add(1);
    });
  }
  void stop() { thread_.join(); }
  int count() {
    std::lock_guard<std::mutex> g(mu_);
    return count_;
  }
  int hits() const { return hits_.load(); }

private:
  std::thread thread_;
  std::mutex mu_;
  int count_ = 0;
  std::atomic<int> hits_{0};
};

// Read after the join: in stop(), in the destructor, and after a private
// helper that joins.
class JoinsFirst {
public:
  void start() {
    thread_ = std::thread([this] { total_ = compute(2); });
  }
  int stop() {
    thread_.join();
    return total_;
  }
  int finish() {
    join_worker();
    return total_;
  }
  ~JoinsFirst() {
    if (thread_.joinable())
      thread_.join();
    use(total_);
  }

private:
  void join_worker() {
    if (thread_.joinable())
      thread_.join();
  }
  std::thread thread_;
  int total_ = 0;
};

// Private members are called only from inside; what the thread itself runs
// (a public step() called by the thread) is not compared with itself; the
// constructor runs before the thread starts.
class SelfCalls {
public:
  SelfCalls() { state_ = 1; }
  void start() {
    thread_ = std::thread([this] {
      for (int i = 0; i < 10; ++i)
        step();
    });
  }
  void step() { state_ = compute(state_); }
  void stop() { thread_.join(); }

private:
  void peek() { use(state_); }
  std::thread thread_;
  int state_ = 0;
};

// Joined in the function that starts it: the ordinary analysis, nothing more.
class Scoped {
public:
  void run_once() {
    std::thread t([this] { value_ = compute(3); });
    t.join();
  }
  int value() const { return value_; }

private:
  int value_ = 0;
};

// The task touches only its own data and members no other function reads.
class Private {
public:
  void start() {
    thread_ = std::thread([this] {
      int local = compute(4);
      scratch_ = local;
    });
  }
  void stop() { thread_.join(); }
  int limit() const { return limit_; }

private:
  std::thread thread_;
  int scratch_ = 0;
  int limit_ = 5;
};

// A global worker joined before its results are read, through calls: the
// function that starts it joins it on every path, so main() reads after.
std::thread g_job;
int g_result = 0;
int g_input = 0;
void start_job() {
  g_job = std::thread([] { g_result = compute(g_input); });
}
void finish_job() {
  if (g_job.joinable())
    g_job.join();
}
void set_input(int v) { g_input = v; }
int job_result() {
  finish_job();
  return g_result;
}
void run_job() {
  set_input(3);
  start_job();
  use(job_result());
  use(g_result);
}

int main() {
  Worker w;
  w.start();
  use(w.progress());
  w.stop();
  Poller p;
  p.set_interval(5);
  Pool pool(2);
  pool.reset();
  Ticker t;
  t.launch();
  use(t.ticks());
  EarlyReader e;
  e.start();
  e.stop();
  Locked l;
  l.start();
  use(l.count() + l.hits());
  l.stop();
  JoinsFirst j;
  j.start();
  use(j.stop());
  use(j.finish());
  SelfCalls s;
  s.start();
  s.stop();
  Scoped sc;
  sc.run_once();
  use(sc.value());
  Private pr;
  pr.start();
  pr.stop();
  use(pr.limit());
  run_worker_program();
  start_ticker();
  use(hits());
  fire_and_forget();
  Batch b;
  b.start();
  use(b.peek());
  use(b.finish());
  Gauge g;
  g.start();
  g.report();
  g.stop();
  g_input = 1;
  run_job();
  use(g_result);
}
