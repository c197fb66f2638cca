// Mock of abseil's absl/synchronization/blocking_counter.h for concheck's lit
// tests: a counter set once, decremented by each task, waited on once.
#ifndef CONCHECK_MOCK_ABSL_SYNCHRONIZATION_BLOCKING_COUNTER_H_
#define CONCHECK_MOCK_ABSL_SYNCHRONIZATION_BLOCKING_COUNTER_H_

namespace absl {

class BlockingCounter {
public:
  explicit BlockingCounter(int initial_count);
  BlockingCounter(const BlockingCounter &) = delete;
  BlockingCounter &operator=(const BlockingCounter &) = delete;

  // Decrements the count; true when it reached zero.
  bool DecrementCount();
  // Blocks until the count is zero. Called at most once.
  void Wait();

private:
  int count_;
};

} // namespace absl

#endif // CONCHECK_MOCK_ABSL_SYNCHRONIZATION_BLOCKING_COUNTER_H_
