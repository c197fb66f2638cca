// Mock of concheck's runtime <concheck/channel.h> for the lit tests of the
// race check: a Go-style channel of T (send, receive, close), declared with
// the runtime's signatures. receive() returns the value, or nothing once the
// channel is closed and drained.
#ifndef CONCHECK_MOCK_CHANNEL_H_
#define CONCHECK_MOCK_CHANNEL_H_

#include <cstddef>
#include <optional>

namespace concheck {

template <class T> class channel {
public:
  explicit channel(std::size_t capacity = 0);
  channel(const channel &) = delete;
  channel &operator=(const channel &) = delete;
  ~channel();

  void send(T value);
  bool try_send(T &&value);
  std::optional<T> receive();
  std::optional<T> try_receive();
  void close();
  bool closed() const;

private:
  void *_M_state = nullptr;
};

} // namespace concheck

#endif // CONCHECK_MOCK_CHANNEL_H_
