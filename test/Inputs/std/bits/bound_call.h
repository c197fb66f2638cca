// Internal to concheck's mock headers: a decay-copied callable plus arguments,
// run once, as std::thread, std::jthread and std::async store them. Defined in
// the header because a lambda's closure type has no linkage: the templates
// that take one must be defined in every translation unit that uses them.
#pragma once

#include <type_traits>
#include <utility>

namespace std {

template <class... Ts> struct __value_pack;

template <> struct __value_pack<> {
  __value_pack() = default;
  template <class F, class... Done> decltype(auto) __apply(F &f, Done &...done) {
    return std::__invoke(f, std::move(done)...);
  }
};

template <class T, class... Ts> struct __value_pack<T, Ts...> {
  template <class H, class... R>
  explicit __value_pack(H &&h, R &&...r)
      : _M_head(std::forward<H>(h)), _M_tail(std::forward<R>(r)...) {}
  template <class F, class... Done> decltype(auto) __apply(F &f, Done &...done) {
    return _M_tail.__apply(f, done..., _M_head);
  }
  T _M_head;
  __value_pack<Ts...> _M_tail;
};

struct __task_state {
  virtual ~__task_state() = default;
  virtual void _M_run() = 0;
};

template <class F, class... Args> struct __task_state_impl : __task_state {
  template <class F2, class... A2>
  explicit __task_state_impl(F2 &&f, A2 &&...args)
      : _M_func(std::forward<F2>(f)), _M_args(std::forward<A2>(args)...) {}
  void _M_run() override { _M_args.__apply(_M_func); }
  decay_t<F> _M_func;
  __value_pack<decay_t<Args>...> _M_args;
};

template <class F, class... Args>
__task_state *__make_task_state(F &&f, Args &&...args) {
  return new __task_state_impl<F, Args...>(std::forward<F>(f),
                                           std::forward<Args>(args)...);
}

} // namespace std
