// Benchmarks of concheck's runtime against the standard equivalents.
//
// Every benchmark is named "<group>/<implementation>"; in each group the
// implementation named "baseline_*" is the reference that ratios.py divides
// by, measured in the same run. Run them with
//
//   make bench            (or: runtime/bench/ratios.py build)
//
// Goals (issue: the runtime library): guarded<T> within 5% of a raw mutex;
// wait_group add+done no slower than std::latch::count_down; a buffered
// channel at least 1.5x a mutex+condition_variable+deque queue.

#include <concheck/channel.h>
#include <concheck/guarded.h>
#include <concheck/mutex.h>
#include <concheck/semaphore.h>
#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>

#include <benchmark/benchmark.h>

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

// A round of fan-out and fan-in: 4 threads, each calls done once; the
// measured time is one round (threads are started outside the timing).
template <class Group> void fan_in_round(benchmark::State &state) {
  constexpr int kTasks = 4;
  for (auto _ : state) {
    state.PauseTiming();
    Group wg;
    wg.add(kTasks);
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < kTasks; ++i)
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
void wait_group_fan_in_mutex(benchmark::State &state) {
  fan_in_round<MutexWaitGroup>(state);
}
BENCHMARK(wait_group_fan_in_mutex)
    ->Name("wait_group_fan_in/baseline_mutex_cv_wait_group")
    ->UseRealTime();
void wait_group_fan_in_concheck(benchmark::State &state) {
  fan_in_round<concheck::wait_group>(state);
}
BENCHMARK(wait_group_fan_in_concheck)
    ->Name("wait_group_fan_in/concheck_wait_group")
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
