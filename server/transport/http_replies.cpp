#include "server/transport/http_replies.hpp"

#include "server/mcp/jsonrpc.hpp"

namespace kmcp {

HttpResponse json_reply(const HttpRequest& request, http::status status, const json::object& body) {
  HttpResponse response(status, request.version());
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = jsonrpc::serialize(body);
  response.prepare_payload();
  return response;
}

HttpResponse empty_reply(const HttpRequest& request, http::status status) {
  HttpResponse response(status, request.version());
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

HttpResponse error_reply(const HttpRequest& request, http::status status, int code, std::string_view message) {
  return json_reply(request, status, jsonrpc::make_error(nullptr, code, message));
}

HttpResponse shutting_down_reply(const HttpRequest& request) {
  // Long enough for a restart or a load balancer to notice; short enough not to stall a client.
  constexpr std::string_view kRetryAfterSeconds = "2";
  HttpResponse response = error_reply(request, http::status::service_unavailable, kTransportError,
                                      "Service Unavailable: the server is shutting down; retry the request on a "
                                      "new connection");
  response.set(http::field::retry_after, kRetryAfterSeconds);
  response.keep_alive(false);
  return response;
}

HttpResponse unreadable_request_reply(http::status status, std::string_view message) {
  HttpResponse response(status, 11);
  response.set(http::field::content_type, "application/json");
  response.keep_alive(false);
  response.body() = json::serialize(jsonrpc::make_error(nullptr, kTransportError, message));
  response.prepare_payload();
  return response;
}

}  // namespace kmcp
