// Mock of taskflow's executor and task graphs: async() returns a future
// (tf::Future derives from std::future), silent_async() returns nothing,
// wait_for_all() waits. A Taskflow (a FlowBuilder) holds tasks made by
// emplace() (several at once give a tuple), ordered by precede()/succeed()
// or linearize(); run() runs them all and returns a future, corun() runs
// them and waits. clear() empties a flow; a task's work(), its semaphores and
// a Runtime's schedule() change what runs when.
#pragma once
#include <cstddef>
#include <future>
#include <initializer_list>
#include <string>
#include <tuple>
#include <vector>

namespace tf {
template <class T> class Future : public std::future<T> {};

class Semaphore {
public:
  explicit Semaphore(std::size_t max) {}
};
class Taskflow;
struct GuidedPartitioner {};
struct StaticPartitioner {
  explicit StaticPartitioner(std::size_t chunk = 0) {}
};

class Task {
public:
  Task() = default;
  Task(const Task &) = default;
  Task &operator=(const Task &) = default;
  template <class... Ts> Task &precede(Ts &&...tasks) { return *this; }
  template <class... Ts> Task &succeed(Ts &&...tasks) { return *this; }
  Task &name(const std::string &) { return *this; }
  template <class C> Task &work(C &&callable) { return *this; }
  Task &acquire(Semaphore &) { return *this; }
  Task &release(Semaphore &) { return *this; }
  Task &composed_of(Taskflow &) { return *this; }
  std::size_t num_successors() const { return 0; }
};

class Runtime {
public:
  void schedule(Task task) {}
};

class FlowBuilder {
public:
  template <class C> Task emplace(C &&callable) { return {}; }
  template <class... C, std::enable_if_t<(sizeof...(C) > 1), int> = 0>
  auto emplace(C &&...callables) {
    return std::make_tuple(emplace(std::forward<C>(callables))...);
  }
  Task placeholder() { return {}; }
  void linearize(std::vector<Task> &tasks) {}
  void linearize(std::initializer_list<Task> tasks) {}
  template <class B, class E, class C, class P = GuidedPartitioner>
  Task for_each(B first, E last, C callable, P part = P()) {
    return {};
  }
  template <class B, class E, class S, class C, class P = GuidedPartitioner>
  Task for_each_index(B first, E last, S step, C callable, P part = P()) {
    return {};
  }
};

class Taskflow : public FlowBuilder {
public:
  Taskflow() = default;
  explicit Taskflow(const std::string &name) {}
  void clear() {}
};

class Executor {
public:
  explicit Executor(unsigned workers = 4);
  ~Executor();
  template <class F> auto async(F &&f) -> Future<decltype(f())> { return {}; }
  template <class F> void silent_async(F &&f) {}
  Future<void> run(Taskflow &flow) { return {}; }
  Future<void> run(Taskflow &&flow) { return {}; }
  Future<void> run_n(Taskflow &flow, std::size_t n) { return {}; }
  template <class T> void corun(T &target) {}
  void wait_for_all();
};
} // namespace tf
