// A task start inside a macro that wraps a call around it.
#include <pthread.h>

int check_helper(int rc, const char *what);
#define CHECK(expr) check_helper((expr), #expr)

void *worker(void *);

void run() {
  pthread_t t;
  CHECK(
      pthread_create(&t, nullptr, worker, nullptr));
  CHECK(pthread_join(t, nullptr));
}
