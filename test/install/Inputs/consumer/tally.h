// A header of the project: its finding is shown in the build too, which
// clang-tidy does only with --header-filter (without it, a header's
// diagnostics are suppressed as not the user's code).
#pragma once
#include <mutex>

inline std::mutex tally_mu;
inline int tally = 0;

inline void count_one() {
  tally_mu.lock();
  ++tally;
  tally_mu.unlock();
}
