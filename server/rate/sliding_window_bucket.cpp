#include "server/rate/sliding_window_bucket.hpp"

#include <algorithm>

namespace kmcp {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<LimitKind, 3> kWindowKinds = {LimitKind::per_day, LimitKind::per_minute,
                                                   LimitKind::per_second};

}  // namespace

std::string_view to_string(LimitKind kind) {
  switch (kind) {
    case LimitKind::per_second: return "per_second";
    case LimitKind::per_minute: return "per_minute";
    case LimitKind::per_day: return "per_day";
    case LimitKind::retry_after: return "retry_after";
    case LimitKind::queue: return "queue";
  }
  return "unknown";
}

SlidingWindowBucket::SlidingWindowBucket(const WindowLimits& limits, std::chrono::nanoseconds margin)
    : limits_(limits),
      margin_(margin),
      windows_{SlidingWindowLog(hours(24) + margin, limits.per_day.value_or(0)),
               SlidingWindowLog(minutes(1) + margin, limits.per_minute),
               SlidingWindowLog(seconds(1) + margin, limits.per_second)} {}

std::vector<Admission> SlidingWindowBucket::replay(SteadyTime now,
                                                   std::span<const SteadyTime> floors) const {
  std::vector<Admission> out;
  out.reserve(floors.size());
  for (std::size_t k = 0; k < floors.size(); ++k) {
    Admission a{now};
    const auto raise = [&a](SteadyTime t, LimitKind why) {
      if (t > a.at) a = {t, why};
    };
    for (std::size_t w = 0; w < windows_.size(); ++w) {
      const SlidingWindowLog& window = windows_[w];
      if (!window.enforced()) continue;
      // The call may go once the limit-th most recent admission before it leaves the window;
      // that one is either replayed here or still in the log.
      const std::size_t back = window.limit() - 1;
      if (back < k) {
        raise(out[k - 1 - back].at + window.length(), kWindowKinds[w]);
      } else if (back - k < window.size()) {
        raise(window.recent(back - k) + window.length(), kWindowKinds[w]);
      }
    }
    raise(blocked_until_, LimitKind::retry_after);
    if (k > 0 && out[k - 1].at > a.at) a = out[k - 1];  // in order: inherits what held it back
    raise(floors[k], LimitKind::queue);
    out.push_back(a);
  }
  return out;
}

std::optional<SlidingWindowBucket::Wait> SlidingWindowBucket::wait_needed(SteadyTime now) const {
  const Admission a = earliest_admission(now);
  if (a.at <= now) return std::nullopt;
  return Wait{a.at - now, a.cause};
}

Admission SlidingWindowBucket::earliest_admission(SteadyTime now,
                                                  std::span<const SteadyTime> queued) const {
  std::vector<SteadyTime> floors(queued.begin(), queued.end());
  floors.push_back(now);
  return replay(now, floors).back();
}

bool SlidingWindowBucket::admits_now_without_delaying(SteadyTime now,
                                                      std::span<const SteadyTime> queued) const {
  std::vector<SteadyTime> floors;
  floors.reserve(queued.size() + 1);
  floors.push_back(now);
  floors.insert(floors.end(), queued.begin(), queued.end());
  const std::vector<Admission> plan = replay(now, floors);
  if (plan.front().at > now) return false;
  for (std::size_t i = 0; i < queued.size(); ++i) {
    // A waiter already late keeps its claim on `now`, not on its stale plan.
    if (plan[i + 1].at > std::max(queued[i], now)) return false;
  }
  return true;
}

void SlidingWindowBucket::charge(SteadyTime now) {
  for (SlidingWindowLog& window : windows_) window.record(now);
}

void SlidingWindowBucket::block_until(SteadyTime until) {
  blocked_until_ = std::max(blocked_until_, until);
}

}  // namespace kmcp
