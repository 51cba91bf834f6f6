#include "server/rate/rate_errors.hpp"

#include <algorithm>
#include <cstdint>

namespace kmcp {
namespace {

constexpr std::int64_t kTenth = 100'000'000;  // ns

std::string format_tenths(std::int64_t tenths) {
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string what_holds(const Holdup& h) {
  const std::string bucket = "'" + h.bucket + "'";
  switch (h.cause) {
    case LimitKind::per_second:
      return "Rate limit of " + bucket + " reached (" + std::to_string(h.limits.per_second) +
             " calls per second for this account)";
    case LimitKind::per_minute:
      return "Rate limit of " + bucket + " reached (" + std::to_string(h.limits.per_minute) +
             " calls per minute for this account)";
    case LimitKind::per_day:
      return "Daily cap of " + bucket + " used up (" + std::to_string(h.limits.per_day.value_or(0)) +
             " calls per 24 hours for this account)";
    case LimitKind::retry_after:
      return "Klaviyo asked to pause calls on " + bucket + " (HTTP 429 with Retry-After)";
    case LimitKind::reported:
      return "Klaviyo reports this minute's quota of " + bucket +
             " spent (RateLimit-Remaining; other clients sharing this account's quota draw on it too)";
    case LimitKind::queue:
      return "Earlier calls waiting on " + bucket + " take its free slots";
  }
  return "Rate limit of " + bucket + " reached";
}

}  // namespace

double retry_after_seconds(std::chrono::nanoseconds wait) {
  const std::int64_t ns = std::max<std::int64_t>(wait.count(), 0);
  return static_cast<double>((ns + kTenth - 1) / kTenth) / 10.0;
}

ToolError rate_limited_error(const Holdup& holdup, SteadyTime now) {
  const std::chrono::nanoseconds wait = holdup.until - now;
  const std::int64_t tenths = (std::max<std::int64_t>(wait.count(), 0) + kTenth - 1) / kTenth;
  ToolError error;
  error.kind = "rate_limited";
  error.message = what_holds(holdup) + "; the next slot is too late for this call. Retry after " +
                  format_tenths(tenths) + " s.";
  error.details["retry_after_seconds"] = retry_after_seconds(wait);
  error.details["bucket"] = holdup.bucket;
  error.details["limit"] = to_string(holdup.cause);
  return error;
}

ToolError rate_wait_cancelled_error() {
  return ToolError{"cancelled",
                   "The call was cancelled while waiting for a rate-limit slot; nothing was sent.",
                   {}};
}

}  // namespace kmcp
