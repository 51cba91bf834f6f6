#include "server/transport/http_connection.hpp"

#include <boost/beast/http.hpp>

#include "server/transport/health_endpoints.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"

namespace kmcp {
namespace beast = boost::beast;

namespace {

// After refusing a request whose body was not read, drain what the client still sends for a
// moment before closing: closing on unread data resets the connection, and the client could
// lose the refusal.
constexpr std::chrono::seconds kLingerTime{1};
constexpr std::size_t kLingerBytes = 1024 * 1024;

asio::awaitable<void> refuse_and_close(beast::tcp_stream& stream, beast::flat_buffer& buffer, http::status status,
                                       std::string_view message, std::chrono::seconds write_timeout) {
  HttpResponse reply = unreadable_request_reply(status, message);
  stream.expires_after(write_timeout);
  auto [ec, n] = co_await http::async_write(stream, reply, asio::as_tuple(asio::use_awaitable));
  (void)n;
  if (ec) co_return;
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  for (std::size_t drained = 0; drained < kLingerBytes;) {
    buffer.clear();
    auto [read_ec, got] = co_await stream.async_read_some(buffer.prepare(16 * 1024), asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    drained += got;
  }
}

}  // namespace

std::optional<HttpResponse> screen_request(const HttpOptions& options, const HttpRequest& request) {
  if (!host_allowed(request[http::field::host], options.allowed_hosts))
    return error_reply(request, http::status::forbidden, kTransportError, "Forbidden: Host not allowed");
  if (const std::string_view origin = request[http::field::origin];
      request.find(http::field::origin) != request.end() && !origin_allowed(origin, options.allowed_origins))
    return error_reply(request, http::status::forbidden, kTransportError, "Forbidden: Origin not allowed");
  std::string_view target = request.target();
  target = target.substr(0, target.find('?'));
  if (target != options.path)
    return error_reply(request, http::status::not_found, kTransportError, "Not Found: the MCP endpoint is " + options.path);
  const auto method = request.method();
  if (method != http::verb::post && method != http::verb::get && method != http::verb::delete_) {
    HttpResponse reply = error_reply(request, http::status::method_not_allowed, kTransportError,
                                     "Method Not Allowed: use GET, POST or DELETE");
    reply.set(http::field::allow, kAllowedMethods);
    return reply;
  }
  return std::nullopt;
}

asio::awaitable<void> serve_connection(std::shared_ptr<HttpContext> context, asio::ip::tcp::socket socket) {
  const HttpOptions& options = context->options;
  auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
  const auto registration = context->connections.add(stream);
  if (!registration) co_return;  // shutting down
  beast::flat_buffer buffer;

  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
    parser.body_limit(options.max_body_bytes);
    // Also bounds how long an idle keep-alive connection is kept.
    stream->expires_after(options.read_timeout);
    auto [ec, n] = co_await http::async_read_header(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (!ec && !parser.is_done()) {
      // curl and others wait (a second, or for good) for the go-ahead before sending a body.
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_ahead(http::status::continue_, 11);
        std::tie(ec, n) = co_await http::async_write(*stream, go_ahead, asio::as_tuple(asio::use_awaitable));
      }
      if (!ec) std::tie(ec, n) = co_await http::async_read(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    }
    stream->expires_never();
    if (ec == http::error::body_limit) {
      co_await refuse_and_close(*stream, buffer, http::status::payload_too_large,
                                "Payload Too Large: the body exceeds " + std::to_string(options.max_body_bytes) + " bytes",
                                options.read_timeout);
      break;
    }
    if (ec == http::error::header_limit) {
      co_await refuse_and_close(*stream, buffer, http::status::request_header_fields_too_large,
                                "Request Header Fields Too Large", options.read_timeout);
      break;
    }
    if (ec) {
      // A malformed request gets a 400; a closed, reset or timed-out one just ends.
      if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message)
        co_await refuse_and_close(*stream, buffer, http::status::bad_request, "Bad Request: malformed HTTP",
                                  options.read_timeout);
      break;
    }

    HttpRequest request = parser.release();
    HttpExchange exchange{context, *stream, buffer, request};
    bool keep_open = false;
    if (auto probe = health_reply(request, context->draining)) {
      keep_open = co_await send_reply(exchange, std::move(*probe));
    } else if (auto refusal = screen_request(options, request)) {
      keep_open = co_await send_reply(exchange, std::move(*refusal));
    } else if (request.method() == http::verb::post) {
      keep_open = co_await handle_post(exchange);
    } else if (request.method() == http::verb::get) {
      keep_open = co_await handle_get(exchange);
    } else {
      keep_open = co_await handle_delete(exchange);
    }
    if (!keep_open) break;
  }
  beast::error_code ignored;
  stream->socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream->close();
  context->connections.remove(*registration);
}

}  // namespace kmcp
