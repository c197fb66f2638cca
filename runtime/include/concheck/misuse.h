// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: misuse.h
// -----------------------------------------------------------------------------
//
// How concheck's primitives report misuse. Go's sync package panics when a
// WaitGroup's counter goes negative, when a closed channel is closed again, and
// so on; these are bugs in the calling program, not conditions to handle. The
// concheck primitives check for the same misuses in every build mode (not only
// in debug builds) and report each through one process-wide handler.
//
// The default handler prints one line naming the misuse to stderr, e.g.
//
//   concheck: misuse of wait_group: negative counter
//
// and aborts. A program (or a test) may install its own handler with
// set_misuse_handler(): to log through its own channels, or to throw an
// exception. If a handler returns normally, the primitive aborts anyway: the
// primitive's state is not valid for going on.
//
// Example:
//
//   concheck::set_misuse_handler([](const concheck::misuse_report& r) {
//     my_logger().fatal(r.message);
//     std::abort();
//   });

#ifndef CONCHECK_MISUSE_H_
#define CONCHECK_MISUSE_H_

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace concheck {

// The misuses concheck detects. The message each one prints is fixed (see
// misuse_message) so that logs, tests and docs can rely on it.
enum class misuse {
  negative_counter,          // wait_group: done() or add(-n) below zero
  add_during_wait,           // wait_group: add from zero while wait() runs
  reuse_before_wait_returned, // wait_group: add before the last wait returned
  destroyed_with_tasks,      // wait_group: destroyed with tasks outstanding
  wait_from_own_task,        // wait_group/worker_pool: waits on itself
  send_on_closed_channel,    // channel: send after close
  close_of_closed_channel,   // channel: close twice
  submit_after_close,        // worker_pool: submit after close
  semaphore_overflow,        // semaphore: release beyond its maximum
  unlock_of_unlocked_mutex,  // mutex: unlock without a lock
};

// The fixed message for a misuse, without the primitive's name.
constexpr const char *misuse_message(misuse kind) noexcept {
  switch (kind) {
  case misuse::negative_counter:
    return "negative counter";
  case misuse::add_during_wait:
    return "add called concurrently with wait";
  case misuse::reuse_before_wait_returned:
    return "reused before previous wait has returned";
  case misuse::destroyed_with_tasks:
    return "destroyed while tasks are outstanding";
  case misuse::wait_from_own_task:
    return "waited on from one of its own tasks (deadlock)";
  case misuse::send_on_closed_channel:
    return "send on closed channel";
  case misuse::close_of_closed_channel:
    return "close of closed channel";
  case misuse::submit_after_close:
    return "submit after close";
  case misuse::semaphore_overflow:
    return "release beyond the maximum count";
  case misuse::unlock_of_unlocked_mutex:
    return "unlock of unlocked mutex";
  }
  return "unknown misuse";
}

// What a handler receives.
struct misuse_report {
  misuse kind;
  const char *primitive; // "wait_group", "channel", ...
  const char *message;   // misuse_message(kind)
};

using misuse_handler = void (*)(const misuse_report &);

namespace detail {

inline void default_misuse_handler(const misuse_report &report) {
  std::fprintf(stderr, "concheck: misuse of %s: %s\n", report.primitive,
               report.message);
  std::fflush(stderr);
  std::abort();
}

inline std::atomic<misuse_handler> &misuse_handler_slot() noexcept {
  static std::atomic<misuse_handler> slot{&default_misuse_handler};
  return slot;
}

} // namespace detail

// set_misuse_handler()
//
// Installs `handler` for every later misuse report in the process and returns
// the previous one. nullptr restores the default (print and abort).
//
// Memory ordering: the exchange is acq_rel, so a handler installed before
// threads start is the one those threads use.
inline misuse_handler set_misuse_handler(misuse_handler handler) noexcept {
  if (handler == nullptr)
    handler = &detail::default_misuse_handler;
  return detail::misuse_handler_slot().exchange(handler,
                                                std::memory_order_acq_rel);
}

// report_misuse()
//
// Reports `kind` on `primitive` through the installed handler. Does not return
// normally: the handler may throw, and if it returns, the process aborts.
[[noreturn]] inline void report_misuse(misuse kind, const char *primitive) {
  const misuse_report report{kind, primitive, misuse_message(kind)};
  detail::misuse_handler_slot().load(std::memory_order_acquire)(report);
  // A handler that returns leaves the primitive in an invalid state.
  std::fprintf(stderr,
               "concheck: misuse of %s: %s (the misuse handler returned)\n",
               primitive, report.message);
  std::fflush(stderr);
  std::abort();
}

} // namespace concheck

#endif // CONCHECK_MISUSE_H_
