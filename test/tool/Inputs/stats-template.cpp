// A task start in a function template is counted once, from its
// instantiations (the template's own code is dependent).
#include <thread>
#include <vector>

template <class T> void fill_all(std::vector<T> &out) {
  std::vector<std::thread> threads;
  for (T &slot : out)
    threads.emplace_back([&slot] { slot = T(1); });
  for (std::thread &t : threads)
    t.join();
}

void run(std::vector<int> &a, std::vector<long> &b) {
  fill_all(a);
  fill_all(b);
}
