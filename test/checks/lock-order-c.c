// RUN: %check_concheck %s concheck-lock-order %t -- -- -std=gnu17 -isystem %S/../Inputs/std

/* concheck-lock-order in C: pthread and C11 mutexes taken in opposite orders
   by two threads, a mutex locked again by the thread that holds it, a join
   while holding a mutex the joined thread takes. Silent: one order, a
   try-lock with back-off, a mutex made recursive, _Atomic counters. */

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <threads.h>

static pthread_mutex_t in_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
static long moved;

static void *producer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&in_mu);
  pthread_mutex_lock(&out_mu);
  moved++;
  pthread_mutex_unlock(&out_mu);
  pthread_mutex_unlock(&in_mu);
  return NULL;
}

static void *consumer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&out_mu);
  pthread_mutex_lock(&in_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'in_mu' locked while holding 'out_mu', the reverse of the order another path takes: the two can deadlock [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'out_mu' locked here
  // CHECK-MESSAGES: :[[@LINE-13]]:3: note: the other path locks 'out_mu' while holding 'in_mu' here
  // CHECK-MESSAGES: :[[@LINE-15]]:3: note: 'in_mu' locked here
  moved--;
  pthread_mutex_unlock(&in_mu);
  pthread_mutex_unlock(&out_mu);
  return NULL;
}

void start_both(void) {
  pthread_t p, c;
  pthread_create(&p, NULL, producer, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: task started here
  pthread_create(&c, NULL, consumer, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: task started here
  pthread_join(p, NULL);
  pthread_join(c, NULL);
}

/* A C11 mutex locked twice on one path. */
static mtx_t table_mu;
static int table_size;

static void grow_table(void) {
  mtx_lock(&table_mu);
  table_size *= 2;
  mtx_unlock(&table_mu);
}

void insert_and_grow(void) {
  mtx_lock(&table_mu);
  table_size++;
  grow_table();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'grow_table' locks mutex 'table_mu', which this path already holds: it waits for itself forever [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-10]]:3: note: 'table_mu' locked here
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'table_mu' locked here first
  mtx_unlock(&table_mu);
}

/* Joining a thread that needs the mutex the joiner holds. */
static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static int finished;

static void *finish(void *arg) {
  (void)arg;
  pthread_mutex_lock(&done_mu);
  finished = 1;
  pthread_mutex_unlock(&done_mu);
  return NULL;
}

void wait_for_finish(void) {
  pthread_t t;
  pthread_create(&t, NULL, finish, NULL);
  pthread_mutex_lock(&done_mu);
  pthread_join(t, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pthread_join(t, NULL)' waits for a task while holding mutex 'done_mu', which the task locks: the wait can deadlock [concheck-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'done_mu' locked here
  // CHECK-MESSAGES: :[[@LINE-13]]:3: note: the task locks 'done_mu' here
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: task started here
  pthread_mutex_unlock(&done_mu);
}

/*===----------------------------------------------------------------------===
  Silent.
  ===----------------------------------------------------------------------===*/

/* One order in both threads. */
static pthread_mutex_t first_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second_mu = PTHREAD_MUTEX_INITIALIZER;
static int both;

static void *in_order(void *arg) {
  (void)arg;
  pthread_mutex_lock(&first_mu);
  pthread_mutex_lock(&second_mu);
  both++;
  pthread_mutex_unlock(&second_mu);
  pthread_mutex_unlock(&first_mu);
  return NULL;
}

/* The reverse order, but the inner lock is only tried: it backs off. */
static void *backs_off(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&second_mu);
    if (pthread_mutex_trylock(&first_mu) == 0) {
      both--;
      pthread_mutex_unlock(&first_mu);
      pthread_mutex_unlock(&second_mu);
      return NULL;
    }
    pthread_mutex_unlock(&second_mu);
  }
}

void start_ordered(void) {
  pthread_t a, b, c;
  pthread_create(&a, NULL, in_order, NULL);
  pthread_create(&b, NULL, in_order, NULL);
  pthread_create(&c, NULL, backs_off, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
}

/* A mutex made recursive may be locked again by its holder. */
static pthread_mutex_t rec_mu;
static int depth;

void init_recursive(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&rec_mu, &attr);
}

static void enter(void) {
  pthread_mutex_lock(&rec_mu);
  depth++;
  pthread_mutex_unlock(&rec_mu);
}

void enter_twice(void) {
  pthread_mutex_lock(&rec_mu);
  enter();
  pthread_mutex_unlock(&rec_mu);
}

/* _Atomic counters need no lock, and order none. */
static _Atomic long hits;
static atomic_int misses;

static void *count_atomically(void *arg) {
  (void)arg;
  hits++;
  atomic_fetch_add(&misses, 1);
  return NULL;
}

void start_atomic(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, count_atomically, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
}

/* A lock whose failure is tested: the error path holds nothing. */
static pthread_mutex_t status_mu = PTHREAD_MUTEX_INITIALIZER;

int lock_checked(void) {
  if (pthread_mutex_lock(&status_mu) != 0)
    return -1;
  depth++;
  pthread_mutex_unlock(&status_mu);
  if (pthread_mutex_lock(&status_mu) != 0)
    return -1;
  depth--;
  pthread_mutex_unlock(&status_mu);
  return 0;
}
