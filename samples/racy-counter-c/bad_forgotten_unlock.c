// A forgotten unlock in C: the worker skips odd jobs with an early return
// that leaves the mutex locked, so the next lock() blocks forever. C has no
// scoped guard; every way out between a lock and its unlock must unlock.
//
// Expected static findings (concheck):
//   concheck-unbalanced-lock at line 24 (the early return)
// Expected dynamic outcome: deadlock (the second job waits for the mutex forever)

#include <pthread.h>
#include <stdio.h>

enum { JOBS = 4 };

static long done_jobs;
static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;

static void *run_job(void *arg) {
  long id = (long)arg;
  pthread_mutex_lock(&jobs_mu);
  printf("job %ld\n", id);
  fflush(stdout);
  if (id % 2 == 1)
    // BUG: returns with jobs_mu still locked.
    return NULL;
  done_jobs++;
  pthread_mutex_unlock(&jobs_mu);
  return NULL;
}

int main(void) {
  for (long id = 1; id <= JOBS; ++id) {
    pthread_t t;
    pthread_create(&t, NULL, run_job, (void *)id);
    pthread_join(t, NULL);
  }
  printf("done: %ld\n", done_jobs);
  return 0;
}
