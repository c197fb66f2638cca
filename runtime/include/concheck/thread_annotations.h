// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: thread_annotations.h
// -----------------------------------------------------------------------------
//
// Macros for clang's thread-safety analysis (-Wthread-safety). They let the
// compiler check, at every access, that a field is touched only with the mutex
// that guards it held, and that functions are called with (or without) the
// locks they require. libstdc++'s std::mutex carries no such attributes, so the
// analysis cannot see it; concheck::mutex and its guards do (see mutex.h).
//
// Example:
//
//   class Account {
//    public:
//     void deposit(long amount) CONCHECK_EXCLUDES(mu_) {
//       concheck::lock_guard lock(mu_);
//       balance_ += amount;           // fine: mu_ is held
//     }
//     long unsafe_balance() { return balance_; }   // warning: reading
//                                                   // variable 'balance_'
//                                                   // requires holding
//                                                   // mutex 'mu_'
//    private:
//     concheck::mutex mu_;
//     long balance_ CONCHECK_GUARDED_BY(mu_) = 0;
//   };
//
// Every macro expands to nothing on compilers without the attributes, so code
// using them stays portable. The names follow clang's documentation
// (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html) with a CONCHECK_
// prefix so they never collide with a project's own macros.

#ifndef CONCHECK_THREAD_ANNOTATIONS_H_
#define CONCHECK_THREAD_ANNOTATIONS_H_

#if defined(__has_attribute)
#define CONCHECK_HAS_ATTRIBUTE(x) __has_attribute(x)
#else
#define CONCHECK_HAS_ATTRIBUTE(x) 0
#endif

#if CONCHECK_HAS_ATTRIBUTE(capability) && defined(__clang__)
#define CONCHECK_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CONCHECK_THREAD_ANNOTATION(x)
#endif

// CONCHECK_CAPABILITY(name): the type is a lock ("mutex", "role", ...).
#define CONCHECK_CAPABILITY(name) CONCHECK_THREAD_ANNOTATION(capability(name))

// CONCHECK_SCOPED_CAPABILITY: an RAII type that holds a capability for its
// lifetime (a guard).
#define CONCHECK_SCOPED_CAPABILITY CONCHECK_THREAD_ANNOTATION(scoped_lockable)

// CONCHECK_GUARDED_BY(mu): the field may be read only with mu held (shared or
// exclusive) and written only with mu held exclusively.
#define CONCHECK_GUARDED_BY(mu) CONCHECK_THREAD_ANNOTATION(guarded_by(mu))

// CONCHECK_PT_GUARDED_BY(mu): the data the pointer points to is guarded by mu
// (the pointer itself is not).
#define CONCHECK_PT_GUARDED_BY(mu) CONCHECK_THREAD_ANNOTATION(pt_guarded_by(mu))

// CONCHECK_ACQUIRED_BEFORE(...) / CONCHECK_ACQUIRED_AFTER(...): lock ordering.
#define CONCHECK_ACQUIRED_BEFORE(...)                                          \
  CONCHECK_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define CONCHECK_ACQUIRED_AFTER(...)                                           \
  CONCHECK_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))

// CONCHECK_REQUIRES(...) / CONCHECK_REQUIRES_SHARED(...): the caller must hold
// the capabilities (exclusively / at least shared).
#define CONCHECK_REQUIRES(...)                                                 \
  CONCHECK_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define CONCHECK_REQUIRES_SHARED(...)                                          \
  CONCHECK_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))

// CONCHECK_ACQUIRE(...) / CONCHECK_ACQUIRE_SHARED(...): the function acquires
// the capabilities (with no argument on a member: the object itself).
#define CONCHECK_ACQUIRE(...)                                                  \
  CONCHECK_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define CONCHECK_ACQUIRE_SHARED(...)                                           \
  CONCHECK_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))

// CONCHECK_RELEASE(...) / CONCHECK_RELEASE_SHARED(...) /
// CONCHECK_RELEASE_GENERIC(...): the function releases the capabilities (held
// exclusively / shared / either way).
#define CONCHECK_RELEASE(...)                                                  \
  CONCHECK_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define CONCHECK_RELEASE_SHARED(...)                                           \
  CONCHECK_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define CONCHECK_RELEASE_GENERIC(...)                                          \
  CONCHECK_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))

// CONCHECK_TRY_ACQUIRE(result, ...) / CONCHECK_TRY_ACQUIRE_SHARED(result, ...):
// the function acquires the capabilities when it returns `result`.
#define CONCHECK_TRY_ACQUIRE(...)                                              \
  CONCHECK_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define CONCHECK_TRY_ACQUIRE_SHARED(...)                                       \
  CONCHECK_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))

// CONCHECK_EXCLUDES(...): the caller must NOT hold the capabilities (the
// function acquires them itself; calling it with them held would deadlock).
#define CONCHECK_EXCLUDES(...)                                                 \
  CONCHECK_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// CONCHECK_ASSERT_CAPABILITY(x) / CONCHECK_ASSERT_SHARED_CAPABILITY(x): the
// function checks at run time that the capability is held.
#define CONCHECK_ASSERT_CAPABILITY(x)                                          \
  CONCHECK_THREAD_ANNOTATION(assert_capability(x))
#define CONCHECK_ASSERT_SHARED_CAPABILITY(x)                                   \
  CONCHECK_THREAD_ANNOTATION(assert_shared_capability(x))

// CONCHECK_RETURN_CAPABILITY(x): the function returns a reference to x.
#define CONCHECK_RETURN_CAPABILITY(x)                                          \
  CONCHECK_THREAD_ANNOTATION(lock_returned(x))

// CONCHECK_NO_THREAD_SAFETY_ANALYSIS: turns the analysis off for one function.
// Use it only where the locking is correct but beyond the analysis (for
// example a guard's move constructor), and say why beside it.
#define CONCHECK_NO_THREAD_SAFETY_ANALYSIS                                     \
  CONCHECK_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif // CONCHECK_THREAD_ANNOTATIONS_H_
