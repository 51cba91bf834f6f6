#include "server/transport/http_connection.hpp"

#include <boost/beast/http.hpp>

#include "server/transport/health_endpoints.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"
#include "server/transport/metrics_endpoint.hpp"

namespace kmcp {
namespace beast = boost::beast;

namespace {

// After refusing a request whose body was not read, drain what the client still sends for a
// moment before closing: closing on unread data resets the connection, and the client could
// lose the refusal.
constexpr std::chrono::seconds kLingerTime{1};
constexpr std::size_t kLingerBytes = 1024 * 1024;

asio::awaitable<void> refuse_and_close(HttpStream& stream, beast::flat_buffer& buffer, http::status status,
                                       std::string_view message, std::chrono::milliseconds write_timeout,
                                       std::optional<std::string_view> retry_after = std::nullopt) {
  HttpResponse reply = unreadable_request_reply(status, message);
  if (retry_after) reply.set(http::field::retry_after, *retry_after);
  stream.expires_after(write_timeout);
  auto [ec, n] = co_await http::async_write(stream, reply, asio::as_tuple(asio::use_awaitable));
  (void)n;
  if (ec) co_return;
  stream.shutdown_send();
  stream.expires_after(kLingerTime);
  for (std::size_t drained = 0; drained < kLingerBytes;) {
    buffer.clear();
    auto [read_ec, got] = co_await stream.async_read_some(buffer.prepare(16 * 1024), asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    drained += got;
  }
}

// Waits for the first byte of the next request (bytes already buffered count), at most `idle`.
asio::awaitable<beast::error_code> await_request(HttpStream& stream, beast::flat_buffer& buffer,
                                                 std::chrono::milliseconds idle) {
  if (buffer.size() != 0) co_return beast::error_code{};
  stream.expires_after(idle);
  auto [ec, got] = co_await stream.async_read_some(buffer.prepare(4096), asio::as_tuple(asio::use_awaitable));
  buffer.commit(got);
  co_return ec;
}

}  // namespace

std::optional<HttpResponse> authenticate(const HttpOptions& options, const HttpRequest& request,
                                         const TokenGrant*& grant) {
  grant = nullptr;
  if (!options.tokens || options.tokens->empty()) return std::nullopt;
  const bool presented = request.find(http::field::authorization) != request.end();
  grant = options.tokens->check(request[http::field::authorization]);
  if (grant) return std::nullopt;
  HttpResponse reply = error_reply(request, http::status::unauthorized, kTransportError,
                                   presented ? "Unauthorized: the bearer token is not valid for this server"
                                             : "Unauthorized: send Authorization: Bearer <token>");
  reply.set(http::field::www_authenticate,
            presented ? "Bearer realm=\"klaviyo-mcp\", error=\"invalid_token\"" : "Bearer realm=\"klaviyo-mcp\"");
  return reply;
}

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
  auto stream = context->tls ? std::make_shared<HttpStream>(std::move(socket), *context->tls)
                             : std::make_shared<HttpStream>(std::move(socket));
  // The TLS handshake counts against the header deadline; a client that cannot complete one
  // (plain HTTP to a TLS port, say) has nothing to be answered in.
  const auto handshake = [&]() -> asio::awaitable<bool> {
    auto ec = co_await stream->handshake(options.header_timeout);
    if (ec) context->logger.debug("tls_handshake_failed", {{"error", ec.message()}});
    co_return !ec;
  };
  if (context->connections.size() >= options.max_connections) {
    beast::flat_buffer unread;
    if (co_await handshake())
      co_await refuse_and_close(*stream, unread, http::status::service_unavailable,
                                "Service Unavailable: too many connections; retry shortly", options.write_timeout, "1");
    stream->close();
    co_return;
  }
  // Registered before the handshake, so a shutdown also closes a connection still shaking hands.
  const auto registration = context->connections.add(stream);
  if (!registration) co_return;  // shutting down
  if (!co_await handshake()) {
    stream->close();
    context->connections.remove(*registration);
    co_return;
  }
  beast::flat_buffer buffer;

  for (;;) {
    // An idle keep-alive connection may wait idle_timeout for its next request; from its first
    // byte the headers have header_timeout, then the body body_timeout: a slow client is dropped.
    auto ec = co_await await_request(*stream, buffer, options.idle_timeout);
    if (ec) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
    parser.body_limit(options.max_body_bytes);
    stream->expires_after(options.header_timeout);
    std::size_t n = 0;
    std::tie(ec, n) = co_await http::async_read_header(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (!ec && !parser.is_done()) {
      // curl and others wait (a second, or for good) for the go-ahead before sending a body.
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_ahead(http::status::continue_, 11);
        stream->expires_after(options.write_timeout);
        std::tie(ec, n) = co_await http::async_write(*stream, go_ahead, asio::as_tuple(asio::use_awaitable));
      }
      stream->expires_after(options.body_timeout);
      if (!ec) std::tie(ec, n) = co_await http::async_read(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    }
    stream->expires_never();
    if (ec == http::error::body_limit) {
      co_await refuse_and_close(*stream, buffer, http::status::payload_too_large,
                                "Payload Too Large: the body exceeds " + std::to_string(options.max_body_bytes) + " bytes",
                                options.write_timeout);
      break;
    }
    if (ec == http::error::header_limit) {
      co_await refuse_and_close(*stream, buffer, http::status::request_header_fields_too_large,
                                "Request Header Fields Too Large", options.write_timeout);
      break;
    }
    if (ec) {
      // A malformed request gets a 400; a closed, reset or timed-out one just ends.
      if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message)
        co_await refuse_and_close(*stream, buffer, http::status::bad_request, "Bad Request: malformed HTTP",
                                  options.write_timeout);
      break;
    }

    HttpRequest request = parser.release();
    HttpExchange exchange{context, *stream, buffer, request};
    bool keep_open = false;
    std::optional<HttpResponse> refusal;
    if (auto probe = health_reply(request, context->draining)) {
      keep_open = co_await send_reply(exchange, std::move(*probe));
    } else if (is_metrics_request(request, *context)) {
      // g++ 12 destroys a ?: temporary twice inside a co_await expression: pick the reply first.
      HttpResponse reply = (refusal = authenticate(options, request, exchange.grant)) ? std::move(*refusal)
                                                                                       : metrics_reply(request, *context);
      keep_open = co_await send_reply(exchange, std::move(reply));
    } else if ((refusal = screen_request(options, request)) || (refusal = authenticate(options, request, exchange.grant))) {
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
  stream->shutdown_send();
  stream->close();
  context->connections.remove(*registration);
}

}  // namespace kmcp
