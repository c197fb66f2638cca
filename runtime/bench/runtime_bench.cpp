// Benchmarks of concheck's runtime against the standard equivalents.
//
// Every benchmark is named "<group>/<implementation>"; in each group the
// implementation named "baseline_*" is the reference that ratios.py divides
// by, measured in the same run. Run them with
//
//   make bench            (or: runtime/bench/ratios.py build)
//
// Goals (issue: the runtime library): guarded<T> within 5% of a raw mutex;
// a round of N tasks counted, done and waited within 1.05x of std::latch
// doing the same (issue 17; one add+done against one count_down is shown,
// not a goal: two atomic operations against one); a buffered
// channel at least 1.5x a mutex+condition_variable+deque queue; a blocked
// waiter woken no later than std::thread::join wakes its joiner, idle and on
// a machine whose cores are all busy (issue 17).

#include <concheck/channel.h>
#include <concheck/guarded.h>
#include <concheck/mutex.h>
#include <concheck/semaphore.h>
#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <latch>
#include <mutex>
#include <optional>
#include <semaphore>
#include <thread>
#include <vector>

namespace {

// --- guarded<T> against std::mutex + std::lock_guard -----------------------

struct RawCounter {
  std::mutex mu;
  long value = 0;
};

void guarded_baseline_std_mutex_lock_guard(benchmark::State &state) {
  static RawCounter counter;
  for (auto _ : state) {
    std::lock_guard<std::mutex> lock(counter.mu);
    ++counter.value;
  }
  benchmark::DoNotOptimize(counter.value);
}
BENCHMARK(guarded_baseline_std_mutex_lock_guard)
    ->Name("guarded/baseline_std_mutex_lock_guard")
    ->Threads(1)
    ->Threads(2);

void guarded_concheck_with_lock(benchmark::State &state) {
  static concheck::guarded<long> counter(0L);
  for (auto _ : state)
    counter.with_lock([](long &v) { ++v; });
  benchmark::DoNotOptimize(&counter);
}
BENCHMARK(guarded_concheck_with_lock)
    ->Name("guarded/concheck_guarded_with_lock")
    ->Threads(1)
    ->Threads(2);

void guarded_concheck_handle(benchmark::State &state) {
  static concheck::guarded<long> counter(0L);
  for (auto _ : state)
    ++*counter.lock();
  benchmark::DoNotOptimize(&counter);
}
BENCHMARK(guarded_concheck_handle)
    ->Name("guarded/concheck_guarded_lock_handle")
    ->Threads(1)
    ->Threads(2);

// --- wait_group counting against std::latch and a mutex+cv wait group ------

void wait_group_count_baseline_latch(benchmark::State &state) {
  std::latch latch(static_cast<std::ptrdiff_t>(state.max_iterations) + 1);
  for (auto _ : state)
    latch.count_down();
  latch.count_down(); // reach zero before it is destroyed
  latch.wait();
}
BENCHMARK(wait_group_count_baseline_latch)
    ->Name("wait_group_count/baseline_std_latch_count_down");

void wait_group_count_add_done(benchmark::State &state) {
  concheck::wait_group wg;
  for (auto _ : state) {
    wg.add(1);
    wg.done();
  }
  wg.wait();
}
BENCHMARK(wait_group_count_add_done)
    ->Name("wait_group_count/concheck_wait_group_add_done");

void wait_group_count_done_only(benchmark::State &state) {
  concheck::wait_group wg;
  wg.add(static_cast<std::ptrdiff_t>(state.max_iterations));
  for (auto _ : state)
    wg.done();
  wg.wait();
}
BENCHMARK(wait_group_count_done_only)
    ->Name("wait_group_count/concheck_wait_group_done");

// The wait group people write by hand.
class MutexWaitGroup {
public:
  void add(long n) {
    std::lock_guard<std::mutex> lock(mu_);
    count_ += n;
  }
  void done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0)
      cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  long count_ = 0;
};

void wait_group_count_mutex_cv(benchmark::State &state) {
  MutexWaitGroup wg;
  for (auto _ : state) {
    wg.add(1);
    wg.done();
  }
  wg.wait();
}
BENCHMARK(wait_group_count_mutex_cv)
    ->Name("wait_group_count/mutex_cv_wait_group_add_done");

// A round of fan-out and fan-in, the whole pattern: N tasks counted, each
// calls done once, one thread waits. The measured time is one round (the
// threads are started, and the group made, outside the timing). std::latch
// doing the same is the baseline (issue 17: like with like, not one add and
// done against one count_down).
template <class Group> void fan_in_round(benchmark::State &state) {
  const int tasks = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    Group wg;
    wg.add(tasks);
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < tasks; ++i)
      threads.emplace_back([&] {
        while (!go.load(std::memory_order_acquire))
          std::this_thread::yield();
        wg.done();
      });
    state.ResumeTiming();
    go.store(true, std::memory_order_release);
    wg.wait();
    state.PauseTiming();
    for (std::thread &t : threads)
      t.join();
    state.ResumeTiming();
  }
}

// std::latch behind the wait group's calls: add(n) makes the latch.
class LatchGroup {
public:
  void add(long n) { latch_.emplace(n); }
  void done() { latch_->count_down(); }
  void wait() { latch_->wait(); }

private:
  std::optional<std::latch> latch_;
};

void wait_group_fan_in_latch(benchmark::State &state) {
  fan_in_round<LatchGroup>(state);
}
BENCHMARK(wait_group_fan_in_latch)
    ->Name("wait_group_fan_in/baseline_std_latch")
    ->ArgName("tasks")
    ->Arg(4)
    ->Arg(8)
    ->UseRealTime();
void wait_group_fan_in_mutex(benchmark::State &state) {
  fan_in_round<MutexWaitGroup>(state);
}
BENCHMARK(wait_group_fan_in_mutex)
    ->Name("wait_group_fan_in/mutex_cv_wait_group")
    ->ArgName("tasks")
    ->Arg(4)
    ->Arg(8)
    ->UseRealTime();
void wait_group_fan_in_concheck(benchmark::State &state) {
  fan_in_round<concheck::wait_group>(state);
}
BENCHMARK(wait_group_fan_in_concheck)
    ->Name("wait_group_fan_in/concheck_wait_group")
    ->ArgName("tasks")
    ->Arg(4)
    ->Arg(8)
    ->UseRealTime();

// --- semaphore against std::counting_semaphore -------------------------------

void semaphore_baseline_std(benchmark::State &state) {
  static std::counting_semaphore<> sem(1);
  for (auto _ : state) {
    sem.acquire();
    sem.release();
  }
}
BENCHMARK(semaphore_baseline_std)
    ->Name("semaphore/baseline_std_counting_semaphore")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

void semaphore_concheck(benchmark::State &state) {
  static concheck::semaphore sem(1);
  for (auto _ : state) {
    sem.acquire();
    sem.release();
  }
}
BENCHMARK(semaphore_concheck)
    ->Name("semaphore/concheck_semaphore")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

// --- channel against a mutex + condition_variable + deque queue --------------

// The bounded queue people write by hand: one mutex, two condition
// variables, a notify on every operation.
template <class T> class MutexQueue {
public:
  explicit MutexQueue(std::size_t capacity) : capacity_(capacity) {}
  void send(T value) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(value));
    not_empty_.notify_one();
  }
  std::optional<T> receive() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty())
      return std::nullopt;
    T value = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return value;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> items_;
  std::size_t capacity_;
  bool closed_ = false;
};

constexpr int kItems = 20000;

// P producers send kItems values in all; one consumer receives them. The time
// per iteration is one full transfer; items/s is reported too.
template <class Queue> void transfer(benchmark::State &state, std::size_t capacity) {
  const int producers = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Queue q(capacity);
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
      threads.emplace_back([&q, producers, p] {
        for (int i = p; i < kItems; i += producers)
          q.send(i);
      });
    long sum = 0;
    for (int received = 0; received < kItems; ++received)
      sum += *q.receive();
    for (std::thread &t : threads)
      t.join();
    q.close();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kItems);
}

void channel_buffered_baseline(benchmark::State &state) {
  transfer<MutexQueue<int>>(state, 128);
}
BENCHMARK(channel_buffered_baseline)
    ->Name("channel_buffered/baseline_mutex_cv_deque")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void channel_buffered_concheck(benchmark::State &state) {
  transfer<concheck::channel<int>>(state, 128);
}
BENCHMARK(channel_buffered_concheck)
    ->Name("channel_buffered/concheck_channel")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// A payload whose move constructor is not noexcept: a buffered channel of it
// cannot use the lock-free ring and runs on its mutex-protected queue.
struct MayThrowInt {
  int v;
  MayThrowInt(int x) : v(x) {} // NOLINT: implicit, as transfer() sends ints
  MayThrowInt(const MayThrowInt &) = default;
  MayThrowInt(MayThrowInt &&other) noexcept(false) : v(other.v) {}
  operator int() const { return v; } // NOLINT
};

void channel_buffered_concheck_mutex_path(benchmark::State &state) {
  transfer<concheck::channel<MayThrowInt>>(state, 128);
}
BENCHMARK(channel_buffered_concheck_mutex_path)
    ->Name("channel_buffered/concheck_channel_mutex_path")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void channel_unbuffered_baseline(benchmark::State &state) {
  transfer<MutexQueue<int>>(state, 1);
}
BENCHMARK(channel_unbuffered_baseline)
    ->Name("channel_unbuffered/baseline_mutex_cv_deque_capacity_1")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void channel_unbuffered_concheck(benchmark::State &state) {
  transfer<concheck::channel<int>>(state, 0);
}
BENCHMARK(channel_unbuffered_concheck)
    ->Name("channel_unbuffered/concheck_channel")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// --- worker_pool submit throughput -------------------------------------------

constexpr int kTasks = 256;

// The naive alternative: a thread per task.
void pool_baseline_thread_per_task(benchmark::State &state) {
  for (auto _ : state) {
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    threads.reserve(kTasks);
    for (int i = 0; i < kTasks; ++i)
      threads.emplace_back([&] { done.fetch_add(1, std::memory_order_relaxed); });
    for (std::thread &t : threads)
      t.join();
    benchmark::DoNotOptimize(done.load());
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}
BENCHMARK(pool_baseline_thread_per_task)
    ->Name("worker_pool/baseline_thread_per_task")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void pool_concheck_submit(benchmark::State &state) {
  concheck::worker_pool pool(2, 64);
  for (auto _ : state) {
    std::atomic<int> done{0};
    for (int i = 0; i < kTasks; ++i)
      pool.submit([&] { done.fetch_add(1, std::memory_order_relaxed); });
    pool.wait_idle();
    benchmark::DoNotOptimize(done.load());
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}
BENCHMARK(pool_concheck_submit)
    ->Name("worker_pool/concheck_worker_pool_submit")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// --- wake latency: from the event to the blocked waiter running -------------
//
// One waiter thread blocks (in wait(), receive(), acquire(), a condition
// variable's wait, join()); the signalling thread reads the clock and signals
// (the last done(), close(), release(), notify, the end of the thread); the
// waiter reads the clock when its call returns. The benchmark's manual time is
// the difference: how late the waiter runs. Measured idle, and with spinning
// threads keeping every core busy ("busy", one more than the cores, as on a
// loaded build server): a primitive must wake its waiter within microseconds
// either way (issue 17: wait() woke milliseconds late under load).

// Threads that keep every core busy while they live.
class Spinners {
public:
  explicit Spinners(bool on) {
    if (!on)
      return;
    const unsigned n = std::max(2u, std::thread::hardware_concurrency()) + 1;
    for (unsigned i = 0; i < n; ++i)
      threads_.emplace_back([this] {
        unsigned long spins = 0;
        while (!stop_.load(std::memory_order_relaxed))
          benchmark::DoNotOptimize(++spins);
      });
  }
  ~Spinners() {
    stop_.store(true, std::memory_order_relaxed);
    for (std::thread &t : threads_)
      t.join();
  }

private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

using wake_clock = std::chrono::steady_clock;
constexpr int kWakeRounds = 200;

// Reports the median of `latencies` as the iteration's time (the mean would
// be one descheduled round's), and the 90th percentile as a counter.
void report_latencies(benchmark::State &state, std::vector<double> latencies) {
  std::sort(latencies.begin(), latencies.end());
  state.SetIterationTime(latencies[latencies.size() / 2]);
  state.counters["p90_us"] = latencies[latencies.size() * 9 / 10] * 1e6;
}

// kWakeRounds wake-ups, their median the iteration's time. `Prime(round)`
// runs on the waiter thread before it blocks in `Block(round)`;
// `Signal(round)` runs on the benchmark thread once the waiter has had time
// to block.
template <class Prime, class Block, class Signal>
void wake_rounds(benchmark::State &state, Prime prime, Block block,
                 Signal signal) {
  Spinners load(state.range(0) != 0);
  std::atomic<int> round{0};    // the round the waiter may start
  std::atomic<int> blocking{0}; // the round the waiter is blocking in
  std::atomic<int> finished{0}; // the round the waiter has finished
  wake_clock::time_point woke{};
  bool stop = false;
  std::thread waiter([&] {
    for (int r = 1;; ++r) {
      while (round.load(std::memory_order_acquire) < r)
        std::this_thread::yield();
      if (stop)
        return;
      prime(r);
      blocking.store(r, std::memory_order_release);
      block(r);
      woke = wake_clock::now();
      finished.store(r, std::memory_order_release);
    }
  });
  int r = 0;
  for (auto _ : state) {
    std::vector<double> latencies;
    for (int i = 0; i < kWakeRounds; ++i) {
      ++r;
      round.store(r, std::memory_order_release);
      while (blocking.load(std::memory_order_acquire) < r)
        std::this_thread::yield();
      // Time for the waiter to go to sleep in its call.
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      const wake_clock::time_point signalled = wake_clock::now();
      signal(r);
      while (finished.load(std::memory_order_acquire) < r)
        std::this_thread::yield();
      latencies.push_back(
          std::chrono::duration<double>(woke - signalled).count());
    }
    report_latencies(state, std::move(latencies));
  }
  stop = true;
  round.store(r + 1, std::memory_order_release);
  waiter.join();
}

// From the last instruction of a thread to its join() returning.
void wake_baseline_thread_join(benchmark::State &state) {
  Spinners load(state.range(0) != 0);
  for (auto _ : state) {
    std::vector<double> latencies;
    for (int i = 0; i < kWakeRounds; ++i) {
      wake_clock::time_point ended{};
      std::thread t([&] {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        ended = wake_clock::now();
      });
      t.join();
      const wake_clock::time_point joined = wake_clock::now();
      latencies.push_back(
          std::chrono::duration<double>(joined - ended).count());
    }
    report_latencies(state, std::move(latencies));
  }
}

void wake_mutex_cv(benchmark::State &state) {
  std::mutex mu;
  std::condition_variable cv;
  int ready = 0;
  wake_rounds(
      state, [](int) {},
      [&](int r) {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return ready >= r; });
      },
      [&](int r) {
        {
          std::lock_guard<std::mutex> lock(mu);
          ready = r;
        }
        cv.notify_one();
      });
}

// The waiter counts the round in (add(1)) before it waits; the benchmark
// thread's done() ends it.
void wake_concheck_wait_group(benchmark::State &state) {
  concheck::wait_group wg;
  wake_rounds(
      state, [&](int) { wg.add(1); }, [&](int) { wg.wait(); },
      [&](int) { wg.done(); });
}

void wake_std_latch(benchmark::State &state) {
  std::optional<std::latch> latch;
  wake_rounds(
      state, [&](int) { latch.emplace(1); }, [&](int) { latch->wait(); },
      [&](int) { latch->count_down(); });
}

void wake_concheck_semaphore(benchmark::State &state) {
  concheck::semaphore sem(0);
  wake_rounds(
      state, [](int) {}, [&](int) { sem.acquire(); },
      [&](int) { sem.release(); });
}

void wake_concheck_channel_close(benchmark::State &state) {
  std::optional<concheck::channel<int>> ch;
  wake_rounds(
      state, [&](int) { ch.emplace(); },
      [&](int) { benchmark::DoNotOptimize(ch->receive()); },
      [&](int) { ch->close(); });
}

#define WAKE_BENCHMARK(fn, name)                                               \
  BENCHMARK(fn)                                                                \
      ->Name(name)                                                             \
      ->ArgName("busy")                                                        \
      ->Arg(0)                                                                 \
      ->Arg(1)                                                                 \
      ->UseManualTime()                                                        \
      ->Iterations(1)                                                          \
      ->Unit(benchmark::kMicrosecond)

WAKE_BENCHMARK(wake_baseline_thread_join, "wake/baseline_std_thread_join");
WAKE_BENCHMARK(wake_mutex_cv, "wake/mutex_condition_variable");
WAKE_BENCHMARK(wake_std_latch, "wake/std_latch");
WAKE_BENCHMARK(wake_concheck_wait_group, "wake/concheck_wait_group");
WAKE_BENCHMARK(wake_concheck_semaphore, "wake/concheck_semaphore_release");
WAKE_BENCHMARK(wake_concheck_channel_close, "wake/concheck_channel_close");

} // namespace

int main(int argc, char **argv) {
  // glibc takes an uncontended mutex without an atomic instruction while the
  // process has never had a second thread (SINGLE_THREAD_P). Whichever
  // benchmark ran first would get that shortcut and every later one would
  // not; a real concurrent program never does. Start (and end) one thread so
  // that every measurement sees the same, multithreaded, process.
  std::thread([] {}).join();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
