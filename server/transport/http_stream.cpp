#include "server/transport/http_stream.hpp"

namespace kmcp {

asio::awaitable<boost::system::error_code> HttpStream::handshake(std::chrono::steady_clock::duration timeout) {
  auto* tls = std::get_if<Tls>(&layers_);
  if (!tls) co_return boost::system::error_code{};
  tcp().expires_after(timeout);
  auto [ec] = co_await tls->async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  tcp().expires_never();
  co_return ec;
}

void HttpStream::shutdown_send() {
  boost::system::error_code ignored;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

void HttpStream::close() {
  boost::system::error_code ignored;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  tcp().close();
}

}  // namespace kmcp
