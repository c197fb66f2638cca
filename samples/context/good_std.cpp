// Cancellation down a tree of tasks with the standard library only. Each
// std::jthread owns a std::stop_source and hands its task the token, but a
// token is one flag, not a tree: a task that starts children must forward its
// own stop to them, here with a std::stop_callback. That forwarding is what
// Go's context (and concheck::context, see good.cpp) does for every level.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

// A leaf: blocks until stop is requested (an interruptible wait that never
// finds its condition true).
void search_shard(std::stop_token stop, int backend, int shard) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait(lock, stop, [] { return false; });
  std::printf("backend %d, shard %d: stop requested\n", backend, shard);
}

void query_backend(std::stop_token stop, int backend) {
  std::vector<std::jthread> shards;
  for (int shard = 0; shard < 2; ++shard)
    shards.emplace_back(search_shard, backend, shard);
  // Runs on the thread that requests this task's stop (or here, at once, if
  // that has already happened). Declared after 'shards', so it is gone before
  // they are.
  std::stop_callback forward(stop, [&shards] {
    for (std::jthread &shard : shards)
      shard.request_stop();
  });
  for (std::jthread &shard : shards)
    shard.join();
}

int main() {
  std::vector<std::jthread> backends;
  for (int backend = 0; backend < 2; ++backend)
    backends.emplace_back(query_backend, backend);

  std::this_thread::sleep_for(50ms); // the client waits a little, then leaves
  for (std::jthread &backend : backends)
    backend.request_stop();
  for (std::jthread &backend : backends)
    backend.join();
  std::printf("request: stopped\n");
}
