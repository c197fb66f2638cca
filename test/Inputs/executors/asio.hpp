// Mock of the parts of Boost.Asio's API that concheck models: post, dispatch
// and defer hand a handler to an executor; thread_pool::join()/wait() and
// the pool's destructor wait for the handlers; io_context::run() runs them.
#pragma once

namespace boost::asio {
class thread_pool {
public:
  struct executor_type {};
  explicit thread_pool(unsigned threads);
  ~thread_pool();
  executor_type get_executor();
  void join();
  void wait();
  void stop();
};
class io_context {
public:
  struct executor_type {};
  executor_type get_executor();
  unsigned run();
  void stop();
};
template <class Executor, class Handler> void post(Executor &&ex, Handler &&h) {}
template <class Executor, class Handler>
void dispatch(Executor &&ex, Handler &&h) {}
template <class Executor, class Handler> void defer(Executor &&ex, Handler &&h) {}
} // namespace boost::asio
