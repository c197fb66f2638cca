// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=gnu17 -isystem %S/../Inputs/std

/* A pool whose workers wait, under the pool's mutex, while its queue is
   empty: the function that makes the pool marks the queue empty before it
   starts the workers, so it may finish setting the pool up after the start.
   No worker gets past the wait until a job is pushed, and nothing can push
   one before the pool is handed out: the workers' reads behind the test
   cannot meet those writes. */

#include <pthread.h>
#include <stddef.h>

void *calloc(size_t n, size_t size);
void free(void *p);

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int empty;
  int shutdown;
  size_t busy, limit, started, result;
  pthread_t threads[4];
} pool;

pool *last_pool;
void publish(pool *p);

static void *worker(void *arg) {
  pool *const p = (pool *)arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (p->empty || p->busy >= p->limit) {
      if (p->shutdown) {
        pthread_mutex_unlock(&p->mu);
        return arg;
      }
      pthread_cond_wait(&p->cv, &p->mu);
    }
    p->busy++;
    p->empty = 1;
    p->result = p->started;
    pthread_mutex_unlock(&p->mu);
  }
}

/* The pool's setup after the start: the workers are still held back. */
pool *pool_create(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  if (!p)
    return NULL;
  p->empty = 1;
  p->busy = 0;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  for (size_t i = 0; i < n; ++i)
    if (pthread_create(&p->threads[i], NULL, worker, p)) {
      free(p);
      return NULL;
    }
  p->limit = n;
  p->started = n;
  size_t seen = p->result;
  (void)seen;
  return p;
}

/* The queue is opened before the setup is done: a worker may read the
   limit while it is written. */
pool *pool_create_open(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  pthread_mutex_lock(&p->mu);
  p->empty = 0;
  pthread_mutex_unlock(&p->mu);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* Not marked empty before the start: nothing holds the workers back. */
pool *pool_create_unmarked(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* Marked empty only on some paths to the start. */
pool *pool_create_maybe(size_t n, int lazy) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  if (lazy)
    p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* A pool the caller gave: others may hold it and push a job meanwhile. */
void pool_start(pool *p, size_t n) {
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
}

/* Handed out before the setup is done: another thread may push a job. */
pool *pool_create_published(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  publish(p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* A worker that opens the queue itself before it waits. */
static void *eager_worker(void *arg) {
  pool *const p = (pool *)arg;
  pthread_mutex_lock(&p->mu);
  p->empty = 0;
  while (p->empty || p->busy >= p->limit)
    pthread_cond_wait(&p->cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
  return arg;
}

pool *pool_create_eager(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, eager_worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* A worker that tests the mark without the lock: the test itself is a
   race, and nothing orders what follows it. */
static void *unlocked_worker(void *arg) {
  pool *const p = (pool *)arg;
  while (p->empty)
    ;
  return (void *)p->limit;
}

pool *pool_create_unlocked(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, unlocked_worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* Declared first and given its allocation later, as the pool is often
   made: still the spawner's own object. */
pool *pool_create_late(size_t n) {
  pool *p;
  if (!n)
    return NULL;
  p = (pool *)calloc(1, sizeof(pool));
  if (!p)
    return NULL;
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  p->limit = n;
  return p;
}

/* A pool found elsewhere, not made here: another thread may hold it. */
pool *find_pool(void);
pool *pool_create_found(size_t n) {
  pool *p = find_pool();
  p->empty = 1;
  for (size_t i = 0; i < n; ++i)
    pthread_create(&p->threads[i], NULL, worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  return p;
}

/* A pool on the stack, joined before it goes: the same holds. */
size_t pool_run_local(void) {
  pool p = {0};
  p.empty = 1;
  pthread_create(&p.threads[0], NULL, worker, &p);
  p.limit = 1;
  pthread_mutex_lock(&p.mu);
  p.shutdown = 1;
  pthread_mutex_unlock(&p.mu);
  pthread_join(p.threads[0], NULL);
  return p.result;
}

/* Handed to a function the analysis cannot see between the start and the
   write: it may open the queue. */
void register_pool(pool *p);
size_t pool_run_registered(void) {
  pool p = {0};
  p.empty = 1;
  pthread_create(&p.threads[0], NULL, worker, &p);
  register_pool(&p);
  p.limit = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p.limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  pthread_join(p.threads[0], NULL);
  return p.result;
}

/* Each round writes after the previous round's start and hand-out. */
pool *pool_create_rounds(size_t n) {
  pool *p = (pool *)calloc(1, sizeof(pool));
  p->empty = 1;
  for (size_t i = 0; i < n; ++i) {
    p->limit = i;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
    pthread_create(&p->threads[i], NULL, worker, p);
    publish(p);
  }
  return p;
}
