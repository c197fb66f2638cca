// Gotcha #2 with several tasks that each count themselves: the first task's
// add() raises the counter from zero, and that task is already done by the
// time main's wait() blocks on the second one. Nothing orders the first add()
// before wait(), and TSan must say so, although a done() (a release) by the
// same task came in between: wait() acquires nothing before it checks.
//
// As in add_in_task.cpp, relaxed atomics and the test-only observer force the
// interleaving without creating happens-before.
#include <concheck/wait_group.h>

#include <atomic>
#include <thread>

int main() {
  concheck::wait_group wg;
  std::atomic<int> step{0};
  auto await_step = [&](int n) {
    while (step.load(std::memory_order_relaxed) < n)
      std::this_thread::yield();
  };
  std::thread first([&] {
    wg.add(1); // BUG: from zero, and not ordered before main's wait()
    step.store(1, std::memory_order_relaxed);
    await_step(2);
    wg.done();
    step.store(3, std::memory_order_relaxed);
  });
  std::thread second([&] {
    await_step(1);
    wg.add(1); // BUG too, but the counter is not at zero here
    step.store(2, std::memory_order_relaxed);
    while (wg.waiters_for_testing() == 0)
      std::this_thread::yield();
    wg.done();
  });
  await_step(3);
  wg.wait(); // blocks on the second task
  first.join();
  second.join();
  return 0;
}
