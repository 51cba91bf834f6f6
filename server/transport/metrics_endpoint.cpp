#include "server/transport/metrics_endpoint.hpp"

#include "server/core/server_metrics.hpp"

namespace kmcp {

bool is_metrics_request(const HttpRequest& request, const HttpContext& context) {
  if (!context.options.metrics) return false;
  std::string_view target = request.target();
  return target.substr(0, target.find('?')) == "/metrics";
}

HttpResponse metrics_reply(const HttpRequest& request, HttpContext& context) {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    HttpResponse reply = error_reply(request, http::status::method_not_allowed, kTransportError,
                                     "Method Not Allowed: use GET or HEAD");
    reply.set(http::field::allow, "GET, HEAD");
    return reply;
  }
  Metrics& metrics = *context.options.metrics;
  metrics.set(metric::kHttpSessions, {}, static_cast<double>(context.sessions.size()));
  metrics.set(metric::kHttpConnections, {}, static_cast<double>(context.connections.size()));
  HttpResponse reply(http::status::ok, request.version());
  reply.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  reply.set(http::field::cache_control, "no-store");
  reply.keep_alive(request.keep_alive());
  if (request.method() == http::verb::get) reply.body() = metrics.render();
  reply.prepare_payload();
  return reply;
}

}  // namespace kmcp
