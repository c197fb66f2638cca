#include <mutex>

std::mutex m;
int counter;

int bump() {
  std::scoped_lock lock(m);
  return ++counter;
}
