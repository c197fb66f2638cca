// A typical small translation unit for the overhead benchmark: <thread> and
// <mutex>, some threads, some locking (correct and not).
#include <mutex>
#include <thread>
#include <vector>

namespace {
std::mutex mu;
long total = 0;

void add_locked(long n) {
  std::scoped_lock lock(mu);
  total += n;
}

long add_manual(long n) {
  mu.lock();
  if (n < 0)
    return total; // leaves mu locked
  total += n;
  mu.unlock();
  return total;
}
} // namespace

int main() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([i] {
      add_locked(i);
      add_manual(i);
    });
  for (auto &w : workers)
    w.join();
  return total > 0 ? 0 : 1;
}
