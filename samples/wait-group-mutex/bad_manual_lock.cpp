// The seed's second example ported word for word: mu.Lock() ... mu.Unlock()
// becomes mu.lock() ... mu.unlock(). It runs correctly, yet concheck flags the
// hand-written lock (C++ Core Guidelines CP.20): nothing unlocks the mutex if
// the code between the two calls throws, or if someone adds an early return
// later. Here the log's push_back can throw std::bad_alloc; wg.go() hands a
// task's exception to wait(), so the program would go on with 'mu' locked
// for good, and the next worker to lock it would block forever. Go's advice
// is the same: always `defer mu.Unlock()`. In C++: a scoped guard, good.cpp.
//
// Expected static findings (concheck):
//   concheck-unscoped-lock at line 26 (mutex 'mu' locked with 'lock()')
// Expected dynamic outcome: clean (no exception is thrown in this run)

#include <concheck/wait_group.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

std::mutex mu; // guards counter and log_lines
int counter = 0;
std::vector<std::string> log_lines;

void increment_counter(int id) {
  mu.lock();
  ++counter;
  log_lines.push_back("worker " + std::to_string(id) + " incremented the counter to " +
                      std::to_string(counter));
  mu.unlock();
}

int main() {
  concheck::wait_group wg;
  for (int id = 1; id <= 5; ++id)
    wg.go([id] { increment_counter(id); });
  wg.wait();
  for (const std::string &line : log_lines)
    std::printf("%s\n", line.c_str());
  std::printf("final counter: %d\n", counter);
}
