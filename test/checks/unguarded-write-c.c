// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=gnu17 -isystem %S/../Inputs/std

/* concheck-unguarded-write in C: threads started with pthread_create and
   C11's thrd_create, joined with pthread_join and thrd_join, locks taken
   with pthread_mutex_*, pthread_spin_*, pthread_rwlock_* and mtx_*.
   _Atomic objects and the atomic_* types are atomic; volatile is not. */

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <threads.h>

/*===----------------------------------------------------------------------===
  Races.
  ===----------------------------------------------------------------------===*/

static long counter;

static void *count_up(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    counter++;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'counter': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  return NULL;
}

void racy_counter(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, count_up, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task started here
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
}

/* volatile orders nothing between threads. */
static volatile int stop_flag;

static void *set_flag(void *arg) {
  stop_flag = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stop_flag': written in a task while another task writes it, with no common lock [concheck-unguarded-write]
  return arg;
}

void volatile_is_not_atomic(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, set_flag, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: task started here
  pthread_create(&b, NULL, set_flag, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

/* The shared state reached through the routine's argument. */
struct account {
  long balance;
};

static void *deposit(void *arg) {
  struct account *acc = arg;
  acc->balance += 10;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'acc->balance': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  return NULL;
}

void shared_argument(void) {
  struct account acc = {0};
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, deposit, &acc);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task started here
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
}

/* C11 threads. */
static int hits;

static int hit(void *arg) {
  (void)arg;
  hits++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'hits': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  return 0;
}

void c11_threads(void) {
  thrd_t t[3];
  for (int i = 0; i < 3; ++i)
    thrd_create(&t[i], hit, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task started here
  for (int i = 0; i < 3; ++i)
    thrd_join(t[i], NULL);
}

/* The spawner writes while the thread runs. */
static int progress;

static void *report(void *arg) {
  progress = 1;
  return arg;
}

void spawner_races_its_thread(void) {
  pthread_t t;
  pthread_create(&t, NULL, report, NULL);
  progress = 2;
  pthread_join(t, NULL);
  // CHECK-MESSAGES: :[[@LINE-9]]:3: warning: data race on 'progress': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: concurrent write here
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: task started here
}

/*===----------------------------------------------------------------------===
  No race.
  ===----------------------------------------------------------------------===*/

static long locked_total;
static pthread_mutex_t total_mu = PTHREAD_MUTEX_INITIALIZER;

static void *add_locked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&total_mu);
  locked_total++;
  pthread_mutex_unlock(&total_mu);
  return NULL;
}

void mutex_guards(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, add_locked, NULL);
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
  locked_total = 0; /* every thread joined */
}

static _Atomic long atomic_total;
static atomic_int atomic_hits;

static void *add_atomic(void *arg) {
  (void)arg;
  atomic_total++;
  atomic_total += 2;
  atomic_fetch_add(&atomic_hits, 1);
  atomic_store_explicit(&atomic_hits, 0, memory_order_relaxed);
  return NULL;
}

void atomics_are_atomic(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, add_atomic, NULL);
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
}

static long spin_total, rw_total, mtx_total;
static pthread_spinlock_t spin;
static pthread_rwlock_t rw;
static mtx_t c11_mu;

static int add_under_locks(void *arg) {
  (void)arg;
  pthread_spin_lock(&spin);
  spin_total++;
  pthread_spin_unlock(&spin);
  pthread_rwlock_wrlock(&rw);
  rw_total++;
  pthread_rwlock_unlock(&rw);
  mtx_lock(&c11_mu);
  mtx_total++;
  mtx_unlock(&c11_mu);
  return 0;
}

void other_locks_guard(void) {
  thrd_t t[2];
  mtx_init(&c11_mu, mtx_plain);
  pthread_spin_init(&spin, 0);
  pthread_rwlock_init(&rw, NULL);
  for (int i = 0; i < 2; ++i)
    thrd_create(&t[i], add_under_locks, NULL);
  for (int i = 0; i < 2; ++i)
    thrd_join(t[i], NULL);
  mtx_destroy(&c11_mu);
}

/* Each thread its own element, handed through the argument. */
struct job {
  int id;
  long result;
};

static void *run_job(void *arg) {
  struct job *j = arg;
  j->result = j->id * 2;
  return NULL;
}

void per_thread_slots(void) {
  struct job jobs[4];
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) {
    jobs[i].id = i;
    pthread_create(&t[i], NULL, run_job, &jobs[i]);
  }
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
  for (int i = 0; i < 4; ++i)
    jobs[i].result = 0; /* after the joins */
}

/* Written before the thread starts and after it is joined. */
static int config_value;

static void *read_config(void *arg) {
  (void)arg;
  return (void *)(long)config_value;
}

void before_and_after(void) {
  pthread_t t;
  config_value = 1;
  pthread_create(&t, NULL, read_config, NULL);
  pthread_join(t, NULL);
  config_value = 2;
}

/* One thread only, written by nobody else. */
static int only_one;

static void *sole_writer(void *arg) {
  only_one = 5;
  return arg;
}

void one_thread(void) {
  pthread_t t;
  pthread_create(&t, NULL, sole_writer, NULL);
  pthread_join(t, NULL);
}

/* The thread's number carried through its void * argument, (void *)(long)i,
   and taken back as an integer: each thread its own element, which the
   spawner fills before it starts that thread. */
static int own_counts[8];
static pthread_t counters[8];

static void *count_own(void *arg) {
  long id = (unsigned long)arg;
  own_counts[id]++;
  return NULL;
}

void start_counters(void) {
  for (int i = 0; i < 8; i++) {
    own_counts[i] = 0;
    pthread_create(&counters[i], NULL, count_own, (void *)(long)i);
  }
}

/* The same number, but the spawner writes the element after it started the
   thread that owns it. */
static int late_counts[8];

static void *count_late(void *arg) {
  late_counts[(long)arg]++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'late_counts[(long)arg]': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  return NULL;
}

void start_late(void) {
  for (int i = 0; i < 8; i++) {
    pthread_create(&counters[i], NULL, count_late, (void *)(long)i);
    late_counts[i] = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
  }
}

/* A number made from the argument is not the argument: thread i owns
   element i + 1, which the spawner writes for the next thread. */
static int shifted[9];

static void *count_shifted(void *arg) {
  long id = (long)arg + 1;
  shifted[id]++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'shifted[id]': written in a task while the spawning function writes it, with no common lock [concheck-unguarded-write]
  return NULL;
}

void start_shifted(void) {
  for (int i = 0; i < 8; i++) {
    shifted[i] = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: concurrent write here
    pthread_create(&counters[i], NULL, count_shifted, (void *)(long)i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task started here
  }
}

/* A static function that every caller in the file calls with the pool's
   lock held runs under that lock: the limit it writes after starting the
   workers is read by them under the same lock. */
struct pool {
  pthread_mutex_t m;
  int limit;
  int started;
  pthread_t workers[4];
};

static void *pool_worker(void *arg) {
  struct pool *p = arg;
  pthread_mutex_lock(&p->m);
  long limit = p->limit;
  pthread_mutex_unlock(&p->m);
  return (void *)limit;
}

static void grow_locked(struct pool *p, int n) {
  for (int i = p->started; i < n; i++)
    pthread_create(&p->workers[i], NULL, pool_worker, p);
  p->started = n;
  p->limit = n;
}

void pool_grow(struct pool *p, int n) {
  pthread_mutex_lock(&p->m);
  grow_locked(p, n);
  pthread_mutex_unlock(&p->m);
}

void pool_grow_twice(struct pool *p) {
  pthread_mutex_lock(&p->m);
  grow_locked(p, 2);
  grow_locked(p, 4);
  pthread_mutex_unlock(&p->m);
}

/* One caller that does not hold it is enough to race. */
struct pool2 {
  pthread_mutex_t m;
  int limit;
  pthread_t workers[4];
};

static void *pool2_worker(void *arg) {
  struct pool2 *p = arg;
  pthread_mutex_lock(&p->m);
  long limit = p->limit;
  pthread_mutex_unlock(&p->m);
  return (void *)limit;
}

static void grow2(struct pool2 *p, int n) {
  for (int i = 0; i < n; i++)
    pthread_create(&p->workers[i], NULL, pool2_worker, p);
  p->limit = n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: task started here
}

void pool2_grow_locked(struct pool2 *p) {
  pthread_mutex_lock(&p->m);
  grow2(p, 2);
  pthread_mutex_unlock(&p->m);
}

void pool2_grow_unlocked(struct pool2 *p) { grow2(p, 4); }

/* A static function whose address escapes can be called from anywhere:
   nothing is known of its callers' locks. */
struct pool3 {
  pthread_mutex_t m;
  int limit;
  pthread_t worker;
};

static void *pool3_worker(void *arg) {
  struct pool3 *p = arg;
  pthread_mutex_lock(&p->m);
  long limit = p->limit;
  pthread_mutex_unlock(&p->m);
  return (void *)limit;
}

static void grow3(struct pool3 *p) {
  pthread_create(&p->worker, NULL, pool3_worker, p);
  p->limit = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'p->limit': written here while a task reads it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: task started here
}

void pool3_grow_locked(struct pool3 *p) {
  pthread_mutex_lock(&p->m);
  grow3(p);
  pthread_mutex_unlock(&p->m);
}

void (*pool3_hook)(struct pool3 *) = grow3;
