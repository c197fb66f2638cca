// The seed's first example: orchestration with a wait group. main starts
// three workers and announces that all of them completed only once each one
// has finished. The group orders the workers' ends before that line; it
// protects no data.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/wait_group.h>

#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

void worker(int id, concheck::wait_group &wg) {
  // Go's `defer wg.Done()`: the guard calls done() however worker() ends.
  concheck::done_guard done(wg);
  std::printf("worker %d started\n", id);
  std::printf("worker %d finished\n", id);
}

int main() {
  concheck::wait_group wg;
  std::vector<std::thread> workers;
  for (int id = 1; id <= 3; ++id) {
    wg.add(1); // count the worker before it exists, so wait() cannot miss it
    workers.emplace_back(worker, id, std::ref(wg));
  }
  wg.wait();
  std::printf("all workers completed\n");
  // wait() says the work is done; a std::thread must still be joined.
  // (wg.go() would start and join the threads itself.)
  for (std::thread &t : workers)
    t.join();
}
