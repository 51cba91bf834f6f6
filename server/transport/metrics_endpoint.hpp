#pragma once
// GET /metrics: the server's metrics in the Prometheus text format, for scrapers. Served when
// the transport has metrics; needs a bearer token when tokens are configured, like /mcp (the
// series name tools and statuses, never accounts or keys). No I/O.
#include "server/transport/http_context.hpp"
#include "server/transport/http_replies.hpp"

namespace kmcp {

bool is_metrics_request(const HttpRequest& request, const HttpContext& context);
// The scrape, with the HTTP gauges (sessions, connections) read now; 405 for other methods.
HttpResponse metrics_reply(const HttpRequest& request, HttpContext& context);

}  // namespace kmcp
