#pragma once
// Klaviyo's rate limits as Klaviyo keeps them: per account and endpoint, a 1-second and a
// 1-minute window, fixed (they start on whole seconds and minutes of the API's own clock) rather
// than sliding. A call over either is refused with the seconds until that window ends. Pure: the
// caller passes the time.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "server/rate/rate_limits.hpp"

namespace kmcp::sandbox {

struct WindowAnswer {
  bool admitted = true;
  int retry_after_seconds = 0;  // refused: whole seconds until the full window ends (at least 1)
  int limit = 0;                // of the 1-minute window, for RateLimit-* headers
  int remaining = 0;
  int reset_seconds = 0;
};

class FixedWindows {
 public:
  // Counts a call to bucket `key` at `now` (time since the API's epoch), if both windows of
  // `limits` have room; unenforced windows (limit 0) always do.
  WindowAnswer admit(const std::string& key, const WindowLimits& limits, std::chrono::nanoseconds now);

 private:
  struct Window {
    long long index = -1;  // which window of its length the count belongs to
    int count = 0;
  };
  struct Bucket {
    Window second;
    Window minute;
  };
  std::map<std::string, Bucket> buckets_;
};

}  // namespace kmcp::sandbox
