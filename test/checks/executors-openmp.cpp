// RUN: %check_concheck %s concheck-unguarded-write %t -- -- -std=c++20 -fopenmp -isystem %S/../Inputs/executors

// OpenMP: a parallel region runs its body on every thread of a team at once
// and joins them at its end. Inside it, each thread's accesses to shared
// variables race unless a critical section, an atomic, a lock, a barrier or
// the work-sharing of a loop keeps them apart. Variables declared in the
// region, private/firstprivate/lastprivate/reduction variables and the
// iteration variable of a work-shared loop are each thread's own.

#include <omp.h>

void use(int);
int shared_total;

//===----------------------------------------------------------------------===//
// The team races with itself.
//===----------------------------------------------------------------------===//

int count_in_region() {
  int count = 0;
#pragma omp parallel
  {
    ++count;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'count': written here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-4]]:1: note: parallel region starts here
  }
  return count;
}

int sum_in_parallel_for(const int *a, int n) {
  int sum = 0;
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    sum += a[i];
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'sum': written here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:1: note: parallel region starts here
  return sum;
}

// Every thread runs the whole of a plain loop in a region: the same
// elements.
void every_thread_runs_the_loop(int *a, int n) {
#pragma omp parallel
  for (int i = 0; i < n; ++i)
    a[i] = i;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'a[i]': written here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-4]]:1: note: parallel region starts here
}

// The neighbour's element, written by another iteration.
void stencil_in_place(int *a, int n) {
#pragma omp parallel for
  for (int i = 1; i < n; ++i) {
    int left = i - 1;
    a[i] = a[left] + 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'a[i]': written here while another thread of the parallel region accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:12: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-6]]:1: note: parallel region starts here
  }
}

// An atomic write does not make a plain read of the same variable safe.
void atomic_and_plain_read(int &hits) {
#pragma omp parallel
  {
#pragma omp atomic
    hits++;
    use(hits);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: data race on 'hits': written here while another thread of the parallel region accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-7]]:1: note: parallel region starts here
  }
}

// A master block has no barrier: the others read while it writes.
void master_without_barrier(int &config) {
#pragma omp parallel
  {
#pragma omp master
    config = 1;
    use(config);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: data race on 'config': written here while another thread of the parallel region accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-7]]:1: note: parallel region starts here
  }
}

// nowait removes the barrier at the end of single.
void single_nowait(int &config) {
#pragma omp parallel
  {
#pragma omp single nowait
    config = 2;
    use(config);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: data race on 'config': written here while another thread of the parallel region accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-7]]:1: note: parallel region starts here
  }
}

// Two sections run at once, on different threads.
void two_sections(int &out) {
#pragma omp parallel sections
  {
#pragma omp section
    out = 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'out': written here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:5: note: concurrent write here
#pragma omp section
    out = 2;
    // CHECK-MESSAGES: :[[@LINE-8]]:1: note: parallel region starts here
  }
}

// Two tasks, and the reader does not wait for them.
int tasks_without_taskwait() {
  int x = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp task
    x = 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'x': written here while another thread of the parallel region accesses it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE+2]]:9: note: concurrent read here
    // CHECK-MESSAGES: :[[@LINE-7]]:1: note: parallel region starts here
    use(x);
  }
  return x;
}

// A lock taken on one side only.
void lock_on_one_side(omp_lock_t *l, int &n) {
#pragma omp parallel
  {
    omp_set_lock(l);
    ++n;
    omp_unset_lock(l);
    use(n);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: data race on 'n': read here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: concurrent write here
    // CHECK-MESSAGES: :[[@LINE-8]]:1: note: parallel region starts here
  }
}

// A global, through a function the region calls.
static void bump() { ++shared_total; }
void calls_in_region() {
#pragma omp parallel
  bump();
  // CHECK-MESSAGES: :[[@LINE-4]]:24: warning: data race on 'shared_total': written here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: called from the parallel region here
  // CHECK-MESSAGES: :[[@LINE-4]]:1: note: parallel region starts here
}

//===----------------------------------------------------------------------===//
// Negatives: what keeps the threads apart.
//===----------------------------------------------------------------------===//

void each_iteration_its_element(const int *a, int *b, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    b[i] = a[i] * 2;
}

void collapsed_rows(double *c, const double *a, int n) {
#pragma omp parallel for collapse(2)
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      c[i * n + j] = a[i * n + j] + c[i * n + j];
}

void row_per_iteration(double *c, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      c[i * n + j] = 0;
}

int reduction_sum(const int *a, int n) {
  int sum = 0;
#pragma omp parallel for reduction(+ : sum)
  for (int i = 0; i < n; ++i)
    sum += a[i];
  return sum;
}

int critical_count() {
  int count = 0;
#pragma omp parallel
  {
#pragma omp critical
    ++count;
#pragma omp critical(other)
    use(0);
  }
  return count;
}

int named_critical_both_sides(int &total) {
#pragma omp parallel
  {
#pragma omp critical(total)
    total += 1;
#pragma omp critical(total)
    use(total);
  }
  return total;
}

int atomic_count() {
  int count = 0;
#pragma omp parallel
  {
#pragma omp atomic
    count += 2;
    int seen;
#pragma omp atomic read
    seen = count;
    use(seen);
  }
  return count;
}

int locked_count(omp_lock_t *l) {
  int count = 0;
#pragma omp parallel
  {
    omp_set_lock(l);
    ++count;
    use(count);
    omp_unset_lock(l);
  }
  return count;
}

void private_clauses(int n) {
  int t = 0, f = 1, last = 0;
#pragma omp parallel private(t) firstprivate(f)
  {
    t = omp_get_thread_num();
    f += t;
    use(f);
  }
#pragma omp parallel for lastprivate(last)
  for (int i = 0; i < n; ++i)
    last = i;
  use(last);
}

void locals_of_the_region(int n) {
#pragma omp parallel
  {
    int mine = 0;
    for (int i = 0; i < n; ++i)
      mine += i;
    use(mine);
  }
}

void one_slot_per_thread(int *slots) {
#pragma omp parallel
  {
    int tid = omp_get_thread_num();
    slots[tid] = tid;
  }
}

// single ends with a barrier: everyone reads after the one write.
void single_then_read(int &config) {
#pragma omp parallel
  {
#pragma omp single
    config = 3;
    use(config);
  }
}

void master_then_barrier(int &config) {
#pragma omp parallel
  {
#pragma omp master
    config = 4;
#pragma omp barrier
    use(config);
  }
}

// Phases: each writes its own element, then reads the others' after the
// barrier; the next iteration writes again after a second barrier.
void phases(double *cur, double *next, int n, int steps) {
#pragma omp parallel
  for (int s = 0; s < steps; ++s) {
#pragma omp for
    for (int i = 1; i < n - 1; ++i)
      next[i] = (cur[i - 1] + cur[i + 1]) / 2;
#pragma omp for
    for (int i = 1; i < n - 1; ++i)
      cur[i] = next[i];
  }
}

int tasks_then_taskwait() {
  int x = 0, y = 0, r = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp task shared(x)
    x = 1;
#pragma omp task shared(y)
    y = 2;
#pragma omp taskwait
    r = x + y;
  }
  return r;
}

// Code after the region runs after every thread has finished it.
int after_the_region(int *a, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    a[i] = i;
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += a[i];
  return s;
}

// A loop over a row of its own in each thread: the sequential inner loop
// writes elements its iteration owns.
void matrix_vector(const double *m, const double *v, double *out, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i) {
    double acc = 0;
    for (int j = 0; j < n; ++j)
      acc += m[i * n + j] * v[j];
    out[i] = acc;
  }
}

// The iteration's element, written in a function the loop calls.
static void fill(int *out, int k) { out[k] = k * k; }
void through_a_call(int *b, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    fill(b, i);
}

// Ordered by their dependences, and by the end of a taskgroup.
int tasks_with_dependences() {
  int x = 0, r = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp task depend(out : x)
    x = 1;
#pragma omp task depend(in : x)
    use(x);
#pragma omp taskgroup
    {
#pragma omp task
      r = 2;
    }
    use(r);
  }
  return x + r;
}

// Tasks without a region of their own (a recursive task tree): the caller's
// region is what runs them; their variables are the call's own.
int fib(int n) {
  int x, y;
  if (n < 2)
    return n;
#pragma omp task shared(x)
  x = fib(n - 1);
#pragma omp task shared(y)
  y = fib(n - 2);
#pragma omp taskwait
  return x + y;
}
int fib_root(int n) {
  int r = 0;
#pragma omp parallel
#pragma omp single
  r = fib(n);
  return r;
}

struct Histogram {
  int bins[64] = {};
  int per_thread[8] = {};
  void count(const int *values, int n) {
#pragma omp parallel
    {
      int tid = omp_get_thread_num();
#pragma omp for
      for (int i = 0; i < n; ++i) {
#pragma omp atomic
        bins[values[i] & 63]++;
      }
      per_thread[tid] = n;
    }
  }
};

// A chain of tasks, each depending on the one before (taskflow's
// linear_chain benchmark).
void chain_of_tasks(int *d, int length) {
  int counter = 0;
#pragma omp parallel
#pragma omp single
  for (int i = 0; i < length; ++i) {
#pragma omp task firstprivate(i) depend(out : d[i]) depend(in : d[i - 1])
    ++counter;
  }
  use(counter);
}

// The same tasks without dependences run at once.
void tasks_in_a_loop(int length) {
  int counter = 0;
#pragma omp parallel
#pragma omp single
  for (int i = 0; i < length; ++i) {
#pragma omp task
    ++counter;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: data race on 'counter': written here while another thread of the parallel region writes it, with no common lock [concheck-unguarded-write]
    // CHECK-MESSAGES: :[[@LINE-6]]:1: note: parallel region starts here
  }
  use(counter);
}

// An array reduction: each thread adds into its own copy of the section.
void histogram(const int *values, int n, int *bins) {
#pragma omp parallel for reduction(+ : bins[:64])
  for (int i = 0; i < n; ++i) {
    int b = values[i] & 63;
    bins[b] += 1;
  }
}
