// Mock of abseil's absl/synchronization/mutex.h for concheck's lit tests:
// absl::Mutex and its RAII guards. As in abseil, the guards call Lock() and
// Unlock() (or the reader forms) on the mutex from their constructor and
// destructor.
#ifndef CONCHECK_MOCK_ABSL_SYNCHRONIZATION_MUTEX_H_
#define CONCHECK_MOCK_ABSL_SYNCHRONIZATION_MUTEX_H_

namespace absl {

class Condition;

// ABSL_LOCKABLE: a capability for Clang's thread-safety analysis.
class __attribute__((capability("mutex"))) Mutex {
public:
  constexpr Mutex() : mu_(0) {}
  ~Mutex();
  Mutex(const Mutex &) = delete;
  Mutex &operator=(const Mutex &) = delete;

  void Lock();
  void Unlock();
  bool TryLock();
  void AssertHeld() const;

  void ReaderLock();
  void ReaderUnlock();
  bool ReaderTryLock();
  void AssertReaderHeld() const;

  void WriterLock() { this->Lock(); }
  void WriterUnlock() { this->Unlock(); }
  bool WriterTryLock() { return this->TryLock(); }

  void Await(const Condition &cond);
  void LockWhen(const Condition &cond);

private:
  long mu_;
};

class Condition {
public:
  explicit Condition(const bool *cond);
  template <class T> Condition(bool (*func)(T *), T *arg);
  bool Eval() const;
};

class MutexLock {
public:
  explicit MutexLock(Mutex *mu) : mu_(mu) { this->mu_->Lock(); }
  explicit MutexLock(Mutex *mu, const Condition &cond) : mu_(mu) {
    this->mu_->LockWhen(cond);
  }
  ~MutexLock() { this->mu_->Unlock(); }

  MutexLock(const MutexLock &) = delete;
  MutexLock(MutexLock &&) = delete;
  MutexLock &operator=(const MutexLock &) = delete;
  MutexLock &operator=(MutexLock &&) = delete;

private:
  Mutex *const mu_;
};

class ReaderMutexLock {
public:
  explicit ReaderMutexLock(Mutex *mu) : mu_(mu) { mu->ReaderLock(); }
  ~ReaderMutexLock() { this->mu_->ReaderUnlock(); }

  ReaderMutexLock(const ReaderMutexLock &) = delete;
  ReaderMutexLock &operator=(const ReaderMutexLock &) = delete;

private:
  Mutex *const mu_;
};

class WriterMutexLock {
public:
  explicit WriterMutexLock(Mutex *mu) : mu_(mu) { mu->WriterLock(); }
  ~WriterMutexLock() { this->mu_->WriterUnlock(); }

  WriterMutexLock(const WriterMutexLock &) = delete;
  WriterMutexLock &operator=(const WriterMutexLock &) = delete;

private:
  Mutex *const mu_;
};

class CondVar {
public:
  CondVar();
  ~CondVar();
  CondVar(const CondVar &) = delete;
  CondVar &operator=(const CondVar &) = delete;

  void Wait(Mutex *mu);
  void Signal();
  void SignalAll();
};

} // namespace absl

#endif // CONCHECK_MOCK_ABSL_SYNCHRONIZATION_MUTEX_H_
