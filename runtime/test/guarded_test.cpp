// Tests for <concheck/guarded.h>: a value reachable only under its lock, and
// lock_all/with_all, which lock several in one global order.
#include <concheck/guarded.h>

#include <concheck/detail/tsan.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "watchdog.h"

namespace {

using namespace std::chrono_literals;

constexpr int kIterations = concheck::detail::tsan_enabled ? 20000 : 200000;

struct account {
  long balance = 0;
};

// Spins until `flag` is true or 10 s have passed; returns the flag.
bool eventually(const std::atomic<bool> &flag) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!flag.load() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  return flag.load();
}

// -----------------------------------------------------------------------------
// Construction

TEST(GuardedTest, DefaultConstructionValueInitializes) {
  concheck::guarded<int> g;
  EXPECT_EQ(g.with_lock([](int &v) { return v; }), 0);
}

TEST(GuardedTest, ConstructsFromAValue) {
  concheck::guarded<std::string> g(std::string("hello"));
  EXPECT_EQ(*g.lock(), "hello");
  auto owned = std::make_unique<int>(7);
  concheck::guarded<std::unique_ptr<int>> moved_in(std::move(owned));
  EXPECT_EQ(**moved_in.lock(), 7);
}

TEST(GuardedTest, ConstructsInPlace) {
  concheck::guarded<std::vector<int>> g(std::in_place, 3, 7);
  EXPECT_EQ(g.with_lock([](const std::vector<int> &v) { return v; }),
            (std::vector<int>{7, 7, 7}));
}

TEST(GuardedTest, IsNeitherCopyableNorMovable) {
  static_assert(!std::is_copy_constructible_v<concheck::guarded<int>>);
  static_assert(!std::is_move_constructible_v<concheck::guarded<int>>);
  SUCCEED();
}

// -----------------------------------------------------------------------------
// with_lock

TEST(GuardedTest, WithLockMutates) {
  concheck::guarded<std::vector<int>> g;
  g.with_lock([](std::vector<int> &v) { v.push_back(1); });
  g.with_lock([](std::vector<int> &v) { v.push_back(2); });
  EXPECT_EQ(g.with_lock([](std::vector<int> &v) { return v; }),
            (std::vector<int>{1, 2}));
}

TEST(GuardedTest, WithLockReturnsTheResult) {
  concheck::guarded<std::map<std::string, int>> g;
  g.with_lock([](auto &m) { m["x"] = 42; });
  const int x = g.with_lock([](auto &m) { return m.at("x"); });
  EXPECT_EQ(x, 42);
  static_assert(std::is_void_v<decltype(g.with_lock([](auto &) {}))>);
}

TEST(GuardedTest, WithLockOnConstGivesConstAccess) {
  const concheck::guarded<int> g(5);
  const int v = g.with_lock([](auto &value) {
    static_assert(std::is_same_v<decltype(value), const int &>);
    return value;
  });
  EXPECT_EQ(v, 5);
}

TEST(GuardedTest, WithLockReleasesTheLockWhenFThrows) {
  concheck::guarded<int> g;
  EXPECT_THROW(g.with_lock([](int &) { throw std::runtime_error("f"); }),
               std::runtime_error);
  EXPECT_EQ(g.with_lock([](int &v) { return ++v; }), 1); // not deadlocked
}

TEST(GuardedTest, WithLockExcludesOtherThreads) {
  concheck::guarded<long> counter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i)
        counter.with_lock([](long &c) { ++c; });
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(*counter.lock(), 4L * kIterations);
}

// -----------------------------------------------------------------------------
// lock()

TEST(GuardedTest, LockHandleGivesAccess) {
  concheck::guarded<std::vector<int>> g;
  {
    auto h = g.lock();
    h->push_back(1);
    (*h).push_back(2);
  }
  EXPECT_EQ(g.lock()->size(), 2u);
}

TEST(GuardedTest, LockHandleHoldsTheLockForItsLifetime) {
  concheck::guarded<int> g;
  std::atomic<bool> started{false};
  std::atomic<bool> entered{false};
  std::thread other;
  {
    auto h = g.lock();
    other = std::thread([&] {
      started = true;
      g.with_lock([&](int &v) {
        entered = true;
        v += 10;
      });
    });
    ASSERT_TRUE(eventually(started));
    std::this_thread::sleep_for(20ms); // give `other` a chance to get in
    EXPECT_FALSE(entered.load()) << "with_lock ran while a handle was alive";
    *h = 1;
  }
  other.join();
  EXPECT_TRUE(entered.load());
  EXPECT_EQ(*g.lock(), 11); // 1, then +10 once the handle was gone
}

TEST(GuardedTest, HandleIsMoveOnly) {
  using handle = concheck::guarded<int>::handle;
  static_assert(!std::is_copy_constructible_v<handle>);
  static_assert(!std::is_copy_assignable_v<handle>);
  static_assert(std::is_nothrow_move_constructible_v<handle>);
  // An array, so that taking g[1] while holding g[0] follows the address
  // order lock_all uses (ThreadSanitizer flags any other order).
  std::array<concheck::guarded<int>, 2> g;
  *g[0].lock() = 3;
  *g[1].lock() = 30;
  auto first = g[0].lock();
  auto second = std::move(first); // the lock moves with the handle
  EXPECT_EQ(first.operator->(), nullptr);
  EXPECT_EQ(*second, 3);
  // Move assignment releases what the target held (g[0]) and takes g[1]'s.
  second = g[1].lock();
  EXPECT_EQ(*second, 30);
  int seen = 0;
  std::thread([&] { seen = g[0].with_lock([](int &v) { return v; }); }).join();
  EXPECT_EQ(seen, 3); // g[0] is free again
}

TEST(GuardedTest, LockOnConstGivesAConstHandle) {
  const concheck::guarded<int> g(8);
  auto h = g.lock();
  static_assert(
      std::is_same_v<decltype(h), concheck::guarded<int>::const_handle>);
  static_assert(std::is_same_v<decltype(*h), const int &>);
  EXPECT_EQ(*h, 8);
}

// -----------------------------------------------------------------------------
// Shared access

template <class G>
concept has_shared_access = requires(G &g) {
  g.with_shared_lock([](const auto &) {});
  g.lock_shared();
};

TEST(GuardedTest, SharedAccessOnlyWithASharedMutex) {
  static_assert(
      has_shared_access<concheck::guarded<int, concheck::shared_mutex>>);
  static_assert(!has_shared_access<concheck::guarded<int>>);
  SUCCEED();
}

TEST(GuardedTest, WithSharedLockGivesConstAccess) {
  concheck::guarded<std::map<std::string, int>, concheck::shared_mutex> g;
  g.with_lock([](auto &m) { m["x"] = 1; });
  const int x = g.with_shared_lock([](const auto &m) {
    static_assert(std::is_const_v<std::remove_reference_t<decltype(m)>>);
    return m.at("x");
  });
  EXPECT_EQ(x, 1);
  auto h = g.lock_shared();
  static_assert(
      std::is_same_v<decltype(*h), const std::map<std::string, int> &>);
  EXPECT_EQ(h->size(), 1u);
}

TEST(GuardedTest, SharedLocksAdmitReadersTogether) {
  concheck_test::watchdog dog("GuardedTest.SharedLocksAdmitReadersTogether",
                              10s);
  concheck::guarded<int, concheck::shared_mutex> g(1);
  std::atomic<int> inside{0};
  std::atomic<bool> both_inside[2] = {false, false};
  auto reader = [&](int id) {
    g.with_shared_lock([&](const int &) {
      ++inside;
      // Both readers get here only if shared locks do not exclude each other.
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      while (inside.load() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
      both_inside[id] = inside.load() == 2;
    });
  };
  std::thread r0(reader, 0), r1(reader, 1);
  r0.join();
  r1.join();
  EXPECT_TRUE(both_inside[0].load());
  EXPECT_TRUE(both_inside[1].load());
}

TEST(GuardedTest, SharedHandleExcludesWriters) {
  concheck::guarded<int, concheck::shared_mutex> g(0);
  std::atomic<bool> started{false};
  std::atomic<bool> wrote{false};
  std::thread writer;
  {
    auto reading = g.lock_shared();
    writer = std::thread([&] {
      started = true;
      g.with_lock([&](int &v) {
        v = 1;
        wrote = true;
      });
    });
    ASSERT_TRUE(eventually(started));
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(wrote.load()) << "a writer ran while a reader held the lock";
    EXPECT_EQ(*reading, 0);
  }
  writer.join();
  EXPECT_EQ(g.with_shared_lock([](const int &v) { return v; }), 1);
}

// -----------------------------------------------------------------------------
// lock_all and with_all

TEST(GuardedTest, LockAllReturnsHandlesInArgumentOrder) {
  concheck::guarded<int> a(1);
  concheck::guarded<std::string> b(std::string("b"));
  const concheck::guarded<int> c(3);
  auto [ha, hb, hc] = concheck::lock_all(a, b, c);
  static_assert(std::is_same_v<decltype(*ha), int &>);
  static_assert(std::is_same_v<decltype(*hb), std::string &>);
  static_assert(std::is_same_v<decltype(*hc), const int &>);
  EXPECT_EQ(*ha, 1);
  EXPECT_EQ(*hb, "b");
  EXPECT_EQ(*hc, 3);
}

TEST(GuardedTest, LockAllHoldsEveryLockUntilTheHandlesGo) {
  concheck::guarded<int> a, b;
  std::atomic<bool> started{false};
  std::atomic<bool> entered{false};
  std::thread other;
  {
    auto handles = concheck::lock_all(a, b);
    other = std::thread([&] {
      started = true;
      b.with_lock([&](int &) { entered = true; });
    });
    ASSERT_TRUE(eventually(started));
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(entered.load());
  }
  other.join();
  EXPECT_TRUE(entered.load());
  // Both are free again.
  EXPECT_EQ(a.with_lock([](int &v) { return v; }), 0);
}

TEST(GuardedTest, LockAllOfOneObjectTwiceThrows) {
  concheck::guarded<int> a;
  try {
    auto handles = concheck::lock_all(a, a);
    FAIL() << "lock_all(a, a) returned";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code(), std::errc::resource_deadlock_would_occur);
  }
  EXPECT_EQ(a.with_lock([](int &v) { return ++v; }), 1); // nothing left locked
}

TEST(GuardedTest, LockAllInOppositeOrdersDoesNotDeadlock) {
  concheck_test::watchdog dog(
      "GuardedTest.LockAllInOppositeOrdersDoesNotDeadlock", 10s);
  concheck::guarded<account> a, b;
  // A mutex of another type too: the order is by address, across types.
  concheck::guarded<long, concheck::shared_mutex> c;
  std::thread forward([&] {
    for (int i = 0; i < kIterations; ++i) {
      auto [ha, hb, hc] = concheck::lock_all(a, b, c);
      ha->balance -= 1;
      hb->balance += 1;
      ++*hc;
    }
  });
  std::thread backward([&] {
    for (int i = 0; i < kIterations; ++i) {
      auto [hc, hb, ha] = concheck::lock_all(c, b, a);
      ha->balance += 1;
      hb->balance -= 1;
      ++*hc;
    }
  });
  forward.join();
  backward.join();
  EXPECT_EQ(a.lock()->balance, 0);
  EXPECT_EQ(b.lock()->balance, 0);
  EXPECT_EQ(*c.lock(), 2L * kIterations);
}

TEST(GuardedTest, WithAllCallsFWithEveryValue) {
  concheck::guarded<account> from(account{100}), to(account{5});
  const long moved = concheck::with_all(
      [](account &f, account &t) {
        f.balance -= 10;
        t.balance += 10;
        return f.balance;
      },
      from, to);
  EXPECT_EQ(moved, 90);
  EXPECT_EQ(to.lock()->balance, 15);
  const concheck::guarded<int> limit(7);
  concheck::with_all(
      [](account &f, const int &l) { f.balance = l; }, from, limit);
  EXPECT_EQ(from.lock()->balance, 7);
}

TEST(GuardedTest, WithAllOverRandomSubsetsDoesNotDeadlock) {
  concheck_test::watchdog dog(
      "GuardedTest.WithAllOverRandomSubsetsDoesNotDeadlock", 10s);
  // Dining philosophers with random seatings: each thread moves money
  // between three of five accounts, passing them in a random order.
  std::array<concheck::guarded<account>, 5> accounts;
  constexpr int threads = 4;
  constexpr int rounds = kIterations / 5;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1);
      std::array<int, 5> order{0, 1, 2, 3, 4};
      for (int i = 0; i < rounds; ++i) {
        std::shuffle(order.begin(), order.end(), rng);
        concheck::with_all(
            [](account &x, account &y, account &z) {
              x.balance -= 2;
              y.balance += 1;
              z.balance += 1;
            },
            accounts[order[0]], accounts[order[1]], accounts[order[2]]);
      }
    });
  for (std::thread &w : workers)
    w.join();
  long total = 0;
  for (auto &acc : accounts)
    total += acc.lock()->balance;
  EXPECT_EQ(total, 0); // no update lost
}

} // namespace
