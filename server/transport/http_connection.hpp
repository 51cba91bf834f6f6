#pragma once
// One accepted HTTP/1.1 connection: reads requests (bounded size and time) with keep-alive,
// applies the endpoint's checks and hands each to the MCP endpoint.
#include <memory>

#include "server/transport/http_context.hpp"
#include "server/transport/http_replies.hpp"

namespace kmcp {

// Runs on the socket's executor (a strand) until the client or shutdown closes it.
asio::awaitable<void> serve_connection(std::shared_ptr<HttpContext> context, asio::ip::tcp::socket socket);

// Refusals decided from the request line and headers alone: Host and Origin (403, against DNS
// rebinding), path (404), method (405). nullopt: go on to the method's handler. No I/O.
// Bearer-token authentication when the options hold tokens: 401 with WWW-Authenticate for a
// missing or unknown token; else sets `grant` (null when no tokens are asked for). No I/O.
std::optional<HttpResponse> authenticate(const HttpOptions& options, const HttpRequest& request,
                                         const TokenGrant*& grant);

std::optional<HttpResponse> screen_request(const HttpOptions& options, const HttpRequest& request);

}  // namespace kmcp
