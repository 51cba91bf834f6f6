#pragma once
// Klaviyo's limits for one bucket: a 1-second burst window, a 1-minute steady window and an
// optional daily cap, all per account.
#include <optional>
#include <string>

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

}  // namespace kmcp
