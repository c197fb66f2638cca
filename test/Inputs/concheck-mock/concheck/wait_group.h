// Mock of concheck's runtime <concheck/wait_group.h> for the lit tests of the
// wait-group checks: wait_group (add, done, wait, go) and done_guard, with the
// runtime's signatures. go() hands the task to a declared-only starter, as the
// mock <thread> does, so that a lambda task compiles without the runtime.
#ifndef CONCHECK_MOCK_WAIT_GROUP_H_
#define CONCHECK_MOCK_WAIT_GROUP_H_

#include <bits/bound_call.h>
#include <cstddef>
#include <utility>

namespace concheck {

class wait_group {
public:
  wait_group() = default;
  wait_group(const wait_group &) = delete;
  wait_group &operator=(const wait_group &) = delete;
  ~wait_group();

  void add(std::ptrdiff_t delta = 1);
  void done() { add(-1); }
  void wait();

  // Counts the task, starts it on a new thread and calls done() when it ends.
  template <class F> void go(F &&f) {
    add(1);
    start_task(std::__make_task_state(std::forward<F>(f)));
  }

private:
  void start_task(std::__task_state *state);
};

// Calls group.done() when it goes out of scope.
class done_guard {
public:
  [[nodiscard]] explicit done_guard(wait_group &group) noexcept
      : group_(group) {}
  done_guard(const done_guard &) = delete;
  done_guard &operator=(const done_guard &) = delete;
  ~done_guard() { group_.done(); }

private:
  wait_group &group_;
};

} // namespace concheck

#endif // CONCHECK_MOCK_WAIT_GROUP_H_
