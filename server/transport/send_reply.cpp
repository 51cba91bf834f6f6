#include <boost/beast/http/write.hpp>

#include "server/transport/mcp_endpoint.hpp"

namespace kmcp {

asio::awaitable<bool> send_reply(HttpExchange& exchange, HttpResponse response) {
  // While draining, every reply is the connection's last, so idle clients go elsewhere.
  if (exchange.context->draining) response.keep_alive(false);
  const bool keep_alive = response.keep_alive();
  if (exchange.place) exchange.place->leave();
  exchange.stream.expires_after(exchange.context->options.write_timeout);
  auto [ec, n] = co_await http::async_write(exchange.stream, response, asio::as_tuple(asio::use_awaitable));
  (void)n;
  exchange.stream.expires_never();
  co_return !ec && keep_alive;
}

}  // namespace kmcp
