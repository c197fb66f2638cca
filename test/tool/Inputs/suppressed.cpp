#include <mutex>

std::mutex m, n;
int counter;

void reasoned() {
  m.lock(); // NOLINT(concheck-unscoped-lock): released below, no early exit
  ++counter;
  m.unlock();
}

void next_line() {
  // NOLINTNEXTLINE(concheck-unscoped-lock)
  n.lock();
  ++counter;
  n.unlock();
}

void region() {
  // NOLINTBEGIN(concheck-unscoped-lock) -- the legacy lock protocol
  m.lock();
  ++counter;
  m.unlock();
  // NOLINTEND(concheck-unscoped-lock)
}

void stale() {
  std::lock_guard<std::mutex> g(m); // NOLINT(concheck-unscoped-lock)
  ++counter;
}

// NOLINTBEGIN(concheck-unscoped-lock)
void stale_region() { ++counter; }
// NOLINTEND(concheck-unscoped-lock)

void others() {
  ++counter; // NOLINT(bugprone-branch-clone): another tool's
  ++counter; // NOLINT
  ++counter; // NOLINT(concheck-wait-in-task)
}

#if 0
void skipped() { m.lock(); } // NOLINT(concheck-unscoped-lock)
#endif
