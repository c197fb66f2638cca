// A project header (not a system one) that starts a thread.
#pragma once
#include <thread>

inline void start_worker(int &n) {
  std::thread t([&n] { ++n; });
  t.join();
}
