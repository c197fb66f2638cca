// Declares as a known gap a finding that concheck does report.
//
// Expected static findings (concheck):
//   concheck-unscoped-lock at line 15
// Expected dynamic outcome: clean
// Known concheck gap, missed:
//   concheck-unscoped-lock at line 15

#include <mutex>

std::mutex mu;
int counter = 0;

int main() {
  mu.lock();
  ++counter;
  mu.unlock();
}
