// A sample whose header has drifted from what the program does: it races,
// and concheck reports the write on line 17, not line 18.
//
// Expected static findings (concheck):
//   concheck-unguarded-write at line 18
// Expected dynamic outcome: clean

#include <thread>
#include <vector>

int main() {
  int counter = 0;
  {
    std::vector<std::jthread> tasks;
    for (int i = 0; i < 2; ++i)
      tasks.emplace_back([&counter] {
        counter++;
      });
  }
  return counter == 2 ? 0 : 1;
}
