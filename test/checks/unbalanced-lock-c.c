// RUN: %check_concheck %s concheck-unbalanced-lock,concheck-unscoped-lock,concheck-unnamed-guard %t -- -- -std=gnu17 -isystem %S/../Inputs/std

/* concheck-unbalanced-lock in C: a path that leaves a pthread or C11 mutex
   locked. C has no scoped guards, so concheck-unscoped-lock's advice (run
   beside it here) says nothing in C. */

#include <pthread.h>
#include <stddef.h>
#include <threads.h>

static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
static mtx_t cm;
static int value;

int error_return_leaves_locked(int c) {
  pthread_mutex_lock(&pm);
  if (c)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'pm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'pm' locked here
  value++;
  pthread_mutex_unlock(&pm);
  return 0;
}

int c11_error_return_leaves_locked(int c) {
  if (mtx_lock(&cm) != thrd_success)
    return -1;
  if (c)
    return -2;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'cm' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: 'cm' locked here
  value++;
  mtx_unlock(&cm);
  return 0;
}

void goto_cleanup_unlocks(int c) {
  pthread_mutex_lock(&pm);
  if (c)
    goto out;
  value++;
out:
  pthread_mutex_unlock(&pm);
}

int trylock_with_back_off(void) {
  if (pthread_mutex_trylock(&pm) != 0)
    return -1; /* not taken: nothing to release */
  value++;
  pthread_mutex_unlock(&pm);
  return 0;
}

void balanced(void) {
  mtx_lock(&cm);
  value--;
  mtx_unlock(&cm);
}

/* A helper that unlocks the element its index parameter names: the caller's
   bucket_locks[i] at finish_bucket(i) (memcached's lru_crawler_class_done). */
static pthread_mutex_t bucket_locks[8];

static void finish_bucket(int b) {
  value++;
  pthread_mutex_unlock(&bucket_locks[b]);
}

void helper_unlocks_the_element(int n) {
  for (int i = 0; i < n; ++i) {
    pthread_mutex_lock(&bucket_locks[i]);
    if (value > 10) {
      finish_bucket(i);
      continue;
    }
    pthread_mutex_unlock(&bucket_locks[i]);
  }
}

void helper_unlocks_another_element(int n) {
  for (int i = 1; i < n; ++i) {
    pthread_mutex_lock(&bucket_locks[i]);
    if (value > 10) {
      finish_bucket(0);
      continue;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'continue' leaves mutex 'bucket_locks[i]' locked [concheck-unbalanced-lock]
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'bucket_locks[i]' locked here
    }
    pthread_mutex_unlock(&bucket_locks[i]);
  }
}

/* Two tests of one field decide the same way: the lock is released under
   one or the other (memcached's crawler, `mod->needs_lock`), whatever runs
   in between. */
struct crawler_mod {
  int needs_lock;
  void (*eval)(int);
};
static struct crawler_mod *active_mod;
static pthread_mutex_t lru_lock;

void crawl_one(int item) {
  pthread_mutex_lock(&lru_lock);
  if (!active_mod->needs_lock) {
    pthread_mutex_unlock(&lru_lock);
  }
  active_mod->eval(item);
  if (active_mod->needs_lock) {
    pthread_mutex_unlock(&lru_lock);
  }
}

/* The field written between the tests: nothing is known of the second. */
void crawl_and_switch(int item) {
  pthread_mutex_lock(&lru_lock);
  if (!active_mod->needs_lock) {
    pthread_mutex_unlock(&lru_lock);
  }
  active_mod->needs_lock = item;
  if (active_mod->needs_lock) {
    pthread_mutex_unlock(&lru_lock);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: mutex 'lru_lock' unlocked again on a path that already unlocked it: unlocking a mutex that is not held is undefined behaviour [concheck-unbalanced-lock]
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: 'lru_lock' unlocked here first
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: mutex 'lru_lock' may still be locked at the end of the function [concheck-unbalanced-lock]
// CHECK-MESSAGES: :[[@LINE-12]]:3: note: 'lru_lock' locked here

/* Across calls. A queue's lock helper and its unlock helper: each alone is
   silent; a caller's path that returns between them leaves the lock held. */
struct queue {
  pthread_mutex_t mu;
  int items[16];
  int n;
};

static void lock_queue(struct queue *q) { pthread_mutex_lock(&q->mu); }
static void unlock_queue(struct queue *q) { pthread_mutex_unlock(&q->mu); }

int queue_pop(struct queue *q, int *out) {
  lock_queue(q);
  if (q->n == 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'q->mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'q->mu' locked here, by the call to 'lock_queue'
  *out = q->items[--q->n];
  unlock_queue(q);
  return 0;
}

int queue_push(struct queue *q, int v) {
  lock_queue(q);
  if (q->n == 16) {
    unlock_queue(q);
    return -1;
  }
  q->items[q->n++] = v;
  unlock_queue(q);
  return 0;
}

/* The cleanup label unlocks what the error branch already unlocked. */
int unlock_before_goto_fail(int c) {
  pthread_mutex_lock(&pm);
  if (c) {
    pthread_mutex_unlock(&pm);
    goto fail;
  }
  value++;
  pthread_mutex_unlock(&pm);
  return 0;
fail:
  pthread_mutex_unlock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'pm' unlocked again on a path that already unlocked it: unlocking a mutex that is not held is undefined behaviour [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-9]]:5: note: 'pm' unlocked here first
  return -1;
}

/* A thread that ends holding the mutex: no other thread may unlock it. */
static void *leaky_worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&pm);
  value++;
  return NULL;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'return' ends the task with mutex 'pm' still locked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'pm' locked here
  // CHECK-MESSAGES: :[[@LINE+40]]:3: note: task started here
}

/* pthread_exit ends the thread where it is called, here or in a function
   that always calls it. */
static void quit_thread(void) { pthread_exit(NULL); }

static void *exiting_worker(void *arg) {
  pthread_mutex_lock(&pm);
  if (arg == NULL)
    pthread_exit(NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pthread_exit' ends the thread with mutex 'pm' still locked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'pm' locked here
  if (value > 100)
    quit_thread();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'quit_thread' ends the thread with mutex 'pm' still locked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-8]]:3: note: 'pm' locked here
  // CHECK-MESSAGES: :[[@LINE-12]]:33: note: the thread exits here
  value++;
  pthread_mutex_unlock(&pm);
  return NULL;
}

/* Silent: a worker that takes and gives back the lock on each turn, and a
   lock taken by a function this unit cannot see. */
void external_lock(pthread_mutex_t *);
static void *balanced_worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 10; i++) {
    pthread_mutex_lock(&pm);
    value++;
    pthread_mutex_unlock(&pm);
    external_lock(&pm);
    pthread_mutex_unlock(&pm);
  }
  return NULL;
}

void start_workers(void) {
  pthread_t a, b, c;
  pthread_create(&a, NULL, leaky_worker, NULL);
  pthread_create(&b, NULL, exiting_worker, &value);
  pthread_create(&c, NULL, balanced_worker, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
}

/* A function that returns holding the lock on its success result only, for
   the caller to finish and unlock, as pthread_mutex_trylock does: 0 with
   the lock and a negative error without it, true and false, the object and
   NULL. The result tells the caller; nothing is reported. */
struct page {
  pthread_mutex_t mu;
  int free;
};

int reserve_page(struct page *p, int len) {
  int ret = -1;
  if (len <= 0)
    return ret;
  pthread_mutex_lock(&p->mu);
  if (p->free < len) {
    pthread_mutex_unlock(&p->mu);
    return ret;
  }
  p->free -= len;
  return 0; /* leaves p->mu locked for the caller */
}

_Bool lock_if_room(struct page *p) {
  pthread_mutex_lock(&p->mu);
  if (p->free == 0) {
    pthread_mutex_unlock(&p->mu);
    return 0;
  }
  return 1;
}

struct page *locked_page(struct page *p) {
  pthread_mutex_lock(&p->mu);
  if (p->free == 0) {
    pthread_mutex_unlock(&p->mu);
    return NULL;
  }
  return p;
}

/* The success result is the one without the lock: the error path leaks. */
struct page *leaks_on_error(struct page *p) {
  pthread_mutex_lock(&p->mu);
  if (p->free == 0)
    return NULL;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'p->mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'p->mu' locked here
  pthread_mutex_unlock(&p->mu);
  return p;
}

/* Both results come from both paths: the result tells nothing. */
int same_result(struct page *p, int len) {
  pthread_mutex_lock(&p->mu);
  if (len == 0)
    return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' leaves mutex 'p->mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'p->mu' locked here
  p->free -= len;
  pthread_mutex_unlock(&p->mu);
  return 0;
}

/* The error variable changes on the way: not a constant. */
int changing_error(struct page *p, int len) {
  int ret = -1;
  pthread_mutex_lock(&p->mu);
  if (p->free < len) {
    ret = -len;
    pthread_mutex_unlock(&p->mu);
    return ret;
  }
  if (len > 100) {
    ret = 0;
    pthread_mutex_unlock(&p->mu);
    return ret;
  }
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'return' leaves mutex 'p->mu' locked [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-13]]:3: note: 'p->mu' locked here
}

/* A thread's entry function has no caller to hand the lock to, whatever
   it returns. */
static void *locking_worker(void *arg) {
  struct page *p = arg;
  pthread_mutex_lock(&p->mu);
  if (p->free == 0) {
    pthread_mutex_unlock(&p->mu);
    return NULL;
  }
  return p;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'return' ends the task with mutex 'p->mu' still locked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-7]]:3: note: 'p->mu' locked here
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: task started here
}

void start_locking_worker(struct page *p) {
  pthread_t t;
  pthread_create(&t, NULL, locking_worker, p);
  pthread_join(t, NULL);
}

/* A recursive mutex stays locked until it is unlocked as often as it was
   locked: a thread that takes it twice and gives it back once ends holding
   it. */
static pthread_mutex_t rpm;
static void init_rpm(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&rpm, &attr);
}

static void *recursive_leak(void *arg) {
  (void)arg;
  pthread_mutex_lock(&rpm);
  pthread_mutex_lock(&rpm);
  value++;
  pthread_mutex_unlock(&rpm);
  return NULL;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'return' ends the task with recursive mutex 'rpm' locked more often than unlocked: no other thread can unlock it [concheck-unbalanced-lock]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: 'rpm' locked here
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: 'rpm' locked here
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'rpm' unlocked here
  // CHECK-MESSAGES: :[[@LINE+16]]:3: note: task started here
}

static void *recursive_balanced(void *arg) {
  (void)arg;
  pthread_mutex_lock(&rpm);
  pthread_mutex_lock(&rpm);
  value++;
  pthread_mutex_unlock(&rpm);
  pthread_mutex_unlock(&rpm);
  return NULL;
}

void start_recursive_workers(void) {
  pthread_t a, b;
  init_rpm();
  pthread_create(&a, NULL, recursive_leak, NULL);
  pthread_create(&b, NULL, recursive_balanced, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}
