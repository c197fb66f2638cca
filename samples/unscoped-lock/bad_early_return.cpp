// The seed's "lock without a scoped guard" gotcha: withdraw() locks by hand,
// and the early return for insufficient funds leaves the mutex locked, so the
// next caller blocks forever.
//
// Expected static findings (concheck):
//   concheck-unscoped-lock at line 20 (the manual lock)
//   concheck-unbalanced-lock at line 22 ('return' leaves mutex 'mu_' locked)
// Expected dynamic outcome: deadlock (the second withdrawal blocks forever)

#include <cstdio>
#include <mutex>
#include <thread>

class Account {
public:
  explicit Account(long balance) : balance_(balance) {}

  // Returns false, leaving the account unchanged, when funds are short.
  bool withdraw(long amount) {
    mu_.lock();
    if (amount > balance_)
      return false; // BUG: mu_ stays locked
    balance_ -= amount;
    mu_.unlock();
    return true;
  }

private:
  std::mutex mu_;
  long balance_;
};

int main() {
  Account account(100);
  bool refused = false;
  std::thread first([&] { refused = !account.withdraw(500); });
  first.join();
  std::printf("withdraw 500 of 100: %s\n", refused ? "refused" : "done");
  std::fflush(stdout); // the program hangs next: show how far it got
  std::thread second([&] { account.withdraw(10); }); // blocks forever
  second.join();
  std::puts("unreachable: the mutex was never released");
}
