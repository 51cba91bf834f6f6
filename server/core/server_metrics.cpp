#include "server/core/server_metrics.hpp"

namespace kmcp::metric {

void declare_server_metrics(Metrics& metrics) {
  // From a cached read to a long paged export or a job wait.
  const std::vector<double> call_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
  metrics.declare_counter(std::string(kToolCalls), "Tool calls by tool and outcome (ok or the error kind)");
  metrics.declare_histogram(std::string(kToolCallSeconds), "Tool call duration in seconds, by tool", call_bounds);
  metrics.declare_gauge(std::string(kToolCallsInFlight), "Tool calls under way");
  metrics.declare_counter(std::string(kUpstreamRequests),
                          "Requests sent to the Klaviyo API, by HTTP status (failed: no answer)");
  metrics.declare_histogram(std::string(kUpstreamSeconds), "Klaviyo API request duration in seconds",
                            {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  metrics.declare_counter(std::string(kUpstreamRateLimited), "Klaviyo API answers with status 429");
  metrics.declare_counter(std::string(kUpstreamRetries),
                          "Requests sent again, by reason (rate_limited: after a 429; fault: after a failure)");
  metrics.declare_histogram(std::string(kRateLimitWaitSeconds),
                            "Seconds a request waited for its rate-limit buckets before being sent",
                            {0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
  metrics.declare_counter(std::string(kRedisFallbacks),
                          "Calls and lookups that found Redis unavailable and used this replica's own state, by use");
  metrics.declare_gauge(std::string(kHttpSessions), "Open MCP sessions over HTTP");
  metrics.declare_gauge(std::string(kHttpConnections), "Open HTTP connections");
}

}  // namespace kmcp::metric
