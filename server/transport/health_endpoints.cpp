#include "server/transport/health_endpoints.hpp"

namespace kmcp {

std::optional<HttpResponse> health_reply(const HttpRequest& request, bool draining) {
  std::string_view target = request.target();
  target = target.substr(0, target.find('?'));
  const bool health = target == "/healthz";
  const bool ready = target == "/readyz";
  if (!health && !ready) return std::nullopt;
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    HttpResponse reply = json_reply(request, http::status::method_not_allowed,
                                    {{"status", "error"}, {"message", "use GET or HEAD"}});
    reply.set(http::field::allow, "GET, HEAD");
    return reply;
  }
  const bool ok = health || !draining;
  HttpResponse reply = json_reply(request, ok ? http::status::ok : http::status::service_unavailable,
                                  {{"status", ok ? "ok" : "draining"}});
  reply.set(http::field::cache_control, "no-store");
  if (request.method() == http::verb::head) {
    reply.body().clear();
    reply.prepare_payload();
  }
  return reply;
}

}  // namespace kmcp
