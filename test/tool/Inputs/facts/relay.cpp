#include "relay.h"
#include "pool.h"

namespace app {
void relay(std::function<void()> f) { run_async(std::move(f)); }
} // namespace app
