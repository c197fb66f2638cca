// Reusing buffers with the standard library only: the standard has no object
// pool, and a long-lived worker does not need one. Each of four workers
// serves ten requests with one scratch buffer of its own (thread_local), so
// four buffers are made in all, and no buffer is ever shared.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

std::vector<char> &scratch_buffer() {
  thread_local std::vector<char> buffer = [] {
    std::vector<char> b;
    b.reserve(64 * 1024);
    return b;
  }();
  return buffer;
}

std::size_t handle(int request) {
  std::vector<char> &buffer = scratch_buffer();
  buffer.clear(); // it still holds the previous request's reply
  const std::string reply = "reply to request " + std::to_string(request) + "\n";
  buffer.insert(buffer.end(), reply.begin(), reply.end());
  return buffer.size();
}

int main() {
  constexpr int n_workers = 4;
  std::atomic<std::size_t> bytes{0};
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < n_workers; ++w)
      workers.emplace_back([w, &bytes] {
        for (int request = w; request < 40; request += n_workers)
          bytes.fetch_add(handle(request));
      });
  } // joined
  std::printf("40 requests, %zu bytes, %d buffers made\n", bytes.load(), n_workers);
}
