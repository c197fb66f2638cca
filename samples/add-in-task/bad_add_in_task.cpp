// The seed's second wait-group gotcha: add() inside the task it counts. Each
// fetcher counts itself when it starts running, but main may reach wait()
// before any fetcher has run that far: wait() then finds the counter at zero
// and returns at once, and main reads the results while the fetchers are
// still writing them. Under TSan the program reports a data race in every
// run: on the results when wait() returned early, or, when the adds happened
// to come first, between wait_group::add and wait_group::wait (the runtime
// shows TSan that nothing ordered the add() before the wait()).
//
// Expected static findings (concheck):
//   concheck-add-in-task at line 38 (the fetcher counts itself)
// Expected dynamic outcome: data race

#include <concheck/wait_group.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

// Stands for a network call: slow enough that main is at wait() long
// before any fetch ends.
std::size_t fetch(const std::string &url) {
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return url.size();
}

int main() {
  const std::vector<std::string> urls{"https://a.example", "https://b.example",
                                      "https://c.example"};
  concheck::wait_group wg;
  std::vector<std::size_t> sizes(urls.size());
  std::vector<std::thread> fetchers;
  for (std::size_t i = 0; i < urls.size(); ++i)
    fetchers.emplace_back([&wg, &urls, &sizes, i] {
      wg.add(1); // BUG: too late; main must add before starting the thread
      concheck::done_guard done(wg);
      sizes[i] = fetch(urls[i]);
    });
  wg.wait(); // may return before any fetcher has called add()
  std::size_t total = 0;
  for (std::size_t size : sizes)
    total += size;
  std::printf("fetched %zu bytes\n", total);
  for (std::thread &t : fetchers)
    t.join();
}
