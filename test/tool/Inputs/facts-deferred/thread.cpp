#include "thread.h"

namespace app {
namespace {
struct Data {
  Thread::Func func;
};
void *run(void *arg) {
  auto *data = static_cast<Data *>(arg);
  data->func();
  delete data;
  return nullptr;
}
} // namespace

Thread::Thread(Func func, int priority)
    : func_(std::move(func)), priority_(priority) {}

void Thread::start() { pthread_create(&tid_, nullptr, &run, new Data{func_}); }

int Thread::join() { return pthread_join(tid_, nullptr); }
} // namespace app
