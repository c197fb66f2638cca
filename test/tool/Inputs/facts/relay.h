#pragma once
#include <functional>

namespace app {
// Hands f to run_async: a spawn only through what pool.cpp shows.
void relay(std::function<void()> f);
} // namespace app
