#include "server/transport/client_watch.hpp"

namespace kmcp {

asio::awaitable<void> wait_for_disconnect(HttpStream& stream, boost::beast::flat_buffer& buffer) {
  constexpr std::size_t kChunk = 1024;
  // No deadline: started when the stream has none, and a reply's deadline, set while this read
  // is under way, applies to the reply's writes only (Beast keeps one timer per direction).
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kChunk), asio::as_tuple(asio::use_awaitable));
  buffer.commit(n);
  if (ec) co_return;
  // The client is alive and already sent its next request: wait until the race is decided.
  asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
  auto [ignored] = co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ignored;  // only cancellation ends this wait, after the race was decided elsewhere
}

asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration delay) {
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;
}

}  // namespace kmcp
