// A pipeline through the umbrella header: a generator, workers that square
// what it sends, and a context that stops them all once enough has arrived.
#include <concheck/sync.h>

#include <cstdio>

int main() {
  auto [ctx, cancel] = concheck::with_cancel(concheck::context::background());
  concheck::channel<int> numbers;
  concheck::channel<long> squares(4);
  concheck::guarded<long> largest(0L);

  concheck::wait_group producers;
  producers.go([&, token = ctx.stop_token()] {
    for (int n = 1; numbers.send(n, token); ++n) {
    }
    numbers.close();
  });
  concheck::wait_group workers;
  for (int w = 0; w < 3; ++w)
    workers.go([&] {
      while (std::optional<int> n = numbers.receive()) {
        const long sq = long{*n} * *n;
        largest.with_lock([sq](long &l) { l = sq > l ? sq : l; });
        if (!squares.send(sq, ctx.stop_token()))
          return;
      }
    });

  long total = 0;
  for (int got = 0; got < 10; ++got)
    total += *squares.receive();
  cancel();
  workers.wait();
  producers.wait();
  std::printf("%s %d\n", __VERSION__, total > 0 && *largest.lock() > 0);
  return 0;
}
