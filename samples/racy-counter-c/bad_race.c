// The race detector's example in C: four pthreads increment a plain long.
// counter++ is a load, an add and a store; two threads can load the same
// value and one increment is lost, and ThreadSanitizer reports the race in
// any run, because nothing orders one thread's store before another's.
//
// Expected static findings (concheck):
//   concheck-unguarded-write at line 21 (written by every thread, no lock)
// Expected dynamic outcome: data race

#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 1000 };

static long counter;

static void *count_up(void *arg) {
  (void)arg;
  for (int i = 0; i < ROUNDS; ++i)
    // BUG: an unsynchronized read-modify-write of a shared variable.
    counter++;
  return NULL;
}

int main(void) {
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; ++i)
    pthread_create(&threads[i], NULL, count_up, NULL);
  for (int i = 0; i < THREADS; ++i)
    pthread_join(threads[i], NULL);
  printf("final counter: %ld\n", counter); // often less than 4000
  return 0;
}
