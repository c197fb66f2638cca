#include <mutex>

std::mutex m;
int counter;

int bump(bool stop) {
  m.lock();
  if (stop)
    return -1;
  ++counter;
  m.unlock();
  return counter;
}
