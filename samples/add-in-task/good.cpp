// The fix for bad_add_in_task.cpp: count each fetcher in main, before it
// starts. wg.go() does both in one call, so the add() cannot end up in the
// task; it also joins the thread.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/wait_group.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

// Stands for a network call.
std::size_t fetch(const std::string &url) {
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return url.size();
}

int main() {
  const std::vector<std::string> urls{"https://a.example", "https://b.example",
                                      "https://c.example"};
  concheck::wait_group wg;
  std::vector<std::size_t> sizes(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i)
    wg.go([&urls, &sizes, i] { sizes[i] = fetch(urls[i]); }); // one slot each
  wg.wait(); // every fetch has ended: its write to sizes[i] is visible
  std::size_t total = 0;
  for (std::size_t size : sizes)
    total += size;
  std::printf("fetched %zu bytes\n", total);
}
