// Mock of concheck's runtime <concheck/worker_pool.h> for the lit tests of the
// wait-group checks: a fixed pool of workers whose submit() queues a task and
// returns the future of its result, with the runtime's signatures.
#ifndef CONCHECK_MOCK_WORKER_POOL_H_
#define CONCHECK_MOCK_WORKER_POOL_H_

#include <bits/bound_call.h>
#include <cstddef>
#include <future>
#include <type_traits>
#include <utility>

namespace concheck {

class worker_pool {
public:
  worker_pool(std::size_t n_workers, std::size_t queue_capacity);
  worker_pool(const worker_pool &) = delete;
  worker_pool &operator=(const worker_pool &) = delete;
  ~worker_pool();

  template <class F>
  std::future<std::invoke_result_t<std::decay_t<F>>> submit(F &&f) {
    return enqueue<std::invoke_result_t<std::decay_t<F>>>(
        std::__make_task_state(std::forward<F>(f)));
  }

  void close();
  void join();
  void wait_idle();

private:
  template <class R> std::future<R> enqueue(std::__task_state *state);
};

} // namespace concheck

#endif // CONCHECK_MOCK_WORKER_POOL_H_
