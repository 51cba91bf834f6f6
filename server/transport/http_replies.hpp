#pragma once
// Building the plain (non-streaming) HTTP replies of the MCP endpoint. No I/O.
#include <boost/beast/http.hpp>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// Server-defined JSON-RPC error codes for transport-level refusals.
inline constexpr int kTransportError = -32000;
inline constexpr int kSessionNotFound = -32001;

// `body` as application/json, matching the request's version and keep-alive.
HttpResponse json_reply(const HttpRequest& request, http::status status, const json::object& body);
// No body (202, DELETE's 200).
HttpResponse empty_reply(const HttpRequest& request, http::status status);
// A JSON-RPC error response with a null id, the body the spec allows for refused requests.
HttpResponse error_reply(const HttpRequest& request, http::status status, int code, std::string_view message);
// The server is shutting down: 503 with Retry-After (another instance, or this one restarted,
// can take the request), and the connection closes.
HttpResponse shutting_down_reply(const HttpRequest& request);
// For a request that could not even be read (413, 431, 400): HTTP/1.1, connection closes.
HttpResponse unreadable_request_reply(http::status status, std::string_view message);

}  // namespace kmcp
