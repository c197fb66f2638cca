// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/executors

// taskflow's task graphs (Inputs/executors/taskflow.hpp): emplace() only
// makes a task; Executor::run() starts every task of the flow, which run at
// once unless precede()/succeed() (or linearize()) orders them; the future
// run() returns, wait_for_all() and corun() wait for them. Two runs of one
// flow never overlap (the executor runs them one after another).

#include <mutex>
#include <taskflow.hpp>
#include <vector>

void use(int);

//===----------------------------------------------------------------------===//
// Positives
//===----------------------------------------------------------------------===//

int two_unordered(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:25: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: task started here
  flow.emplace([&n] { ++n; });
  ex.run(flow).wait();
  return n;
}

int tuple_unordered(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  auto [first, a, b] = flow.emplace([&n] { n = 0; }, [&n] { n = 1; },
  // CHECK-MESSAGES: :[[@LINE-1]]:61: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:44: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: task started here
                                    [&n] { n = 2; });
  first.precede(a, b); // a and b are not ordered
  ex.run(flow).wait();
  return n;
}

int fan_out_siblings(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task a = flow.emplace([&n] { n = 0; });
  tf::Task b = flow.emplace([&n] { n += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:36: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: task started here
  tf::Task c = flow.emplace([&n] { n += 2; }).name("c");
  a.precede(b, c);
  ex.run(flow).wait();
  return n;
}

int read_while_running(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+1]]:15: note: task started here
  auto done = ex.run(flow);
  use(n);
  done.get();
  return n;
}

int read_before_wait_for_all(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([&n] { n = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: data race on 'n': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  ex.run(flow);
  use(n);
  ex.wait_for_all();
  return n;
}

long parallel_for_sum(tf::Executor &ex) {
  tf::Taskflow flow;
  long sum = 0;
  flow.for_each_index(0, 100, 1, [&sum](int i) { sum += i; });
  // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: data race on 'sum': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  ex.run(flow).wait();
  return sum;
}

long parallel_for_partitioned(tf::Executor &ex, std::vector<int> &v) {
  tf::Taskflow flow;
  long sum = 0;
  flow.for_each(v.begin(), v.end(), [&sum](int &x) { sum += x; x = 0; },
  // CHECK-MESSAGES: :[[@LINE-1]]:54: warning: data race on 'sum': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: task started here
                tf::StaticPartitioner(8));
  ex.run(flow).wait();
  return sum;
}

// An index that folds two runs' values into one (t % 4) may repeat.
void histogram(tf::Executor &ex, std::vector<int> &hist) {
  tf::Taskflow flow;
  flow.for_each_index(0, 64, 1, [&hist](int t) { hist[t % 4] += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: data race on 'hist': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  ex.run(flow).wait();
}

int emplaced_in_a_loop(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  for (int i = 0; i < 4; ++i)
    flow.emplace([&n, i] { n += i; });
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'n': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+1]]:3: note: task started here
  ex.run(flow).wait();
  return n;
}

// A flow the constructor builds and a member function runs.
class Pipeline {
public:
  Pipeline() {
    flow_.emplace([this] { ++hits_; });
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: data race on 'hits_': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+1]]:30: note: concurrent write here
    flow_.emplace([this] { ++hits_; });
  }
  void once() { ex_.run(flow_).wait(); }
  // CHECK-MESSAGES: :[[@LINE-1]]:17: note: task started here

private:
  tf::Executor ex_;
  tf::Taskflow flow_;
  int hits_ = 0;
};

// std::tie binds task variables again, to another flow's tasks: x and y are
// second's from then on, ordered, and its third task is ordered with neither.
int tie_rebinds(tf::Executor &ex) {
  int n = 0;
  tf::Taskflow first, second;
  auto [a, b] = first.emplace([] {}, [] {});
  tf::Task x = first.emplace([] {}), y = first.emplace([] {});
  x.precede(y);
  std::tie(x, y) = second.emplace([&n] { n = 1; }, [&n] { n = 2; });
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+3]]:25: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: task started here
  x.precede(y);
  second.emplace([&n] { n = 3; });
  ex.run(first).wait();
  ex.run(second).wait();
  return n + (a.num_successors() > 0) + (b.num_successors() > 0);
}

//===----------------------------------------------------------------------===//
// Negatives
//===----------------------------------------------------------------------===//

int chain_in_order(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task a = flow.emplace([&n] { n = 1; });
  tf::Task b = flow.emplace([&n] { n *= 2; });
  tf::Task c = flow.emplace([&n] { n += 3; });
  a.precede(b);
  c.succeed(b); // a before b before c: never two at once
  ex.run(flow).wait();
  return n;
}

int chained_precede(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  auto [a, b, c] =
      flow.emplace([&n] { n = 1; }, [&n] { n *= 2; }, [&n] { n += 3; });
  b.precede(c).succeed(a);
  ex.run(flow).wait();
  return n;
}

int linearized(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task a = flow.emplace([&n] { n = 1; });
  tf::Task b = flow.emplace([&n] { n *= 2; });
  tf::Task c = flow.emplace([&n] { n += 3; });
  flow.linearize({a, b, c});
  ex.run(flow).wait();
  return n;
}

int spawner_before_run_and_after_wait(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([&n] { n = 1; }); // made here, started by run()
  n = 5;
  use(n);
  ex.run(flow).wait();
  use(n);
  auto f = ex.run(flow);
  f.wait();
  return n;
}

int corun_waits(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([&n] { n = 1; });
  ex.corun(flow);
  use(n);
  return n;
}

int runs_of_one_flow_take_turns(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([&n] { ++n; });
  ex.run(flow);
  ex.run_n(flow, 3);
  ex.wait_for_all();
  return n;
}

void one_slot_each(tf::Executor &ex, std::vector<int> &out) {
  tf::Taskflow flow;
  for (int i = 0; i < 4; ++i)
    flow.emplace([&out, i] { out[i] = i * i; });
  ex.run(flow).wait();
}

// Each run writes the rows of its own block: indices made from the run's
// own value (a local computed from it, a sum or product with others).
void blocks(tf::Executor &ex, std::vector<int> &out, int width) {
  tf::Taskflow flow;
  flow.for_each_index(0, 4, 1, [&out, width](int block) {
    const int first = block * 8;
    for (int r = first; r < first + 8; ++r)
      for (int c = 0; c < width; ++c)
        out[r * width + c] = r;
  });
  ex.run(flow).wait();
}

int under_a_lock(tf::Executor &ex) {
  tf::Taskflow flow;
  std::mutex mu;
  int n = 0;
  flow.emplace([&] { std::lock_guard<std::mutex> g(mu); ++n; });
  flow.emplace([&] { std::lock_guard<std::mutex> g(mu); ++n; });
  ex.run(flow).wait();
  return n;
}

// An order concheck cannot follow (tasks kept in a vector) is taken to
// order every task of the flow: no finding rather than a guess.
int ordered_through_a_vector(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  std::vector<tf::Task> steps;
  for (int i = 0; i < 4; ++i)
    steps.push_back(flow.emplace([&n, i] { n += i; }));
  for (int i = 0; i + 1 < 4; ++i)
    steps[i].precede(steps[i + 1]);
  ex.run(flow).wait();
  return n;
}

int flows_one_after_another(tf::Executor &ex) {
  int n = 0;
  tf::Taskflow one, two;
  one.emplace([&n] { n = 1; });
  two.emplace([&n] { n = 2; });
  ex.run(one).wait();
  ex.run(two).wait();
  return n;
}

int task_made_after_the_run(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  flow.emplace([] {});
  ex.run(flow).wait();
  flow.emplace([&n] { n = 1; }); // not in the first run
  use(n);
  ex.run(flow).wait();
  return n;
}

// clear() empties the flow: a run starts only the tasks made since.
int cleared_between_runs(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task a = flow.emplace([&n] { n = 1; });
  tf::Task b = flow.emplace([&n] { n = 2; });
  a.precede(b);
  ex.run(flow).wait();
  flow.clear();
  flow.emplace([&n] { n = 3; });
  ex.run(flow).wait();
  return n;
}

// A flow cleared and built again in each iteration: one task per run.
int rebuilt_in_a_loop(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  for (int round = 0; round < 3; ++round) {
    flow.clear();
    flow.emplace([&n] { ++n; });
    ex.run(flow).wait();
  }
  for (int round = 0; round < 3; ++round) {
    tf::Taskflow fresh;
    fresh.emplace([&n] { ++n; });
    ex.run(fresh).wait();
  }
  return n;
}

// Semaphores of one unit let one task run at a time; a task given new work,
// or handed to a Runtime to schedule, runs when the analysis cannot tell.
int critical_section(tf::Executor &ex, tf::Semaphore &one) {
  tf::Taskflow flow;
  int n = 0;
  for (int i = 0; i < 8; ++i)
    flow.emplace([&n] { ++n; }).name("critical").acquire(one).release(one);
  ex.run(flow).wait();
  return n;
}

int work_replaced(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task a = flow.emplace([&n] { n = 1; });
  tf::Task b = flow.emplace([] {});
  a.precede(b);
  b.work([&n] { n = 2; });
  ex.run(flow).wait();
  return n;
}

int scheduled_by_a_runtime(tf::Executor &ex) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task later = flow.emplace([&n] { n = 1; });
  tf::Task first = flow.emplace([&n, &later](tf::Runtime &rt) {
    n = 2;
    rt.schedule(later);
  });
  later.succeed(first);
  ex.run(flow).wait();
  return n;
}

// A placeholder stands for a module flow a runtime schedules: what runs
// when is beyond the analysis.
int module_scheduled(tf::Executor &ex, tf::Taskflow &module) {
  tf::Taskflow flow;
  int n = 0;
  tf::Task a = flow.emplace([&n] { n = 1; });
  tf::Task m = flow.placeholder().name("module");
  tf::Task b = flow.emplace([&n] { ++n; });
  a.precede(m);
  m.precede(b);
  m.composed_of(module);
  tf::Task go = flow.emplace([&n, &m](tf::Runtime &rt) {
    ++n;
    rt.schedule(m);
  });
  go.precede(a);
  ex.run(flow).wait();
  return n;
}
