// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -I%runtime_include
//
// concheck-unguarded-write against the real libstdc++ headers and the real
// concheck runtime: every case the issue lists, must catch and must stay
// silent on.

#include <array>
#include <atomic>
#include <concheck/guarded.h>
#include <concheck/wait_group.h>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

int compute(int);
void use(int);

//===----------------------------------------------------------------------===//
// Must catch.
//===----------------------------------------------------------------------===//

// The seed's counter race: counter++ from many tasks.
int seed_counter_race() {
  concheck::wait_group wg;
  int counter = 0;
  for (int i = 0; i < 1000; ++i) {
    wg.add(1);
    std::thread([&] {
      concheck::done_guard done(wg);
      counter++;
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'counter': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: task started here
    }).detach();
  }
  wg.wait();
  return counter;
}

// A write in a task, the read in the spawner before the join.
int read_before_join() {
  int result = 0;
  std::thread t([&] { result = compute(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: data race on 'result': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  use(result);
  t.join();
  return result;
}

// A lambda stored in a variable first, then spawned twice.
int stored_lambda_spawned_twice() {
  int total = 0;
  auto add = [&] { total += compute(2); };
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'total': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+1]]:15: note: task started here
  std::thread a(add);
  std::thread b(add);
  a.join();
  b.join();
  return total;
}

// A lambda handed through a submit wrapper defined in this file.
template <class F> void submit(F &&f) { std::thread(std::forward<F>(f)).detach(); }

int through_wrapper() {
  int hits = 0;
  for (int i = 0; i < 4; ++i)
    submit([&hits] { ++hits; });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'hits': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  return hits;
}

// A member function spawned with 'this'.
class Tally {
public:
  void add_one() { count_ += 1; }
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'count_': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:17: note: task started here
  int run() {
    std::thread a(&Tally::add_one, this);
    std::thread b(&Tally::add_one, this);
    a.join();
    b.join();
    return count_;
  }

private:
  int count_ = 0;
};

// A write under a lock, the other access outside it.
int lock_on_one_side_only() {
  std::mutex mu;
  int value = 0;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(mu);
    value = 1;
  });
  use(value);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'value': read here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  t.join();
  return value;
}

// unique_lock unlocked early, before the write.
int unique_lock_unlocked_early() {
  std::mutex mu;
  int value = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&] {
      std::unique_lock<std::mutex> lock(mu);
      lock.unlock();
      value += 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'value': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-5]]:5: note: task started here
    });
  for (std::thread &t : threads)
    t.join();
  return value;
}

// Two different mutexes.
int two_different_mutexes() {
  std::mutex m1, m2;
  int value = 0;
  std::thread a([&] {
    std::lock_guard<std::mutex> lock(m1);
    value += 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'value': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+5]]:5: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
  });
  std::thread b([&] {
    std::lock_guard<std::mutex> lock(m2);
    value += 2;
  });
  a.join();
  b.join();
  return value;
}

// push_back on a shared vector from several tasks.
void push_back_from_tasks() {
  std::vector<int> out;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&out, i] { out.push_back(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: data race on 'out': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: task started here
  for (std::thread &t : threads)
    t.join();
}

// A global written by a task while main reads it.
int global_flag;
int main_reads_global() {
  std::thread t([] { global_flag = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'global_flag': written in a task while the spawning function accesses it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+2]]:14: note: concurrent read here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  int seen = global_flag;
  t.join();
  return seen;
}

//===----------------------------------------------------------------------===//
// Must stay silent.
//===----------------------------------------------------------------------===//

int fork_join() {
  int result = 0;
  std::thread t([&] { result = compute(3); });
  t.join();
  return result; // after the join
}

int write_before_spawn() {
  int config = compute(4); // written before the task starts
  std::thread t([&] { use(config); });
  t.join();
  return config;
}

int per_task_slots_by_copy() {
  std::vector<int> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&results, i] { results[i] = compute(i); });
  for (std::thread &t : threads)
    t.join();
  return results[0];
}

void fill(std::vector<int> *results, int i) { (*results)[i] = compute(i); }

int per_task_slots_by_argument() {
  std::vector<int> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(fill, &results, i);
  for (std::thread &t : threads)
    t.join();
  return results[0];
}

int data_only_one_task_touches() {
  int mine = 0;
  std::thread t([&] { mine = compute(5); });
  // The spawner leaves 'mine' alone until the join.
  t.join();
  return mine;
}

int copy_captures() {
  int value = 0;
  std::thread t([value]() mutable { value = compute(6); });
  value = 1;
  t.join();
  return value;
}

class Snapshot {
public:
  int run() {
    std::thread t([*this]() mutable { count_ = compute(7); });
    count_ = 1;
    t.join();
    return count_;
  }

private:
  int count_ = 0;
};

int deferred_async() {
  int value = 0;
  auto f = std::async(std::launch::deferred, [&] { value = 1; });
  value = 2;
  f.get();
  return value;
}

int async_then_get() {
  int value = 0;
  auto f = std::async(std::launch::async, [&] { value = 1; });
  f.get();
  return value;
}

int same_mutex_different_guards() {
  std::shared_mutex mu;
  int value = 0;
  std::thread a([&] {
    std::unique_lock<std::shared_mutex> lock(mu);
    value += 1;
  });
  std::thread b([&] {
    std::scoped_lock lock(mu);
    value += 2;
  });
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    use(value);
  }
  a.join();
  b.join();
  return value;
}

thread_local int per_thread_scratch;
void thread_local_is_private() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([] { per_thread_scratch = compute(8); });
  for (std::thread &t : threads)
    t.join();
}

void task_local_variables() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([] {
      int local = compute(9);
      local += 1;
      use(local);
    });
  for (std::thread &t : threads)
    t.join();
}

int reads_only() {
  int limit = compute(10);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { use(limit); });
  use(limit);
  for (std::thread &t : threads)
    t.join();
  return limit;
}

int atomics() {
  std::atomic<int> hits{0};
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&] { hits++; });
  wg.wait();
  return hits;
}

int guarded_values() {
  concheck::guarded<std::map<int, int>> cache;
  concheck::wait_group wg;
  for (int i = 0; i < 4; ++i)
    wg.go([&cache, i] { cache.with_lock([i](auto &m) { m[i] = i; }); });
  wg.wait();
  return cache.with_lock([](auto &m) { return static_cast<int>(m.size()); });
}

int counter_under_lock() {
  std::mutex mu;
  int counter = 0;
  concheck::wait_group wg;
  for (int i = 0; i < 1000; ++i)
    wg.go([&] {
      std::lock_guard<std::mutex> lock(mu);
      counter++;
    });
  wg.wait();
  return counter;
}

int wait_group_orders_the_read() {
  concheck::wait_group wg;
  int result = 0;
  wg.add(1);
  std::thread t([&] {
    result = compute(11);
    wg.done();
  });
  wg.wait();
  use(result);
  t.join();
  return result;
}

// libstdc++ declares future::wait() in a base class: it joins all the same.
int future_wait_in_base_class_orders_the_read() {
  int result = 0;
  std::future<void> done =
      std::async(std::launch::async, [&] { result = compute(50); });
  done.wait();
  return result;
}

int wait_for_ready_loop_orders_the_read() {
  int result = 0;
  auto done = std::async(std::launch::async, [&] { result = compute(51); });
  while (done.wait_for(std::chrono::milliseconds(5)) !=
         std::future_status::ready) {
  }
  return result;
}

void range_for_slots_over_a_vector() {
  std::vector<int> results(4);
  std::vector<std::thread> threads;
  for (int &slot : results)
    threads.emplace_back([&slot] { slot = compute(52); });
  for (std::thread &t : threads)
    t.join();
}

void elements_of_a_vector_of_atomics(int n) {
  std::vector<std::atomic<int>> hits(n);
  std::vector<std::jthread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&hits, n] { hits[compute(n)] = 1; });
}

// A single-producer, single-consumer ring on libstdc++'s atomics, whose
// load() and store() are members of a base class (__atomic_base): push
// writes the slot and then publishes the tail, pop acquires the tail before
// it reads the slot. The hand-off is inside the callees.
template <class T, std::size_t N> class SpscRing {
public:
  bool push(T &&item) noexcept {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t next = (tail + 1) % N;
    if (next == head_.load(std::memory_order_acquire))
      return false;
    buf_[tail] = std::move(item);
    tail_.store(next, std::memory_order_release);
    return true;
  }
  bool push(const T &item) {
    T copy{item};
    return push(std::move(copy));
  }
  std::optional<T> pop() noexcept {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire))
      return std::nullopt;
    T item{std::move(buf_[head])};
    head_.store((head + 1) % N, std::memory_order_release);
    return item;
  }

private:
  std::atomic<std::size_t> head_{0}, tail_{0};
  std::array<T, N> buf_{};
};

void spsc_ring_hands_off_inside_its_methods() {
  SpscRing<int, 64> ring;
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i)
      while (!ring.push(i)) {
      }
  });
  std::thread consumer([&] {
    for (int got = 0; got < 100;)
      if (ring.pop())
        ++got;
  });
  producer.join();
  consumer.join();
}

// A class that owns its thread: started in start(), joined in stop() or the
// destructor; progress() runs beside it, finish() after the join.
class OwnedWorker {
public:
  void start() {
    thread_ = std::thread([this] {
      for (int i = 0; i < 100; ++i)
        ++done_;
      // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: data race on 'done_': written in a task while the member function 'OwnedWorker::progress' accesses it, with no common lock [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE+10]]:33: note: concurrent read here
      // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
      std::lock_guard<std::mutex> g(mu_);
      ++locked_;
    });
  }
  ~OwnedWorker() {
    if (thread_.joinable())
      thread_.join();
  }
  int progress() const { return done_; }
  int locked() {
    std::lock_guard<std::mutex> g(mu_);
    return locked_;
  }
  int finish() {
    thread_.join();
    return done_ + locked_;
  }
  std::vector<std::thread> workers_;
  void more() {
    workers_.emplace_back([this] { extra_.fetch_add(1); });
  }

private:
  std::thread thread_;
  std::mutex mu_;
  int done_ = 0, locked_ = 0;
  std::atomic<int> extra_{0};
};
void use_owned_worker() {
  OwnedWorker w;
  w.start();
  use(w.progress() + w.locked());
  use(w.finish());
}
