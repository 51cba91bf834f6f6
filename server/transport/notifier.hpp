#pragma once
// A wake-up flag one coroutine waits on and any thread may raise. Raising it while nobody waits
// is remembered (once), so a waiter that checked its condition just before the raise does not
// sleep through it. Built on a concurrent channel of capacity one: thread-safe and cancellable.
#include <boost/asio/experimental/concurrent_channel.hpp>

#include "server/core/json.hpp"

namespace kmcp {

class Notifier {
 public:
  explicit Notifier(asio::any_io_executor executor) : channel_(std::move(executor), 1) {}

  // Any thread; never blocks. A raise while one is already pending is absorbed.
  void notify() { (void)channel_.try_send(boost::system::error_code{}); }

  // One waiter at a time. Returns after a notify() (possibly one made before the call), or
  // early when the awaiting coroutine is cancelled.
  asio::awaitable<void> wait() {
    auto [ec] = co_await channel_.async_receive(asio::as_tuple(asio::use_awaitable));
    (void)ec;
  }

 private:
  asio::experimental::concurrent_channel<void(boost::system::error_code)> channel_;
};

}  // namespace kmcp
