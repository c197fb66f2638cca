#include <mutex>

std::mutex m;
int counter;

void bump() {
  m.lock(); // NOLINT(concheck-unscoped-lock): released by finish()
  ++counter;
}

void finish() {
  m.unlock();
}
