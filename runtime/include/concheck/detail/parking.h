// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: where concheck's primitives put a thread to sleep.
//
// A thread that must wait parks on a 32-bit atomic word while the word still
// holds the value it last saw, and whoever changes the word wakes it. On
// Linux that is the futex system call itself: the kernel compares the word
// and queues the thread in one step, so a wake-up that follows the change
// cannot be lost, and a woken thread runs as soon as the scheduler gives it
// a core, busy machine or not.
//
// Why not std::atomic<T>::wait: libstdc++ 12 spins and calls sched_yield()
// several times before it sleeps, and waits on a shared proxy word for any
// type that is not 32 bits wide. On a machine whose cores are kept busy, each
// yield can hand the core to another runnable thread for a whole time slice:
// a wait_group's wait() returned milliseconds after the last done() (issue
// 17), where std::thread::join took a hundred microseconds. Parking here
// never yields; a short bounded spin of pause instructions comes first, for
// the hand-offs that complete within a microsecond.
//
// Waking does not touch the word's memory: the kernel only looks the address
// up among its sleepers. A waker's last access to the object in user space
// is the atomic change of the word, so a waiter that sees the change may
// destroy the object while the waker is still in the wake system call. A
// wake-up on memory that has gone, or been reused, at worst wakes some other
// sleeper spuriously, which every futex user must tolerate (every waiter
// here re-checks its word). That is how glibc's sem_post is safe to destroy
// right after sem_wait returns (glibc bug 12674).
//
// Elsewhere than Linux, std::atomic wait/notify stand in, and
// unpark_touches_memory says that the destruction guarantee above does not
// hold there (the channel then keeps its waiter's record alive through the
// wake-up; the wait group and the semaphore are built and tested on Linux
// only).
//
// ThreadSanitizer does not see the system call, and needs not to: every
// happens-before here comes from the atomic operations on the word.

#ifndef CONCHECK_DETAIL_PARKING_H_
#define CONCHECK_DETAIL_PARKING_H_

#include <atomic>
#include <climits>
#include <cstdint>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace concheck::detail {

// Whether waking a parked thread reads or writes its word's memory: never on
// Linux (the futex call only names the address), so a waiter may free the
// word as soon as it sees the change; elsewhere the caller must keep the
// word alive until the wake-up call has returned.
#if defined(__linux__)
inline constexpr bool unpark_touches_memory = false;
#else
inline constexpr bool unpark_touches_memory = true;
#endif

// A word threads park on: 32 bits (an integer or an enumeration), or the
// low half of a 64-bit word (park_low_half).
template <class T>
inline constexpr bool parkable_v = sizeof(std::atomic<T>) ==
                                       sizeof(std::uint32_t) &&
                                   std::atomic<T>::is_always_lock_free;

// Spins this many times, with a pause instruction each, before parking: about
// a microsecond on current x86 cores, less than one system call's round trip.
inline constexpr int park_spins = 64;

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

#if defined(__linux__)
// The kernel reads the word as a plain aligned 32-bit integer.
inline void futex_wait(const void *word, std::uint32_t expected) noexcept {
  // EAGAIN (the word changed), EINTR (a signal) and a wake-up all return:
  // the caller looks again.
  syscall(SYS_futex, const_cast<void *>(word), FUTEX_WAIT_PRIVATE, expected,
          nullptr, nullptr, 0);
}
inline void futex_wake(const void *word, int n) noexcept {
  syscall(SYS_futex, const_cast<void *>(word), FUTEX_WAKE_PRIVATE, n, nullptr,
          nullptr, 0);
}
template <class T> std::uint32_t futex_value(T value) noexcept {
  std::uint32_t bits;
  static_assert(sizeof(T) == sizeof bits);
  __builtin_memcpy(&bits, &value, sizeof bits);
  return bits;
}
#endif

// Blocks while `word` holds `expected`. May return spuriously: the caller
// re-reads the word and decides. Memory ordering: none; the caller's own
// load of the word (acquire) orders what it reads after.
template <class T> void park(const std::atomic<T> &word, T expected) noexcept {
  static_assert(parkable_v<T>, "a futex word is a plain 32-bit word");
  for (int i = 0; i < park_spins; ++i) {
    if (word.load(std::memory_order_relaxed) != expected)
      return;
    cpu_relax();
  }
#if defined(__linux__)
  futex_wait(&word, futex_value(expected));
#else
  word.wait(expected, std::memory_order_relaxed);
#endif
}

// Blocks until `word` no longer holds `value` (spurious returns of park()
// are absorbed here).
template <class T>
void park_while(const std::atomic<T> &word, T value) noexcept {
  while (word.load(std::memory_order_relaxed) == value)
    park(word, value);
}

// Wakes one thread parked on `word`, if any. Call it after changing the
// word. On Linux it touches no user-space memory (see the top of this file).
template <class T> void unpark_one(std::atomic<T> &word) noexcept {
  static_assert(parkable_v<T>, "a futex word is a plain 32-bit word");
#if defined(__linux__)
  futex_wake(&word, 1);
#else
  word.notify_one();
#endif
}

// Wakes every thread parked on `word`.
template <class T> void unpark_all(std::atomic<T> &word) noexcept {
  static_assert(parkable_v<T>, "a futex word is a plain 32-bit word");
#if defined(__linux__)
  futex_wake(&word, INT_MAX);
#else
  word.notify_all();
#endif
}

// A 64-bit word whose low 32 bits say when to wake: blocks while they equal
// those of `seen`. A change to the high half alone wakes no one (nor needs
// to). Elsewhere than Linux, waits for the whole word to differ from `seen`.
inline void park_low_half(const std::atomic<std::uint64_t> &word,
                          std::uint64_t seen) noexcept {
  const auto low = [](std::uint64_t v) {
    return static_cast<std::uint32_t>(v);
  };
  for (int i = 0; i < park_spins; ++i) {
    if (low(word.load(std::memory_order_relaxed)) != low(seen))
      return;
    cpu_relax();
  }
#if defined(__linux__)
  static_assert(sizeof(std::atomic<std::uint64_t>) == 8 &&
                std::atomic<std::uint64_t>::is_always_lock_free);
  const char *half = reinterpret_cast<const char *>(&word);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  half += 4;
#endif
  futex_wait(half, low(seen));
#else
  word.wait(seen, std::memory_order_relaxed);
#endif
}

// Wakes every thread parked on the low half of `word`.
inline void unpark_all_low_half(std::atomic<std::uint64_t> &word) noexcept {
#if defined(__linux__)
  const char *half = reinterpret_cast<const char *>(&word);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  half += 4;
#endif
  futex_wake(half, INT_MAX);
#else
  word.notify_all();
#endif
}

} // namespace concheck::detail

#endif // CONCHECK_DETAIL_PARKING_H_
