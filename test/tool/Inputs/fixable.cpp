#include <mutex>

std::mutex m;
int counter;

void bump() {
  m.lock();
  ++counter;
  m.unlock();
}
