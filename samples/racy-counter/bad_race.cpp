// The seed's race-detector example: a thousand tasks increment a plain int.
// counter++ is a read, an add and a write; two tasks can read the same value
// and one increment is lost. Built with -fsanitize=thread (Go's -race), the
// program reports the race even in a run that happens to print 1000, because
// nothing orders one task's write before another's.
//
// Expected static findings (concheck):
//   concheck-unguarded-write at line 32 (written by every task, no lock)
// Expected dynamic outcome: data race

#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

int main() {
  concheck::wait_group wg;
  int counter = 0;
  // Plain threads and add() before each start, as in the seed. (wg.go()
  // would join the threads of finished tasks before it starts the next one,
  // ordering those tasks before it: TSan would then see the race only
  // between tasks that happen to overlap in time.)
  std::vector<std::thread> tasks;
  tasks.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    wg.add(1);
    tasks.emplace_back([&] {
      concheck::done_guard done(wg);
      // BUG: unsynchronized read-modify-write of a shared variable.
      counter++;
    });
  }
  wg.wait();
  std::printf("final counter: %d\n", counter); // often less than 1000
  for (std::thread &t : tasks)
    t.join();
}
