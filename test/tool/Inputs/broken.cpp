#include <mutex>

std::mutex m;

void broken() {
  m.lock();
  this_is_not_declared();
  m.unlock();
}
