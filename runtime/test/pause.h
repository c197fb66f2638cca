// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// A short delay that keeps the processor: what a test uses to vary when a
// thread arrives (a stop request a little later, a receiver that lets the
// buffer fill). std::this_thread::yield() is no such delay: on a machine
// whose cores are kept busy, a yield can hand the core to another process
// for a whole time slice (milliseconds), and a test of a thousand rounds
// then overruns its watchdog (issue 17).

#ifndef CONCHECK_RUNTIME_TEST_PAUSE_H_
#define CONCHECK_RUNTIME_TEST_PAUSE_H_

#include <concheck/detail/parking.h>

namespace concheck_test {

// About `n` tens of nanoseconds.
inline void pause_for(int n) {
  for (int i = 0; i < n; ++i)
    concheck::detail::cpu_relax();
}

} // namespace concheck_test

#endif // CONCHECK_RUNTIME_TEST_PAUSE_H_
