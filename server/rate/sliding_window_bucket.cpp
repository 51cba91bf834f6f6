#include "server/rate/sliding_window_bucket.hpp"

#include <algorithm>

namespace kmcp {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<LimitKind, 3> kWindowKinds = {LimitKind::per_day, LimitKind::per_minute,
                                                   LimitKind::per_second};

// Reports on one Klaviyo window end within a second or two of each other (Reset is whole
// seconds, replies take a while); reports on consecutive windows end a minute apart.
constexpr std::chrono::nanoseconds kSameWindow = seconds(30);

}  // namespace

std::string_view to_string(LimitKind kind) {
  switch (kind) {
    case LimitKind::per_second: return "per_second";
    case LimitKind::per_minute: return "per_minute";
    case LimitKind::per_day: return "per_day";
    case LimitKind::retry_after: return "retry_after";
    case LimitKind::reported: return "reported_quota";
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
  // Per learned quota: the replayed admissions so far that it counts.
  std::vector<int> replayed_in(learned_.size(), 0);
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
    // A spent quota moves the call to its end, where another quota may begin; each moves it
    // past its own end at most once, so this settles.
    for (bool moved = true; moved;) {
      moved = false;
      for (std::size_t q = 0; q < learned_.size(); ++q) {
        const LearnedQuota& quota = learned_[q];
        if (a.at < quota.from || a.at >= quota.until) continue;
        if (quota.used + replayed_in[q] < quota.remaining) continue;
        a = {quota.until, LimitKind::reported};
        moved = true;
      }
    }
    for (std::size_t q = 0; q < learned_.size(); ++q) {
      if (a.at >= learned_[q].from) ++replayed_in[q];
    }
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
  std::erase_if(learned_, [now](const LearnedQuota& q) { return q.until <= now; });
  for (LearnedQuota& quota : learned_) {
    if (now >= quota.from) ++quota.used;
  }
}

std::optional<SteadyTime> SlidingWindowBucket::uncharge(SteadyTime at) {
  std::optional<SteadyTime> removed;
  for (SlidingWindowLog& window : windows_) {
    if (auto t = window.remove_latest_at_or_before(at)) removed = t;
  }
  if (!removed) return std::nullopt;
  for (LearnedQuota& quota : learned_) {
    if (*removed >= quota.from && quota.used > 0) --quota.used;
  }
  return removed;
}

void SlidingWindowBucket::refund(SteadyTime admitted_at) { uncharge(admitted_at); }

bool SlidingWindowBucket::restamp(SteadyTime charged_at, SteadyTime now) {
  if (now <= charged_at) return true;  // already where it belongs
  if (!uncharge(charged_at)) return false;
  // Every charge lies at or before `now` (all are made at the clock's reading), so recording
  // at `now` keeps the logs in time order.
  charge(now);
  return true;
}

void SlidingWindowBucket::block_until(SteadyTime until) {
  blocked_until_ = std::max(blocked_until_, until);
}

std::optional<int> SlidingWindowBucket::admissions_since(SteadyTime from, SteadyTime now) const {
  for (const SlidingWindowLog& window : windows_) {
    if (!window.enforced()) continue;
    std::size_t n = 0;
    bool reported_call = false;
    for (; n < window.size() && window.recent(n) >= from; ++n) {
      if (window.recent(n) == from) reported_call = true;
    }
    // The log forgets its oldest entry only past `limit` entries; all of those lying within
    // one window length of `now` would have broken the limit, so then nothing was forgotten.
    const bool complete = n < window.size() || window.size() < window.limit() || now - from < window.length();
    if (complete) return static_cast<int>(n) - (reported_call ? 1 : 0);
  }
  return std::nullopt;
}

void SlidingWindowBucket::learn(const QuotaReport& report, SteadyTime now) {
  std::erase_if(learned_, [now](const LearnedQuota& q) { return q.until <= now; });
  LearnedQuota quota{report.admitted_at, report.admitted_at + report.reset + margin_,
                     std::max(report.remaining, 0), 0};
  if (quota.until <= now) return;
  // Admissions we can no longer count are taken to have spent the quota: tighter, never looser.
  quota.used = admissions_since(quota.from, now).value_or(quota.remaining);
  for (LearnedQuota& known : learned_) {
    if (std::chrono::abs(known.until - quota.until) >= kSameWindow) continue;
    // The newer report wins; of two on calls admitted together, the lower count is the later.
    const bool newer = quota.from > known.from || (quota.from == known.from && quota.remaining < known.remaining);
    if (newer) known = quota;
    return;
  }
  learned_.push_back(quota);
}

}  // namespace kmcp
