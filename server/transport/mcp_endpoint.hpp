#pragma once
// The MCP endpoint's methods (Streamable HTTP): POST carries one JSON-RPC message, GET opens
// the session's event stream, DELETE ends the session. Each returns whether the connection
// may serve another request.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <optional>

#include "server/transport/http_context.hpp"
#include "server/transport/http_replies.hpp"

namespace kmcp {

inline constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
inline constexpr std::string_view kProtocolVersionHeader = "MCP-Protocol-Version";
inline constexpr std::string_view kAllowedMethods = "GET, POST, DELETE";

// One request on one connection.
struct HttpExchange {
  std::shared_ptr<HttpContext> context;
  boost::beast::tcp_stream& stream;
  boost::beast::flat_buffer& buffer;  // bytes read past the request stay here
  const HttpRequest& request;
};

// Writes a complete reply (with the read timeout as deadline); whether the connection stays.
asio::awaitable<bool> send_reply(HttpExchange& exchange, HttpResponse response);

asio::awaitable<bool> handle_post(HttpExchange& exchange);
asio::awaitable<bool> handle_get(HttpExchange& exchange);
asio::awaitable<bool> handle_delete(HttpExchange& exchange);

// The session a non-initialize request names: a missing Mcp-Session-Id is 400, an
// unsupported MCP-Protocol-Version 400, an unknown or ended session 404. No I/O.
struct SessionLookup {
  std::shared_ptr<HttpSession> session;
  std::optional<HttpResponse> refusal;
};
SessionLookup find_session(const HttpContext& context, const HttpRequest& request);

}  // namespace kmcp
