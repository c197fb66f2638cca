// What --stats reports: two standard task starts, one through a pool the
// analysis infers from its body (queue_pool.h, outside this file), their
// joins, a guard and a manual lock of one mutex type.
#include <future>
#include <mutex>
#include <queue_pool.h>
#include <thread>

std::mutex mu;
int n;

void work() {
  std::lock_guard<std::mutex> g(mu);
  ++n;
}

int main() {
  std::thread t(work);
  auto f = std::async(std::launch::async, work);
  pools::QueuePool pool(2);
  auto r = pool.enqueue(work);
  r.get();
  f.get();
  t.join();
  mu.lock();
  ++n;
  mu.unlock();
  return n;
}
