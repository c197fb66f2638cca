#include "thread.h"

int races() {
  int n = 0;
  app::Thread t([&n] { ++n; });
  t.start();
  ++n;
  t.join();
  return n;
}

int joined() {
  int n = 0;
  app::Thread t([&n] { ++n; });
  t.start();
  t.join();
  ++n;
  return n;
}
