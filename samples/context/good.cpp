// The seed's coordination pillar: Go's context.Context, one "stop" signal for
// a whole tree of tasks. A search request fans out to two backends, and each
// backend call fans out to two shards. When the client gives up, main cancels
// the request, and every task below it stops; no task needs to know who
// started it, only the context it was handed.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/context.h>
#include <concheck/wait_group.h>

#include <chrono>
#include <cstdio>
#include <thread>

using namespace std::chrono_literals;

// A leaf. Its work here is only to wait until it is told to stop.
void search_shard(const concheck::context &ctx, int backend, int shard) {
  ctx.wait(); // Go's <-ctx.Done()
  std::printf("backend %d, shard %d: %s\n", backend, shard,
              concheck::to_string(ctx.reason()));
}

// An inner node. Its call gets a child context with a budget of its own: the
// call stops when its own deadline passes, or when the request is cancelled,
// whichever comes first. Cancelling the call would not cancel the request.
void query_backend(const concheck::context &request, int backend) {
  auto [call, cancel_call] = concheck::with_timeout(request, 10s);
  concheck::wait_group shards;
  for (int shard = 0; shard < 2; ++shard)
    shards.go([call = call, backend, shard] { search_shard(call, backend, shard); });
  shards.wait();
}

int main() {
  auto [request, cancel_request] =
      concheck::with_cancel(concheck::context::background());
  concheck::wait_group backends;
  for (int backend = 0; backend < 2; ++backend)
    backends.go([request = request, backend] { query_backend(request, backend); });

  std::this_thread::sleep_for(50ms); // the client waits a little, then leaves
  cancel_request();
  backends.wait(); // returns once every shard has seen the cancellation
  std::printf("request: %s\n", concheck::to_string(request.reason()));
}
