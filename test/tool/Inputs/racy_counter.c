/* A pthread counter with no lock, in C. */
#include <pthread.h>
#include <stddef.h>

static long counter;

static void *count_up(void *arg) {
  (void)arg;
  counter++;
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, count_up, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
  return 0;
}
