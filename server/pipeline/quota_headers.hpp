#pragma once
// What a Klaviyo reply says about the endpoint's steady window: RateLimit-Remaining and
// RateLimit-Reset (both whole numbers; Klaviyo sends them on every reply but a 429).
#include <optional>

#include "server/core/clock.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/rate/rate_limits.hpp"

namespace kmcp {

// The report for the limiter, or nullopt when either header is missing or not a plain
// non-negative integer (surrounding spaces allowed): a garbled header teaches nothing rather
// than something wrong. Values are bounded (a window is at most a day) so arithmetic on them
// cannot overflow.
std::optional<QuotaReport> quota_report(const UpstreamResponse& response, SteadyTime admitted_at);

}  // namespace kmcp
