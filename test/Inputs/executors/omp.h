// Mock of the OpenMP runtime's API (omp.h). The directives themselves are
// Clang's: the test runs with -fopenmp.
#pragma once

extern "C" {
typedef struct omp_lock_t { void *impl; } omp_lock_t;
typedef struct omp_nest_lock_t { void *impl; } omp_nest_lock_t;
void omp_init_lock(omp_lock_t *);
void omp_destroy_lock(omp_lock_t *);
void omp_set_lock(omp_lock_t *);
void omp_unset_lock(omp_lock_t *);
int omp_test_lock(omp_lock_t *);
void omp_set_nest_lock(omp_nest_lock_t *);
void omp_unset_nest_lock(omp_nest_lock_t *);
int omp_get_thread_num(void);
int omp_get_num_threads(void);
int omp_get_max_threads(void);
void omp_set_num_threads(int);
double omp_get_wtime(void);
}
