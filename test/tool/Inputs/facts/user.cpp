#include "pool.h"
#include "relay.h"

int hits, waited, locked, deep, deferred;

void spawns_elsewhere() {
  app::run_async([] { ++hits; });
  ++hits;
}

void joins_elsewhere() {
  app::Pool pool;
  pool.submit([] { ++waited; });
  pool.wait();
  ++waited;
}

void locks_elsewhere(app::Latch &latch) {
  app::run_async([&latch] {
    latch.Acquire();
    ++locked;
    latch.Release();
  });
  latch.Acquire();
  ++locked;
  latch.Release();
}

void two_files_away() {
  app::relay([] { ++deep; });
  ++deep;
}

void not_a_spawn(app::Deferred &d) {
  d.later([] { ++deferred; });
  ++deferred;
  d.flush();
}
