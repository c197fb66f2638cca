// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -isystem %S/../Inputs/std

// Locks known by Clang's thread-safety attributes, with the bodies of the
// lock functions in another file (so that neither their shape nor their
// summaries say anything): capability and lockable types, acquire, release
// and try-acquire functions (members, with a member or no argument, and free
// functions naming a parameter), scoped guards, the old spellings. And a
// type shaped like a mutex whose Lock() only logs: not a mutex.

#include <thread>

#define CAPABILITY(x) __attribute__((capability(x)))
#define LOCKABLE __attribute__((lockable))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define ACQUIRE_SHARED(...) __attribute__((acquire_shared_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define RELEASE_SHARED(...) __attribute__((release_shared_capability(__VA_ARGS__)))
#define TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))
#define EXCLUSIVE_LOCK_FUNCTION(...) __attribute__((exclusive_lock_function(__VA_ARGS__)))
#define UNLOCK_FUNCTION(...) __attribute__((unlock_function(__VA_ARGS__)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define EXCLUSIVE_LOCKS_REQUIRED(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define PT_GUARDED_BY(x) __attribute__((pt_guarded_by(x)))
#define ASSERT_CAPABILITY(x) __attribute__((assert_capability(x)))
#define ASSERT_EXCLUSIVE_LOCK(...) __attribute__((assert_exclusive_lock(__VA_ARGS__)))

extern "C" int printf(const char *, ...);
void use(int);

class CAPABILITY("mutex") Latch {
public:
  void Acquire() ACQUIRE();
  void Release() RELEASE();
  bool TryAcquire() TRY_ACQUIRE(true);
  void AcquireShared() ACQUIRE_SHARED();
  void ReleaseShared() RELEASE_SHARED();
  void AssertHeld() ASSERT_CAPABILITY(this);
  void AssertHeldOld() ASSERT_EXCLUSIVE_LOCK();
};

class SCOPED_CAPABILITY LatchHolder {
public:
  explicit LatchHolder(Latch *l) ACQUIRE(l);
  ~LatchHolder() RELEASE();

private:
  Latch *l_;
};

class SCOPED_CAPABILITY ReleasableHolder {
public:
  explicit ReleasableHolder(Latch &l) ACQUIRE(l);
  ~ReleasableHolder() RELEASE();
  void unlock() RELEASE();
  void lock() ACQUIRE();
};

class LOCKABLE OldMutex {
public:
  void Enter() EXCLUSIVE_LOCK_FUNCTION();
  void Leave() UNLOCK_FUNCTION();
};

void lock_table(Latch &l) ACQUIRE(l);
void unlock_table(Latch &l) RELEASE(l);

class Account {
public:
  void LockBalance() ACQUIRE(mu_);
  void UnlockBalance() RELEASE(mu_);
  int balance = 0;

private:
  Latch mu_;
};

// Shaped like a mutex, but its Lock() and Unlock() only log.
class Noisy {
public:
  void Lock() { printf("lock\n"); }
  void Unlock() { printf("unlock\n"); }
};

//===----------------------------------------------------------------------===//
// Must catch.
//===----------------------------------------------------------------------===//

int acquire_on_one_side(Latch &l) {
  int n = 0;
  std::thread a([&] {
    l.Acquire();
    ++n;
    l.Release();
  });
  std::thread b([&] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'n': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-8]]:15: note: task started here
  a.join();
  b.join();
  return n;
}

int holder_on_one_side(Latch &l) {
  int n = 0;
  std::thread a([&] {
    LatchHolder h(&l);
    ++n;
  });
  std::thread b([&] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'n': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: task started here
  a.join();
  b.join();
  return n;
}

int shared_on_both_sides(Latch &l) {
  int n = 0;
  std::thread a([&] {
    l.AcquireShared();
    ++n;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'n': written in a task while another task writes it, with 'l' held only in shared mode [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
    l.ReleaseShared();
  });
  std::thread b([&] {
    l.AcquireShared();
    ++n;
    l.ReleaseShared();
  });
  a.join();
  b.join();
  return n;
}

int written_after_early_unlock(Latch &l) {
  int n = 0;
  auto task = [&] {
    ReleasableHolder h(l);
    ++n;
    h.unlock();
    n += 2;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'n': written here while a task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE+2]]:15: note: task started here
  };
  std::thread a(task);
  std::thread b(task);
  a.join();
  b.join();
  return n;
}

int logging_lock_is_no_lock(Noisy &nz) {
  int n = 0;
  std::thread a([&] {
    nz.Lock();
    ++n;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'n': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: task started here
    nz.Unlock();
  });
  std::thread b([&] {
    nz.Lock();
    ++n;
    nz.Unlock();
  });
  a.join();
  b.join();
  return n;
}

//===----------------------------------------------------------------------===//
// Must stay silent.
//===----------------------------------------------------------------------===//

int acquire_on_both_sides(Latch &l) {
  int n = 0;
  std::thread a([&] {
    l.Acquire();
    ++n;
    l.Release();
  });
  std::thread b([&] {
    l.Acquire();
    ++n;
    l.Release();
  });
  a.join();
  b.join();
  return n;
}

int holders_on_both_sides(Latch &l) {
  int n = 0;
  std::thread a([&] {
    LatchHolder h(&l);
    ++n;
  });
  std::thread b([&] {
    LatchHolder h(&l);
    ++n;
  });
  a.join();
  b.join();
  return n;
}

int try_acquire_both(Latch &l) {
  int n = 0;
  auto task = [&] {
    if (l.TryAcquire()) {
      ++n;
      l.Release();
    }
  };
  std::thread a(task);
  std::thread b(task);
  a.join();
  b.join();
  return n;
}

int old_spellings(OldMutex &m) {
  int n = 0;
  auto task = [&] {
    m.Enter();
    ++n;
    m.Leave();
  };
  std::thread a(task);
  std::thread b(task);
  a.join();
  b.join();
  return n;
}

int free_lock_functions(Latch &l) {
  int n = 0;
  auto task = [&] {
    lock_table(l);
    ++n;
    unlock_table(l);
  };
  std::thread a(task);
  std::thread b(task);
  a.join();
  b.join();
  return n;
}

int member_lock_functions(Account &acct) {
  auto task = [&] {
    acct.LockBalance();
    acct.balance += 1;
    acct.UnlockBalance();
  };
  std::thread a(task);
  std::thread b(task);
  a.join();
  b.join();
  return acct.balance;
}

//===----------------------------------------------------------------------===//
// A function that requires a lock of its callers holds it from its entry.
//===----------------------------------------------------------------------===//

class Scheduler {
public:
  void ScheduleLocked() REQUIRES(mu_) {
    std::thread t([this] {
      mu_.Acquire();
      ++pending_;
      mu_.Release();
    });
    ++pending_;
    t.join();
  }
  void ScheduleOldSpelling() EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::thread t([this] {
      mu_.Acquire();
      ++pending_;
      mu_.Release();
    });
    ++pending_;
    t.join();
  }
  void ScheduleUnannotated() {
    std::thread t([this] {
      mu_.Acquire();
      ++pending_;
      mu_.Release();
    });
    ++pending_;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'pending_': written here while a task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-8]]:17: note: task started here
    t.join();
  }

private:
  Latch mu_;
  int pending_ = 0;
};

//===----------------------------------------------------------------------===//
// An assertion that a lock is held (mu_.AssertHeld()) holds it from there to
// the end of the function, as for Clang's analysis; it takes nothing, so the
// function does not return holding it.
//===----------------------------------------------------------------------===//

class Queue {
public:
  // Called back with mu_ held by code out of sight.
  void OnItemLocked() {
    mu_.AssertHeld();
    ++items_;
  }
  void OnItemLockedOld() {
    mu_.AssertHeldOld();
    ++items_;
  }
  void OnItemUnchecked() { ++items_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: data race on 'items_': written here while a task writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE+19]]:5: note: called from the spawning function here
  // CHECK-MESSAGES: :[[@LINE+13]]:9: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE+10]]:17: note: task started here
  void AfterTheAssertion() {
    OnItemLocked();
    ++items_; // the assertion ended with the callee
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'items_': written here while a task writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+21]]:5: note: called from the spawning function here
    // CHECK-MESSAGES: :[[@LINE+17]]:9: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE+14]]:17: note: task started here
  }
  void Run() {
    std::thread t([this] {
      mu_.Acquire();
      ++items_;
      mu_.Release();
    });
    OnItemLocked();
    OnItemLockedOld();
    OnItemUnchecked();
    t.join();
  }
  void RunAfter() {
    std::thread t([this] {
      mu_.Acquire();
      ++items_;
      mu_.Release();
    });
    AfterTheAssertion();
    t.join();
  }

private:
  Latch mu_;
  int items_ = 0;
};

//===----------------------------------------------------------------------===//
// guarded_by: the declaration says other threads use the location under
// that lock, so a task that touches it without the lock races with them,
// whether or not their code is in sight.
//===----------------------------------------------------------------------===//

Latch stats_mu;
int stats_total GUARDED_BY(stats_mu) = 0;

class Cache {
public:
  void Refresh() {
    std::thread t([this] {
      ++hits_;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: data race on 'hits_': written in a task without holding 'mu_', which guards it [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE+33]]:7: note: 'hits_' is declared guarded by 'mu_' here
      // CHECK-MESSAGES: :[[@LINE-4]]:17: note: task started here
      LatchHolder h(&mu_);
      ++misses_;
      use(*table_);
    });
    t.join();
  }
  void Peek() {
    std::thread t([this] {
      use(*table_);
      // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: data race on '*table_': read in a task without holding 'mu_', which guards it [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE+23]]:8: note: '*table_' is declared guarded by 'mu_' here
      // CHECK-MESSAGES: :[[@LINE-4]]:17: note: task started here
      mu_.AcquireShared();
      use(misses_);
      ++hits_;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: data race on 'hits_': written in a task with 'mu_' held only in shared mode, which guards it [concheck-unguarded-write]
      // CHECK-MESSAGES: :[[@LINE+15]]:7: note: 'hits_' is declared guarded by 'mu_' here
      // CHECK-MESSAGES: :[[@LINE-10]]:17: note: task started here
      mu_.ReleaseShared();
    });
    t.join();
  }
  void Count() {
    std::thread t([this] { BumpLocked(); });
    t.join();
  }

private:
  void BumpLocked() REQUIRES(mu_) { ++misses_; }

  Latch mu_;
  int hits_ GUARDED_BY(mu_) = 0;
  int misses_ GUARDED_BY(mu_) = 0;
  int *table_ PT_GUARDED_BY(mu_) = nullptr;
};

void global_guarded() {
  std::thread a([] { ++stats_total; });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'stats_total': written in a task without holding 'stats_mu', which guards it [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-49]]:5: note: 'stats_total' is declared guarded by 'stats_mu' here
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: task started here
  a.join();
}

void global_guarded_locked() {
  std::thread b([] {
    stats_mu.Acquire();
    ++stats_total;
    stats_mu.Release();
  });
  b.join();
}
