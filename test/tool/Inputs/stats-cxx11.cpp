// Before C++17 `auto t = std::thread(f)` moves a temporary thread into t:
// the move is no task start, the construction it wraps is.
#include <thread>

void work();

void run() {
  auto t = std::thread([] { work(); });
  t.join();
}
