// RUN: %clangxx -std=c++20 -fsyntax-only -Wthread-safety -I%runtime_include -Xclang -verify %s
//
// The runtime's lock types as clang's thread-safety analysis sees them: the
// guards of <concheck/mutex.h> and guarded<> of <concheck/guarded.h> satisfy
// it, and accesses without the lock are diagnosed. -verify fails on any
// diagnostic not expected here, so the negatives need no marker.

#include <concheck/guarded.h>
#include <concheck/mutex.h>

#include <condition_variable>
#include <mutex>
#include <utility>

class Account {
public:
  // --- Without the lock: diagnosed.

  long read_without_lock() {
    return balance_; // expected-warning {{reading variable 'balance_' requires holding mutex 'mu_'}}
  }

  void write_without_lock(long amount) {
    balance_ = amount; // expected-warning {{writing variable 'balance_' requires holding mutex 'mu_' exclusively}}
  }

  void call_requires_without_lock() {
    add_locked(1); // expected-warning {{calling function 'add_locked' requires holding mutex 'mu_' exclusively}}
  }

  void touch_after_unique_lock_unlocked() {
    concheck::unique_lock lock(mu_);
    balance_ = 1;
    lock.unlock();
    balance_ = 2; // expected-warning {{writing variable 'balance_' requires holding mutex 'mu_' exclusively}}
  }

  void write_under_shared_lock() {
    concheck::shared_lock lock(rates_mu_);
    rate_ = 2; // expected-warning {{writing variable 'rate_' requires holding mutex 'rates_mu_' exclusively}}
  }

  long read_after_shared_lock_unlocked() {
    concheck::shared_lock lock(rates_mu_);
    lock.unlock();
    return rate_; // expected-warning {{reading variable 'rate_' requires holding mutex 'rates_mu_'}}
  }

  // --- Under a lock: no diagnostic.

  void add_locked(long amount) CONCHECK_REQUIRES(mu_) { balance_ += amount; }

  void write_under_lock_guard(long amount) {
    concheck::lock_guard lock(mu_);
    balance_ = amount;
    add_locked(amount);
  }

  void write_under_adopted_lock_guard(long amount) {
    mu_.lock();
    concheck::lock_guard lock(mu_, std::adopt_lock);
    balance_ = amount;
  }

  long read_under_unique_lock() {
    concheck::unique_lock lock(mu_);
    return balance_;
  }

  void write_under_relocked_unique_lock() {
    concheck::unique_lock lock(mu_, std::defer_lock);
    lock.lock();
    balance_ = 1;
    lock.unlock();
    lock.lock();
    balance_ = 2;
  }

  void write_under_try_locked_unique_lock() {
    concheck::unique_lock lock(mu_, std::defer_lock);
    if (lock.try_lock())
      balance_ = 3;
  }

  void move_unique_lock_without_diagnostic() {
    concheck::unique_lock lock(mu_);
    concheck::unique_lock moved(std::move(lock));
  }

  void wait_on_condition_variable_any(long amount) {
    concheck::unique_lock lock(mu_);
    while (balance_ < amount)
      changed_.wait(lock);
    changed_.wait(lock, [&]() CONCHECK_REQUIRES(mu_) {
      return balance_ >= amount;
    });
    balance_ -= amount;
  }

  long read_under_shared_lock() {
    concheck::shared_lock lock(rates_mu_);
    return rate_;
  }

  void write_under_exclusive_lock_of_shared_mutex() {
    concheck::lock_guard lock(rates_mu_);
    rate_ = 3;
  }

  void scoped_lock_from_the_standard_library() {
    // std::scoped_lock carries no annotations in libstdc++: the analysis
    // sees nothing, so it neither warns nor knows that mu_ is held.
    std::scoped_lock lock(mu_, rates_mu_);
  }

  void assert_held_after_unannotated_locking() {
    std::scoped_lock lock(mu_);
    mu_.assert_held();
    balance_ = 4;
  }

private:
  concheck::mutex mu_;
  std::condition_variable_any changed_;
  long balance_ CONCHECK_GUARDED_BY(mu_) = 0;
  concheck::shared_mutex rates_mu_;
  long rate_ CONCHECK_GUARDED_BY(rates_mu_) = 1;
};

// guarded<>: the value is reachable only through the lock, so there is
// nothing to diagnose in the caller.
long deposit(concheck::guarded<long> &balance, long amount) {
  return balance.with_lock([&](long &b) { return b += amount; });
}

long peek(const concheck::guarded<long, concheck::shared_mutex> &balance) {
  return balance.with_shared_lock([](const long &b) { return b; });
}

void transfer(concheck::guarded<long> &from, concheck::guarded<long> &to) {
  auto [f, t] = concheck::lock_all(from, to);
  *f -= 1;
  *t += 1;
}

void reset(concheck::guarded<long> &balance) {
  auto handle = balance.lock();
  *handle = 0;
}
