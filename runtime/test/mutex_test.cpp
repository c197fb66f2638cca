// Tests for <concheck/mutex.h>: concheck::mutex, shared_mutex and their
// guards, with std::scoped_lock and std::condition_variable_any.
#include <concheck/mutex.h>

#include <concheck/detail/tsan.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include "watchdog.h"

namespace {

using namespace std::chrono_literals;

// Stress sizes: smaller under ThreadSanitizer, which runs ~10x slower.
constexpr int kIterations = concheck::detail::tsan_enabled ? 5000 : 50000;

// -----------------------------------------------------------------------------
// Misuse, done where the analysis cannot see it (it would reject the test).

void unlock_unlocked(concheck::mutex &mu) CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  mu.unlock();
}

void unlock_unlocked(concheck::shared_mutex &mu)
    CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  mu.unlock();
}

void unlock_shared_unlocked(concheck::shared_mutex &mu)
    CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  mu.unlock_shared();
}

void lock_in_this_thread(concheck::mutex &mu)
    CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  mu.lock();
}

// Whether `mu` is free: try_lock() and, if that succeeded, unlock(). Call it
// only from a thread that does not hold `mu` (try_lock by the holder is UB).
template <class Mutex>
bool is_free(Mutex &mu) CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  if (!mu.try_lock())
    return false;
  mu.unlock();
  return true;
}

// The same, from another thread (so it may be called by the holder).
template <class Mutex> bool is_free_for_another_thread(Mutex &mu) {
  bool free = false;
  std::thread([&] { free = is_free(mu); }).join();
  return free;
}

void lock_both_with_std_lock(concheck::mutex &a, concheck::mutex &b)
    CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  std::lock(a, b);
  a.unlock();
  b.unlock();
}

template <class Guard>
void unlock_twice(Guard &guard) CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  guard.unlock();
  guard.unlock();
}

template <class Guard>
void relock(Guard &guard) CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
  guard.lock();
}

struct misuse_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void throwing_handler(const concheck::misuse_report &r) {
  throw misuse_error(std::string(r.primitive) + ": " + r.message);
}

// Installs the throwing handler for one scope.
struct throwing_misuse_handler {
  concheck::misuse_handler previous =
      concheck::set_misuse_handler(&throwing_handler);
  ~throwing_misuse_handler() { concheck::set_misuse_handler(previous); }
};

// -----------------------------------------------------------------------------
// concheck::mutex

constinit concheck::mutex constant_initialized_mutex;

TEST(MutexTest, IsConstantInitialized) {
  concheck::lock_guard lock(constant_initialized_mutex);
  SUCCEED();
}

TEST(MutexTest, MeetsTheLockableRequirements) {
  static_assert(!std::is_copy_constructible_v<concheck::mutex>);
  static_assert(!std::is_move_constructible_v<concheck::mutex>);
  // std::unique_lock, std::scoped_lock and std::lock accept it.
  concheck::mutex a, b;
  {
    std::unique_lock<concheck::mutex> lock(a);
    EXPECT_TRUE(lock.owns_lock());
  }
  lock_both_with_std_lock(a, b);
  EXPECT_TRUE(is_free(a));
  EXPECT_TRUE(is_free(b));
}

TEST(MutexTest, ExcludesOtherThreads) {
  concheck::mutex mu;
  long counter = 0; // guarded by mu (a local: the analysis cannot say so)
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        concheck::lock_guard lock(mu);
        ++counter;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(counter, 4L * kIterations);
}

TEST(MutexTest, TryLockFailsWhileAnotherThreadHoldsIt) {
  concheck::mutex mu;
  mu.lock();
  EXPECT_FALSE(is_free_for_another_thread(mu));
  mu.unlock();
  EXPECT_TRUE(is_free_for_another_thread(mu));
}

TEST(MutexTest, ScopedLockInOppositeOrdersDoesNotDeadlock) {
  concheck_test::watchdog dog(
      "MutexTest.ScopedLockInOppositeOrdersDoesNotDeadlock", 10s);
  concheck::mutex a, b;
  long both = 0;
  std::thread ab([&] {
    for (int i = 0; i < kIterations; ++i) {
      std::scoped_lock lock(a, b);
      ++both;
    }
  });
  std::thread ba([&] {
    for (int i = 0; i < kIterations; ++i) {
      std::scoped_lock lock(b, a);
      ++both;
    }
  });
  ab.join();
  ba.join();
  EXPECT_EQ(both, 2L * kIterations);
}

TEST(MutexTest, UnlockOfUnlockedMutexIsMisuse) {
  concheck::mutex mu;
  EXPECT_DEATH(unlock_unlocked(mu),
               "concheck: misuse of mutex: unlock of unlocked mutex");
}

TEST(MutexTest, DoubleUnlockIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::mutex mu;
        lock_in_this_thread(mu);
        unlock_unlocked(mu);
        unlock_unlocked(mu);
      },
      "concheck: misuse of mutex: unlock of unlocked mutex");
}

TEST(MutexTest, UnlockFromAnotherThreadIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::mutex mu;
        lock_in_this_thread(mu);
        std::thread([&] { unlock_unlocked(mu); }).join();
      },
      "concheck: misuse of mutex: unlock of unlocked mutex");
}

TEST(MutexTest, MisuseLeavesTheMutexAsItWas) {
  throwing_misuse_handler handler;
  concheck::mutex mu;
  EXPECT_THROW(unlock_unlocked(mu), misuse_error);
  EXPECT_TRUE(is_free(mu)); // still unlocked
  // Held by this thread; another thread's unlock is refused and the lock
  // stays with its holder.
  mu.lock();
  bool refused = false;
  std::thread([&] {
    try {
      unlock_unlocked(mu);
    } catch (const misuse_error &) {
      refused = true;
    }
  }).join();
  EXPECT_TRUE(refused);
  EXPECT_FALSE(is_free_for_another_thread(mu));
  mu.unlock(); // the holder's unlock is fine
}

TEST(MutexTest, AssertHeldSatisfiesTheAnalysis) {
  struct counter {
    concheck::mutex mu;
    int value CONCHECK_GUARDED_BY(mu) = 0;
    // Only ever called with mu held; the analysis learns it from assert_held.
    void bump_locked() {
      mu.assert_held();
      ++value;
    }
  } c;
  concheck::lock_guard lock(c.mu);
  c.bump_locked();
  EXPECT_EQ(c.value, 1);
}

// -----------------------------------------------------------------------------
// concheck::shared_mutex

TEST(SharedMutexTest, ReadersShareWritersExclude) {
  concheck::shared_mutex mu;
  mu.lock_shared();
  bool second_reader = false;
  bool writer = true;
  std::thread([&]() CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
    second_reader = mu.try_lock_shared();
    if (second_reader)
      mu.unlock_shared();
    writer = mu.try_lock();
    if (writer)
      mu.unlock();
  }).join();
  EXPECT_TRUE(second_reader);
  EXPECT_FALSE(writer);
  mu.unlock_shared();

  mu.lock();
  bool reader_during_write = true;
  std::thread([&]() CONCHECK_NO_THREAD_SAFETY_ANALYSIS {
    reader_during_write = mu.try_lock_shared();
    if (reader_during_write)
      mu.unlock_shared();
  }).join();
  EXPECT_FALSE(reader_during_write);
  mu.unlock();
}

TEST(SharedMutexTest, WritersExcludeEachOtherAndReaders) {
  concheck::shared_mutex mu;
  long value = 0;
  std::atomic<bool> torn{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        concheck::lock_guard lock(mu);
        ++value;
        ++value; // readers must never see an odd value
      }
    });
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        concheck::shared_lock lock(mu);
        if (value % 2 != 0)
          torn = true;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(value, 4L * kIterations);
  EXPECT_FALSE(torn);
}

TEST(SharedMutexTest, UnlockWithoutExclusiveHoldIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::shared_mutex mu;
        unlock_unlocked(mu);
      },
      "concheck: misuse of shared_mutex: unlock of unlocked mutex");
}

TEST(SharedMutexTest, UnlockSharedWithoutReadersIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::shared_mutex mu;
        unlock_shared_unlocked(mu);
      },
      "concheck: misuse of shared_mutex: unlock of unlocked mutex");
}

TEST(SharedMutexTest, MisuseLeavesTheMutexAsItWas) {
  throwing_misuse_handler handler;
  concheck::shared_mutex mu;
  EXPECT_THROW(unlock_shared_unlocked(mu), misuse_error);
  EXPECT_THROW(unlock_unlocked(mu), misuse_error);
  // Neither call changed anything: the mutex is free in both modes.
  EXPECT_TRUE(is_free(mu));
  concheck::shared_lock reader(mu, std::try_to_lock);
  EXPECT_TRUE(reader.owns_lock());
}

// -----------------------------------------------------------------------------
// concheck::lock_guard

TEST(LockGuardTest, HoldsTheMutexForItsScope) {
  concheck::mutex mu;
  {
    concheck::lock_guard lock(mu);
    static_assert(std::is_same_v<decltype(lock),
                                 concheck::lock_guard<concheck::mutex>>);
    EXPECT_FALSE(is_free_for_another_thread(mu));
  }
  EXPECT_TRUE(is_free(mu));
}

TEST(LockGuardTest, AdoptLockTakesOverAHeldMutex) {
  concheck::mutex mu;
  mu.lock();
  { concheck::lock_guard lock(mu, std::adopt_lock); }
  EXPECT_TRUE(is_free(mu)); // the guard unlocked it
}

// -----------------------------------------------------------------------------
// concheck::unique_lock

TEST(UniqueLockTest, LocksAndUnlocksDuringItsLifetime) {
  concheck::mutex mu;
  concheck::unique_lock lock(mu);
  EXPECT_TRUE(lock.owns_lock());
  EXPECT_EQ(lock.mutex(), &mu);
  lock.unlock();
  EXPECT_FALSE(lock.owns_lock());
  EXPECT_FALSE(static_cast<bool>(lock));
  lock.lock();
  EXPECT_TRUE(lock.owns_lock());
}

TEST(UniqueLockTest, DeferLockDoesNotLock) {
  concheck::mutex mu;
  concheck::unique_lock lock(mu, std::defer_lock);
  EXPECT_FALSE(lock.owns_lock());
  ASSERT_TRUE(lock.try_lock());
  EXPECT_TRUE(lock.owns_lock());
}

TEST(UniqueLockTest, TryToLockReportsWhetherItLocked) {
  concheck::mutex mu;
  {
    concheck::unique_lock lock(mu, std::try_to_lock);
    EXPECT_TRUE(lock.owns_lock());
  }
  mu.lock();
  bool owned = true;
  std::thread([&] {
    concheck::unique_lock lock(mu, std::try_to_lock);
    owned = lock.owns_lock();
  }).join();
  EXPECT_FALSE(owned);
  mu.unlock();
}

TEST(UniqueLockTest, AdoptLockTakesOverAHeldMutex) {
  concheck::mutex mu;
  mu.lock();
  {
    concheck::unique_lock lock(mu, std::adopt_lock);
    EXPECT_TRUE(lock.owns_lock());
  }
  EXPECT_TRUE(is_free(mu));
}

TEST(UniqueLockTest, MoveTransfersOwnership) {
  static_assert(std::is_nothrow_move_constructible_v<
                concheck::unique_lock<concheck::mutex>>);
  static_assert(
      !std::is_copy_constructible_v<concheck::unique_lock<concheck::mutex>>);
  concheck::mutex mu;
  concheck::unique_lock first(mu);
  concheck::unique_lock second(std::move(first));
  EXPECT_FALSE(first.owns_lock());
  EXPECT_EQ(first.mutex(), nullptr);
  EXPECT_TRUE(second.owns_lock());
  EXPECT_EQ(second.mutex(), &mu);

  // Move assignment unlocks what the target held.
  concheck::mutex other;
  concheck::unique_lock<concheck::mutex> third(other);
  third = std::move(second);
  EXPECT_EQ(third.mutex(), &mu);
  EXPECT_TRUE(is_free(other)); // released by the assignment
}

TEST(UniqueLockTest, LockingWhatItOwnsThrowsLikeStdUniqueLock) {
  concheck::mutex mu;
  concheck::unique_lock lock(mu);
  try {
    relock(lock);
    FAIL() << "lock() of an owned unique_lock returned";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code(), std::errc::resource_deadlock_would_occur);
  }
  concheck::unique_lock<concheck::mutex> empty;
  try {
    relock(empty);
    FAIL() << "lock() of a unique_lock with no mutex returned";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
  }
}

TEST(UniqueLockTest, UnlockWhenNotOwnedIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::mutex mu;
        concheck::unique_lock lock(mu);
        unlock_twice(lock);
      },
      "concheck: misuse of unique_lock: unlock of unlocked mutex");
}

TEST(UniqueLockTest, WaitsOnConditionVariableAny) {
  concheck_test::watchdog dog("UniqueLockTest.WaitsOnConditionVariableAny",
                              10s);
  struct mailbox {
    concheck::mutex mu;
    std::condition_variable_any changed;
    int value CONCHECK_GUARDED_BY(mu) = 0;
    bool full CONCHECK_GUARDED_BY(mu) = false;
  } box;
  constexpr int rounds = 200;
  std::thread consumer([&] {
    for (int i = 1; i <= rounds; ++i) {
      concheck::unique_lock lock(box.mu);
      // The predicate is a function of its own to the analysis: it says
      // which lock it runs under.
      box.changed.wait(lock, [&]() CONCHECK_REQUIRES(box.mu) {
        return box.full;
      });
      EXPECT_EQ(box.value, i);
      box.full = false;
      box.changed.notify_all();
    }
  });
  for (int i = 1; i <= rounds; ++i) {
    concheck::unique_lock lock(box.mu);
    while (box.full) // or a loop, which the analysis follows as it is
      box.changed.wait(lock);
    box.value = i;
    box.full = true;
    box.changed.notify_all();
  }
  consumer.join();
}

TEST(UniqueLockTest, WaitForTimesOutAndKeepsTheLock) {
  concheck::mutex mu;
  std::condition_variable_any cv;
  concheck::unique_lock lock(mu);
  EXPECT_FALSE(cv.wait_for(lock, 1ms, [] { return false; }));
  EXPECT_TRUE(lock.owns_lock());
}

// -----------------------------------------------------------------------------
// concheck::shared_lock

TEST(SharedLockTest, HoldsSharedAndUnlocks) {
  concheck::shared_mutex mu;
  concheck::shared_lock lock(mu);
  EXPECT_TRUE(lock.owns_lock());
  EXPECT_FALSE(is_free_for_another_thread(mu)); // no writer while a reader
  lock.unlock();
  EXPECT_FALSE(lock.owns_lock());
  EXPECT_TRUE(is_free(mu));
}

TEST(SharedLockTest, DeferTryAdoptAndMove) {
  concheck::shared_mutex mu;
  concheck::shared_lock deferred(mu, std::defer_lock);
  EXPECT_FALSE(deferred.owns_lock());
  ASSERT_TRUE(deferred.try_lock());
  concheck::shared_lock moved(std::move(deferred));
  EXPECT_FALSE(deferred.owns_lock());
  EXPECT_TRUE(moved.owns_lock());
  {
    concheck::shared_lock tried(mu, std::try_to_lock);
    EXPECT_TRUE(tried.owns_lock()); // readers share
  }
  mu.lock_shared();
  { concheck::shared_lock adopted(mu, std::adopt_lock); }
  // Only `moved` holds it now.
  EXPECT_FALSE(is_free_for_another_thread(mu));
  moved.unlock();
  EXPECT_TRUE(is_free(mu));
}

TEST(SharedLockTest, UnlockWhenNotOwnedIsMisuse) {
  EXPECT_DEATH(
      {
        concheck::shared_mutex mu;
        concheck::shared_lock lock(mu);
        unlock_twice(lock);
      },
      "concheck: misuse of shared_lock: unlock of unlocked mutex");
}

TEST(SharedLockTest, WaitsOnConditionVariableAny) {
  concheck_test::watchdog dog("SharedLockTest.WaitsOnConditionVariableAny",
                              10s);
  concheck::shared_mutex mu;
  std::condition_variable_any cv;
  bool ready = false; // written under mu exclusively, read under it shared
  std::thread reader([&] {
    concheck::shared_lock lock(mu);
    cv.wait(lock, [&] { return ready; });
    EXPECT_TRUE(ready);
  });
  {
    concheck::lock_guard lock(mu);
    ready = true;
  }
  cv.notify_all();
  reader.join();
}

} // namespace
