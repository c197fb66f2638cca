// The fix for bad_early_return.cpp: a scoped guard unlocks on every path,
// the early return included.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <cstdio>
#include <mutex>
#include <thread>

class Account {
public:
  explicit Account(long balance) : balance_(balance) {}

  bool withdraw(long amount) {
    std::scoped_lock lock(mu_);
    if (amount > balance_)
      return false;
    balance_ -= amount;
    return true;
  }

  long balance() {
    std::scoped_lock lock(mu_);
    return balance_;
  }

private:
  std::mutex mu_;
  long balance_;
};

int main() {
  Account account(100);
  std::thread first([&] { account.withdraw(500); });
  first.join();
  std::thread second([&] { account.withdraw(10); });
  second.join();
  std::printf("balance: %ld\n", account.balance());
}
