// The seed's semaphore idiom itself: a buffered channel whose capacity is the
// number of permits. Sending a token takes a permit (it blocks while the
// buffer is full); receiving one gives it back. A small guard does the
// receive on every way out, as Go's `defer func() { <-sem }()` does.
// concheck::semaphore (good.cpp) says the same thing more directly.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/channel.h>
#include <concheck/wait_group.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

struct token {};

constexpr int max_connections = 3;
concheck::channel<token> connections(max_connections); // make(chan struct{}, 3)

class connection_permit {
public:
  connection_permit() { connections.send(token{}); } // sem <- struct{}{}
  ~connection_permit() { (void)connections.receive(); } // <-sem
  connection_permit(const connection_permit &) = delete;
  connection_permit &operator=(const connection_permit &) = delete;
};

std::atomic<int> running{0};
std::atomic<int> most_running{0};

void query(int id) {
  connection_permit permit;
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
