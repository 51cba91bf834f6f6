#pragma once
// The MCP endpoint's methods (Streamable HTTP): POST carries one JSON-RPC message, GET opens
// the session's event stream, DELETE ends the session. Each returns whether the connection
// may serve another request.
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <optional>
#include <utility>

#include "server/transport/http_context.hpp"
#include "server/transport/http_replies.hpp"
#include "server/transport/http_stream.hpp"

namespace kmcp {

inline constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
inline constexpr std::string_view kProtocolVersionHeader = "MCP-Protocol-Version";
inline constexpr std::string_view kAllowedMethods = "GET, POST, DELETE";

// One request on one connection.
struct HttpExchange {
  std::shared_ptr<HttpContext> context;
  HttpStream& stream;
  boost::beast::flat_buffer& buffer;  // bytes read past the request stay here
  const HttpRequest& request;
  const TokenGrant* grant = nullptr;  // the client's token, when tokens are asked for
  ActivityCount::Scope* place = nullptr;  // a max_in_flight place, given up as the answer goes out
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
// A session started under another token is not found either. No I/O.
SessionLookup find_session(const HttpContext& context, const HttpRequest& request, const TokenGrant* grant);
// The same, and a session this replica does not hold but the session directory (when there is
// one) knows is adopted here: one lookup's I/O.
asio::awaitable<SessionLookup> find_or_adopt_session(HttpContext& context, const HttpRequest& request,
                                                     const TokenGrant* grant);

// The Klaviyo account a request acts for: X-Klaviyo-Account when sent (400 if not configured,
// 403 if the token may not use it), else the token's first account, else the default.
inline constexpr std::string_view kAccountHeader = "X-Klaviyo-Account";
struct AccountChoice {
  std::string account;
  std::optional<HttpResponse> refusal;
};
AccountChoice choose_account(const HttpOptions& options, const HttpRequest& request, const TokenGrant* grant);

// 503 with Retry-After, for a limit reached (connections, requests, streams).
HttpResponse overloaded_reply(const HttpRequest& request, std::string_view what);

// Holds a session's stream place until leave() or the end of its life.
class StreamPlace {
 public:
  StreamPlace() = default;
  explicit StreamPlace(std::shared_ptr<HttpSession> session) : session_(std::move(session)) {}
  StreamPlace(StreamPlace&&) = default;
  StreamPlace& operator=(StreamPlace&&) = default;
  ~StreamPlace() { leave(); }
  // Given back before the last write, so a client that has read its answer finds the place free.
  void leave() {
    if (session_) std::exchange(session_, nullptr)->release_stream_place();
  }

 private:
  std::shared_ptr<HttpSession> session_;
};

}  // namespace kmcp
