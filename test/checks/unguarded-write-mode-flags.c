// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=gnu17 -isystem %S/../Inputs/std

/* A global mode flag: the workers run only while the main thread has set
   it to a working mode, and functions shared by both sides return early
   unless the flag says the main thread runs them. A write behind such a
   test is reached from the worker only if the worker's own tests of the
   flag allow it. */

#include <pthread.h>
#include <stddef.h>

enum { OP_IDLE, OP_READ, OP_WRITE };
int io_op; /* written by the main thread while the workers are parked */
static int threads_active;

long stat_errors, stat_freed, clients_current, stat_written, stat_mixed;
long stat_after_reset, stat_idle_only, stat_active_only, stat_inactive;

static void free_client(void) { stat_freed++; }
// CHECK-MESSAGES: :[[@LINE-1]]:33: warning: data race on 'stat_freed': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]

/* Only in the main thread's mode: an early return in any working mode. */
static void before_next_client(void) {
  if (io_op != OP_IDLE)
    return;
  free_client();
}

static void process_input(void) {
  for (int i = 0; i < 3; ++i) {
    if (io_op != OP_IDLE)
      break;
    clients_current = i;
  }
}

/* Returns early only in the write mode: the read mode gets through. */
static void skip_when_writing(void) {
  if (io_op == OP_WRITE)
    return;
  stat_mixed++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stat_mixed': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
}

static void set_idle(void) { io_op = OP_IDLE; }
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: data race on 'io_op': written in a task while another run of the same task accesses it, with no common lock [concheck-unguarded-write]

static void reset_then_free(void) {
  set_idle();
  if (io_op != OP_IDLE)
    return;
  stat_after_reset++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stat_after_reset': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
}

static void read_query(void) {
  stat_errors++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stat_errors': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  process_input();
  skip_when_writing();
  before_next_client();
}

static void write_client(void) {
  stat_written++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stat_written': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  before_next_client();
}

static void *io_main(void *arg) {
  (void)arg;
  for (;;) {
    if (io_op == OP_WRITE)
      write_client();
    else if (io_op == OP_READ)
      read_query();
    else
      break;
  }
  return NULL;
}

void start_io_threads(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, io_main, NULL);
}

/* The flag is set to idle by the worker itself (through a call) before the
   test: the test no longer tells what mode the worker was started in. */
static void *resetting_worker(void *arg) {
  (void)arg;
  if (io_op == OP_READ)
    reset_then_free();
  return NULL;
}

void start_resetting(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, resetting_worker, NULL);
}

/* A worker that tests for the idle mode reaches what the idle mode does. */
static void *idle_worker(void *arg) {
  (void)arg;
  if (io_op == OP_IDLE)
    before_next_client();
  return NULL;
}

void start_idle(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, idle_worker, NULL);
}

/* A boolean flag: the worker runs only while threads are active, and the
   shared function does its main-thread work only when they are not. */
static void when_inactive(void) {
  if (threads_active)
    return;
  stat_inactive++;
}

static void when_active(void) {
  if (!threads_active)
    return;
  stat_active_only++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stat_active_only': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
}

static void *flag_worker(void *arg) {
  (void)arg;
  while (threads_active) {
    when_inactive();
    when_active();
  }
  return NULL;
}

void start_flag_workers(void) {
  pthread_t t[2];
  threads_active = 1;
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, flag_worker, NULL);
}

/* A parameter tested the same way: the workers pass a constant, and what
   the other value does is not reached from them. */
long stat_freed_now, stat_freed_later, stat_dropped_now;
int pending_count(void);

static void free_now(void) { stat_freed_now++; }

static void close_client(int async) {
  if (async)
    stat_freed_later++;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'stat_freed_later': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
  else
    free_now();
}

static void forward_close(int async) { close_client(async); }

static void drop_client(int async) {
  if (async == 0)
    stat_dropped_now++;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'stat_dropped_now': written in a task while another run of the same task writes it, with no common lock [concheck-unguarded-write]
}

static void *closing_worker(void *arg) {
  (void)arg;
  close_client(1);
  forward_close(1);
  drop_client(pending_count()); /* not a constant: either side */
  return NULL;
}

void start_closing(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, closing_worker, NULL);
}

/* The main thread calls with the other value: it is its own business. */
void close_now(void) { close_client(0); }
