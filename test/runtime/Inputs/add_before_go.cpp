// The fix for gotcha #2: add() in main, before the task starts, so thread
// creation orders it before the task and program order before wait(). TSan
// stays quiet, including on the path where wait() really blocks. wait_group::go
// does the same bookkeeping by itself.
#include <concheck/wait_group.h>

#include <cstdio>
#include <thread>

int main() {
  concheck::wait_group wg;
  int result = 0;
  wg.add(1);
  std::thread task([&] {
    // Let main's wait() block first, so the check covers that path too.
    while (wg.waiters_for_testing() == 0)
      std::this_thread::yield();
    result = 42;
    wg.done();
  });
  wg.wait();
  task.join();

  int from_go = 0;
  for (int i = 1; i <= 3; ++i)
    wg.go([&from_go, i] {
      if (i == 2)
        from_go = 2;
    });
  wg.wait();

  std::printf("result %d, from go %d\n", result, from_go);
  return 0;
}
