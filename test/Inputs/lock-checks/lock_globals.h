// The declarations the lock-check tests share: a mutex of every kind the
// lock model knows, condition variables, and the functions the code calls.
#pragma once

#include <absl/synchronization/mutex.h>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <stdexcept>
#include <thread>

void work();
void io();
int compute();
bool should_stop();
[[noreturn]] void fatal(const char *msg);

std::mutex m;
std::mutex m1, m2;
std::timed_mutex timed_mu;
std::recursive_mutex rec_mu;
std::recursive_timed_mutex rec_timed_mu;
std::shared_mutex rw_mu;
std::shared_timed_mutex rw_timed_mu;
std::condition_variable cv;
std::condition_variable_any cva;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pcond = PTHREAD_COND_INITIALIZER;
absl::Mutex amu;
absl::CondVar acv;
bool ready;
int counter;
