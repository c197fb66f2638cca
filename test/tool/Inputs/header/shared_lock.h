// Included by two translation units: its finding must be reported once.
#pragma once
#include <mutex>

inline std::mutex shared_mu;

inline void touch_shared() {
  shared_mu.lock();
  shared_mu.unlock();
}
