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

#include "env.h"

struct Counter {
  int n = 0;
};

void Bump(void *p) { ++static_cast<Counter *>(p)->n; }

void virtual_elsewhere(Counter &c) {
  app::DefaultEnv()->Schedule(&Bump, &c);
  ++c.n;
}

void not_every_implementation(Counter &c) {
  app::DefaultRunner()->Run(&Bump, &c);
  ++c.n;
}
