#pragma once
// Brute-force checks of a schedule of admissions, independent of the limiter's own arithmetic:
// the busiest half-open span [s, s + length) over every alignment, whether one more admission
// at a given moment would overfill some span, and the busiest of Klaviyo's fixed windows at a
// given phase. Windows are 1 s, 60 s and 24 h, each lengthened by `margin` where one is given.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <vector>

#include "server/core/clock.hpp"
#include "server/rate/rate_limits.hpp"

namespace kmcp::test {

// The most admissions any span of `length` holds. Takes the times in any order.
inline std::size_t busiest_span(std::vector<SteadyTime> times, std::chrono::nanoseconds length) {
  std::sort(times.begin(), times.end());
  std::size_t best = 0;
  std::size_t first = 0;
  // The busiest span can always start at an admission: slide its start over each one.
  for (std::size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= length) ++first;
    best = std::max(best, last - first + 1);
  }
  return best;
}

inline bool respects(const std::vector<SteadyTime>& times, const WindowLimits& limits,
                     std::chrono::nanoseconds margin = std::chrono::nanoseconds::zero()) {
  using namespace std::chrono;
  if (limits.per_second > 0 && busiest_span(times, seconds(1) + margin) > std::size_t(limits.per_second)) return false;
  if (limits.per_minute > 0 && busiest_span(times, minutes(1) + margin) > std::size_t(limits.per_minute)) return false;
  if (limits.per_day && busiest_span(times, hours(24) + margin) > std::size_t(*limits.per_day)) return false;
  return true;
}

// Whether admitting one more call at `at` breaks a limit, given the earlier admissions in time
// order (all no later than `at`). Scans back only as far as the longest enforced span.
inline bool would_overfill(const std::vector<SteadyTime>& times, SteadyTime at, const WindowLimits& limits,
                           std::chrono::nanoseconds margin = std::chrono::nanoseconds::zero()) {
  using namespace std::chrono;
  const nanoseconds longest = (limits.per_day ? nanoseconds(hours(24)) : nanoseconds(minutes(1))) + margin;
  std::size_t in_second = 0, in_minute = 0, in_day = 0;
  for (auto it = times.rbegin(); it != times.rend() && *it > at - longest; ++it) {
    // One span holds both *it and `at` exactly when they lie less than its length apart.
    if (*it > at - (seconds(1) + margin)) ++in_second;
    if (*it > at - (minutes(1) + margin)) ++in_minute;
    ++in_day;
  }
  if (limits.per_second > 0 && in_second >= std::size_t(limits.per_second)) return true;
  if (limits.per_minute > 0 && in_minute >= std::size_t(limits.per_minute)) return true;
  if (limits.per_day && in_day >= std::size_t(*limits.per_day)) return true;
  return false;
}

// The most arrivals one fixed window [phase + k * length, phase + (k + 1) * length) counts, the
// way Klaviyo counts on its own clock.
inline std::size_t busiest_fixed_window(const std::vector<SteadyTime>& arrivals, std::chrono::nanoseconds length,
                                        std::chrono::nanoseconds phase) {
  std::map<long long, std::size_t> per_window;
  std::size_t best = 0;
  for (const SteadyTime t : arrivals) {
    const auto since = t.time_since_epoch() - phase;
    const long long k = since.count() >= 0 ? since / length : -1 - (-since - std::chrono::nanoseconds(1)) / length;
    best = std::max(best, ++per_window[k]);
  }
  return best;
}

}  // namespace kmcp::test
