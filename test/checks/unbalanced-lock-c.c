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
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: mutex 'lru_lock' may still be locked at the end of the function [concheck-unbalanced-lock]
// CHECK-MESSAGES: :[[@LINE-10]]:3: note: 'lru_lock' locked here
