// The seed's gotcha #2 in C++: the task counts itself. Its add() runs on the
// task's own thread, so nothing orders it before main's wait(), which could
// just as well have returned before the task started. Built with
// -fsanitize=thread, wait_group makes TSan report the missing happens-before
// as a data race between wait_group::add and wait_group::wait.
//
// This run is forced into the interleaving where the bug stays hidden at run
// time (the add() comes first, so wait() does wait) to show that TSan reports
// it anyway. The flags that force it are relaxed atomics and a test-only
// observer: neither creates happens-before, so they hide nothing from TSan.
#include <concheck/wait_group.h>

#include <atomic>
#include <thread>

int main() {
  concheck::wait_group wg;
  std::atomic<bool> task_added{false};
  std::thread task([&] {
    wg.add(1); // BUG: belongs in main, before the thread starts
    task_added.store(true, std::memory_order_relaxed);
    // Let main's wait() block before this task is done.
    while (wg.waiters_for_testing() == 0)
      std::this_thread::yield();
    wg.done();
  });
  while (!task_added.load(std::memory_order_relaxed))
    std::this_thread::yield();
  wg.wait();
  task.join();
  return 0;
}
