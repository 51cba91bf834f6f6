#pragma once
// The server's metric families: their names, in one place, and their declaration.
#include <string_view>

#include "server/core/metrics.hpp"

namespace kmcp::metric {

// tools/call by tool and outcome ("ok" or the error kind).
inline constexpr std::string_view kToolCalls = "kmcp_tool_calls_total";
inline constexpr std::string_view kToolCallSeconds = "kmcp_tool_call_duration_seconds";  // by tool
inline constexpr std::string_view kToolCallsInFlight = "kmcp_tool_calls_in_flight";
// Every request sent to Klaviyo, by status ("failed" when no answer came).
inline constexpr std::string_view kUpstreamRequests = "kmcp_upstream_requests_total";
inline constexpr std::string_view kUpstreamSeconds = "kmcp_upstream_request_duration_seconds";
inline constexpr std::string_view kUpstreamRateLimited = "kmcp_upstream_rate_limited_total";  // 429s
inline constexpr std::string_view kUpstreamRetries = "kmcp_upstream_retries_total";  // by reason
// Time spent waiting for the rate buckets before a request could be sent.
inline constexpr std::string_view kRateLimitWaitSeconds = "kmcp_rate_limit_wait_seconds";
// Calls and lookups that found Redis unavailable and used this replica's own state, by use
// ("rate", "confirmation", "session").
inline constexpr std::string_view kRedisFallbacks = "kmcp_redis_fallbacks_total";
inline constexpr std::string_view kHttpSessions = "kmcp_http_sessions";
inline constexpr std::string_view kHttpConnections = "kmcp_http_connections";

void declare_server_metrics(Metrics& metrics);

}  // namespace kmcp::metric
