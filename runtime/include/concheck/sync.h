// Copyright concheck authors. SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: sync.h
// -----------------------------------------------------------------------------
//
// The umbrella header: every concheck primitive in one include.
//
//   concheck::wait_group, done_guard        <concheck/wait_group.h>
//   concheck::mutex, shared_mutex, guards   <concheck/mutex.h>
//   concheck::guarded<T>, lock_all          <concheck/guarded.h>
//   concheck::semaphore, semaphore_guard    <concheck/semaphore.h>
//   concheck::channel<T>                    <concheck/channel.h>
//   concheck::worker_pool                   <concheck/worker_pool.h>
//   concheck::context, with_cancel, ...     <concheck/context.h>
//   concheck::object_pool<T>                <concheck/object_pool.h>
//   misuse reporting                        <concheck/misuse.h>
//   thread-safety annotation macros         <concheck/thread_annotations.h>
//
// docs/runtime.md maps Go's sync, channels and context to these names.

#ifndef CONCHECK_SYNC_H_
#define CONCHECK_SYNC_H_

#include <concheck/channel.h>
#include <concheck/context.h>
#include <concheck/guarded.h>
#include <concheck/misuse.h>
#include <concheck/mutex.h>
#include <concheck/object_pool.h>
#include <concheck/semaphore.h>
#include <concheck/thread_annotations.h>
#include <concheck/wait_group.h>
#include <concheck/worker_pool.h>

#endif // CONCHECK_SYNC_H_
