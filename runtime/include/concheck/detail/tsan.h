// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: what concheck's primitives tell ThreadSanitizer.
//
// TSan models std::atomic operations by their memory order already, so a
// primitive built on atomics needs no annotation for the happens-before it
// creates. The annotations here are for what TSan cannot infer:
//  * happens-before carried by a futex wait or another path TSan does not see
//    (acquire/release on an address), and
//  * Go's race-mode trick for misuse that is a race in spirit: a wait_group
//    add that is not ordered before wait() is made visible as a read and a
//    write of one address that TSan reports as a data race
//    (race_read/race_write). No memory is actually accessed.
// Without TSan every function here is an empty inline function.

#ifndef CONCHECK_DETAIL_TSAN_H_
#define CONCHECK_DETAIL_TSAN_H_

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CONCHECK_TSAN 1
#endif
#endif
#if !defined(CONCHECK_TSAN) && defined(__SANITIZE_THREAD__)
#define CONCHECK_TSAN 1
#endif
#ifndef CONCHECK_TSAN
#define CONCHECK_TSAN 0
#endif

#if CONCHECK_TSAN
extern "C" {
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void __tsan_read1(void *addr);
void __tsan_write1(void *addr);
}
#endif

namespace concheck::detail {

// True in a build with ThreadSanitizer.
inline constexpr bool tsan_enabled = CONCHECK_TSAN != 0;

// Everything released on `addr` before happens-before what follows.
inline void tsan_acquire([[maybe_unused]] const void *addr) noexcept {
#if CONCHECK_TSAN
  __tsan_acquire(const_cast<void *>(addr));
#endif
}

// What precedes happens-before a later tsan_acquire(addr).
inline void tsan_release([[maybe_unused]] const void *addr) noexcept {
#if CONCHECK_TSAN
  __tsan_release(const_cast<void *>(addr));
#endif
}

// A read of `addr` as TSan sees it (no memory is read). Paired with
// race_write on the same address from a thread not ordered with this one, it
// makes TSan report a data race: the way Go's race mode reports misuse.
inline void race_read([[maybe_unused]] const void *addr) noexcept {
#if CONCHECK_TSAN
  __tsan_read1(const_cast<void *>(addr));
#endif
}

// A write of `addr` as TSan sees it (no memory is written).
inline void race_write([[maybe_unused]] const void *addr) noexcept {
#if CONCHECK_TSAN
  __tsan_write1(const_cast<void *>(addr));
#endif
}

} // namespace concheck::detail

#endif // CONCHECK_DETAIL_TSAN_H_
