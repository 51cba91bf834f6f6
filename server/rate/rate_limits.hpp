#pragma once
// Klaviyo's limits for one bucket: a 1-second burst window, a 1-minute steady window and an
// optional daily cap, all per account.
#include <chrono>
#include <optional>
#include <string>

#include "server/core/clock.hpp"

namespace kmcp {

struct WindowLimits {
  int per_second = 0;                 // burst
  int per_minute = 0;                 // steady
  std::optional<int> per_day;         // daily cap, when the operation has one
};

// One bucket a call must draw from. `key` names the bucket within an account: the operation
// name for the endpoint's own bucket, or a shared name for a query-parameter bucket (e.g.
// "profiles:include=list") that several endpoints draw from.
struct BucketRef {
  std::string key;
  WindowLimits limits;
};

// What a Klaviyo reply said about the steady (1-minute) window of the endpoint it answered, from
// RateLimit-Remaining and RateLimit-Reset. Other clients sharing the account spend the same
// quota, so this can be tighter than our own count.
struct QuotaReport {
  int remaining = 0;                  // calls Klaviyo will still take in its current window
  std::chrono::seconds reset{0};      // until that window ends
  SteadyTime admitted_at{};           // when our limiter admitted the call this reply answers:
                                      // our admissions after it already spend `remaining`
};

}  // namespace kmcp
