// The fix for bad_add_in_task.cpp with the standard library: a std::latch
// takes its count when it is made, before any task exists, so there is no
// add() to misplace.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <latch>
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
  std::latch fetched(static_cast<std::ptrdiff_t>(urls.size()));
  std::vector<std::size_t> sizes(urls.size());
  std::vector<std::jthread> fetchers;
  for (std::size_t i = 0; i < urls.size(); ++i)
    fetchers.emplace_back([&urls, &sizes, &fetched, i] {
      sizes[i] = fetch(urls[i]);
      fetched.count_down(); // publishes sizes[i] to the wait() below
    });
  fetched.wait();
  std::size_t total = 0;
  for (std::size_t size : sizes)
    total += size;
  std::printf("fetched %zu bytes\n", total);
}
