// Spawn helpers in a header: they hand the callable to a thread themselves.
#pragma once

#include <future>
#include <thread>
#include <utility>

namespace pools {

template <class F> void run_detached(F f) {
  std::thread([fn = std::move(f)]() mutable { fn(); }).detach();
}

template <class F> auto run_async(F &&f) {
  return std::async(std::launch::async, std::forward<F>(f));
}

} // namespace pools
