#include <mutex>

std::mutex m;
int counter;

void bump() {
#ifndef NO_LOCKS
  m.lock();
  ++counter;
  m.unlock();
#endif
}
