// The fix in C: a pthread mutex around the increment. Every thread takes
// the same mutex, so the increments happen one at a time and the total is
// always 4000. (A C11 _Atomic long would do as well for a lone counter.)
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 1000 };

static long counter;
static pthread_mutex_t counter_mu = PTHREAD_MUTEX_INITIALIZER;

static void *count_up(void *arg) {
  (void)arg;
  for (int i = 0; i < ROUNDS; ++i) {
    pthread_mutex_lock(&counter_mu);
    counter++;
    pthread_mutex_unlock(&counter_mu);
  }
  return NULL;
}

int main(void) {
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; ++i)
    pthread_create(&threads[i], NULL, count_up, NULL);
  for (int i = 0; i < THREADS; ++i)
    pthread_join(threads[i], NULL);
  printf("final counter: %ld\n", counter); // always 4000
  return counter == THREADS * ROUNDS ? 0 : 1;
}
