// The seed's scarcity pillar: a semaphore bounds how many tasks use a scarce
// resource at once. Twelve queries run as twelve tasks, but the database
// takes at most three connections, so each query holds one of three permits
// while it runs. (Go's idiom for this is a buffered channel; see
// good_channel.cpp.)
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/semaphore.h>
#include <concheck/wait_group.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

constexpr int max_connections = 3;
concheck::semaphore connections(max_connections);

// Bookkeeping that proves the bound: how many queries run now, and the most
// that ever ran at once.
std::atomic<int> running{0};
std::atomic<int> most_running{0};

void query(int id) {
  // Acquire a permit; the guard releases it on every way out, as Go's
  // `defer func() { <-sem }()` does.
  concheck::semaphore_guard connection(connections);
  const int now = running.fetch_add(1) + 1;
  int most = most_running.load();
  while (now > most && !most_running.compare_exchange_weak(most, now)) {
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5)); // the query
  std::printf("query %d done (%d running)\n", id, now);
  running.fetch_sub(1);
}

int main() {
  concheck::wait_group wg;
  for (int id = 1; id <= 12; ++id)
    wg.go([id] { query(id); });
  wg.wait();
  std::printf("at most %d queries ran at once (limit %d)\n", most_running.load(),
              max_connections);
  return most_running.load() <= max_connections ? 0 : 1;
}
