#pragma once
// /healthz (the process serves) and /readyz (it takes new work: not while draining), for load
// balancers and orchestrators. Answered before the Host/Origin checks, which protect the MCP
// endpoint: a probe comes with whatever Host its network gives it, and learns nothing secret.
// No I/O.
#include <optional>

#include "server/transport/http_replies.hpp"

namespace kmcp {

// The reply when `request` is a probe (GET or HEAD of /healthz or /readyz), else nullopt.
std::optional<HttpResponse> health_reply(const HttpRequest& request, bool draining);

}  // namespace kmcp
