// Mock of Qt's ways to run code on other threads.
#pragma once

class QRunnable;
template <class T> class QFuture {
public:
  void waitForFinished();
  T result() const;
};
template <> class QFuture<void> {
public:
  void waitForFinished();
};
class QThreadPool {
public:
  static QThreadPool *globalInstance();
  template <class F> void start(F &&f, int priority = 0) {}
  bool waitForDone(int msecs = -1);
};
class QThread {
public:
  template <class F, class... Args> static QThread *create(F &&f, Args &&...args) { return nullptr; }
  void start();
  bool wait(unsigned long time = ~0UL);
};
namespace QtConcurrent {
template <class F, class... Args>
auto run(F &&f, Args &&...args) -> QFuture<decltype(f(args...))> { return {}; }
template <class F, class... Args>
auto run(QThreadPool *pool, F &&f, Args &&...args)
    -> QFuture<decltype(f(args...))> { return {}; }
} // namespace QtConcurrent
