#pragma once
// The bytes of one accepted HTTP connection: plain TCP, or TLS over it when the listener has a
// certificate. Deadlines live on the TCP layer, where Beast keeps them, for both.
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <utility>
#include <variant>

#include "server/core/json.hpp"

namespace kmcp {

class HttpStream {
 public:
  using Tcp = boost::beast::tcp_stream;
  using Tls = boost::beast::ssl_stream<Tcp>;
  using executor_type = Tcp::executor_type;

  explicit HttpStream(asio::ip::tcp::socket socket) : layers_(std::in_place_type<Tcp>, std::move(socket)) {}
  HttpStream(asio::ip::tcp::socket socket, asio::ssl::context& tls)
      : layers_(std::in_place_type<Tls>, Tcp(std::move(socket)), tls) {}

  executor_type get_executor() { return tcp().get_executor(); }
  Tcp& tcp() {
    return std::visit([](auto& layer) -> Tcp& { return boost::beast::get_lowest_layer(layer); }, layers_);
  }
  bool secure() const { return std::holds_alternative<Tls>(layers_); }

  // Applies to the reads and writes started after it, not to those under way.
  void expires_after(std::chrono::steady_clock::duration timeout) { tcp().expires_after(timeout); }
  void expires_never() { tcp().expires_never(); }

  // The TLS handshake within `timeout` (nothing to do for plain TCP).
  asio::awaitable<boost::system::error_code> handshake(std::chrono::steady_clock::duration timeout);
  // Half-closes the sending side; the client sees the end of what was sent.
  void shutdown_send();
  // Cancels whatever is under way and closes the socket (no TLS close_notify: the connection is
  // over either way, and waiting for the client's could hold shutdown up).
  void close();

  // The AsyncStream operations Beast's HTTP reads and writes need; one alternative runs.
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return std::visit([&](auto& layer) { return layer.async_read_some(buffers, std::forward<Token>(token)); }, layers_);
  }
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return std::visit([&](auto& layer) { return layer.async_write_some(buffers, std::forward<Token>(token)); },
                      layers_);
  }

 private:
  std::variant<Tcp, Tls> layers_;
};

}  // namespace kmcp
