#include "server/sandbox/fixed_windows.hpp"

#include <algorithm>

namespace kmcp::sandbox {
namespace {

using std::chrono::nanoseconds;

void roll(auto& window, long long index) {
  if (window.index != index) {
    window.index = index;
    window.count = 0;
  }
}

int seconds_until(nanoseconds end, nanoseconds now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(end - now).count();
  return static_cast<int>(std::max<long long>(1, left));
}

}  // namespace

WindowAnswer FixedWindows::admit(const std::string& key, const WindowLimits& limits, nanoseconds now) {
  constexpr nanoseconds kSecond = std::chrono::seconds(1), kMinute = std::chrono::minutes(1);
  Bucket& bucket = buckets_[key];
  roll(bucket.second, now / kSecond);
  roll(bucket.minute, now / kMinute);
  const nanoseconds second_end = (now / kSecond + 1) * kSecond, minute_end = (now / kMinute + 1) * kMinute;

  WindowAnswer answer;
  answer.limit = limits.per_minute;
  answer.reset_seconds = seconds_until(minute_end, now);
  const bool second_full = limits.per_second > 0 && bucket.second.count >= limits.per_second;
  const bool minute_full = limits.per_minute > 0 && bucket.minute.count >= limits.per_minute;
  if (minute_full || second_full) {
    answer.admitted = false;
    answer.retry_after_seconds = seconds_until(minute_full ? minute_end : second_end, now);
    return answer;
  }
  ++bucket.second.count;
  ++bucket.minute.count;
  answer.remaining = std::max(0, limits.per_minute - bucket.minute.count);
  return answer;
}

}  // namespace kmcp::sandbox
