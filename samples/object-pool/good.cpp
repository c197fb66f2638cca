// The seed's sync.Pool: reuse buffers instead of allocating one per request.
// Forty requests, four at a time, each need a 64 KiB scratch buffer. Each
// borrows one from the pool and gives it back when it is done, so the pool
// makes about as many buffers as requests run at once, not one per request.
// (Under TSan the pool drops a quarter of the returns on purpose, as Go's race
// mode does, so that no code comes to rely on getting a buffer back: the
// count it prints varies from run to run.)
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/object_pool.h>
#include <concheck/wait_group.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

std::atomic<int> buffers_made{0};

concheck::object_pool<std::vector<char>> buffers(
    [] {
      buffers_made.fetch_add(1, std::memory_order_relaxed);
      auto buffer = std::make_unique<std::vector<char>>();
      buffer->reserve(64 * 1024);
      return buffer;
    },
    /*max_idle=*/8);

std::size_t handle(int request) {
  auto buffer = buffers.borrow(); // Get(); Put() when 'buffer' goes away
  buffer->clear();                // a reused buffer still holds its last contents
  const std::string reply = "reply to request " + std::to_string(request) + "\n";
  buffer->insert(buffer->end(), reply.begin(), reply.end());
  return buffer->size();
}

int main() {
  std::atomic<std::size_t> bytes{0};
  concheck::wait_group wg;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 4; ++i) {
      const int request = round * 4 + i;
      wg.go([&bytes, request] { bytes.fetch_add(handle(request)); });
    }
    wg.wait();
  }
  std::printf("40 requests, %zu bytes, %d buffers made\n", bytes.load(),
              buffers_made.load());
}
