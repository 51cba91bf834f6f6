#pragma once
// The pure arithmetic of one bucket: every sliding span of 1 s + margin holds at most per_second
// admissions, every sliding span of 60 s + margin at most per_minute, every sliding span of
// 24 h + margin at most per_day (when set), nothing goes before a Retry-After pause ends, and
// what Klaviyo reported about its own count (learn) is not exceeded. Klaviyo counts in fixed
// windows we cannot align with, so only a bound on every sliding span is safe; an exact log of
// the last admissions (bounded by the limits) gives that bound with no slack. The margin covers
// the trip between our admission and Klaviyo's count: calls admitted W + margin apart reach
// Klaviyo at least W apart when their trips differ by at most the margin, so no fixed window of
// length W sees more than the limit.
#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "server/core/clock.hpp"
#include "server/rate/rate_limits.hpp"
#include "server/rate/sliding_window_log.hpp"

namespace kmcp {

// What holds a call back.
enum class LimitKind {
  per_second,
  per_minute,
  per_day,
  retry_after,  // Klaviyo's own pause after a 429
  reported,     // Klaviyo's RateLimit-Remaining: the account's minute spent (other clients too)
  queue,        // earlier calls still waiting, held back by their other buckets
};

std::string_view to_string(LimitKind kind);

struct Admission {
  SteadyTime at;                          // the earliest moment the call may go
  LimitKind cause = LimitKind::per_second;  // what decides `at` when it lies past `now`
};

class SlidingWindowBucket {
 public:
  // `margin` lengthens every window (see above); zero gives the exact sliding windows.
  explicit SlidingWindowBucket(const WindowLimits& limits,
                               std::chrono::nanoseconds margin = std::chrono::nanoseconds::zero());

  const WindowLimits& limits() const { return limits_; }
  std::chrono::nanoseconds margin() const { return margin_; }

  struct Wait {
    std::chrono::nanoseconds duration;
    LimitKind cause;
  };
  // How long one more call must wait at `now`; nullopt admits it now.
  std::optional<Wait> wait_needed(SteadyTime now) const;

  // The earliest admission of one more call that lines up behind `queued`: calls admitted
  // first, in order, each no sooner than its planned moment.
  Admission earliest_admission(SteadyTime now, std::span<const SteadyTime> queued = {}) const;

  // Whether one more call may go at `now` ahead of `queued` without pushing any of them past
  // its planned moment (so a newcomer can use spare room but never overtake a waiter).
  bool admits_now_without_delaying(SteadyTime now, std::span<const SteadyTime> queued) const;

  void charge(SteadyTime now);
  void block_until(SteadyTime until);
  // Klaviyo answered the call admitted at `admitted_at` with 429: it did not count it, so neither
  // do we (otherwise its retry would also wait for our 1-minute window to forget it).
  void refund(SteadyTime admitted_at);
  // The call charged at `charged_at` is only now (`now`) being written to Klaviyo: its charge
  // moves to `now`, so time spent waiting for a connection after admission never lets a later
  // call into a window Klaviyo will count this one in. Returns false (and charges nothing) when
  // no charge that old is held.
  bool restamp(SteadyTime charged_at, SteadyTime now);

  // Klaviyo's report on its steady window (see RateLimiter::learn): admissions from
  // report.admitted_at until admitted_at + reset + margin may number at most report.remaining,
  // besides the call reported on. Only tightens; a newer report on the same window replaces
  // an older one. `now` is when the report is learned.
  void learn(const QuotaReport& report, SteadyTime now);

 private:
  // Takes back the newest charge at or before `at`; the time it had, if any.
  std::optional<SteadyTime> uncharge(SteadyTime at);

  // A report turned into a bound: admissions in [from, until) besides the reported call may
  // number at most `remaining`; `used` counts those already made.
  struct LearnedQuota {
    SteadyTime from;
    SteadyTime until;
    int remaining = 0;
    int used = 0;
  };

  // Our admissions at or after `from` (besides one exactly at `from`: the reported call), or
  // nullopt when the logs no longer hold them all.
  std::optional<int> admissions_since(SteadyTime from, SteadyTime now) const;

  // Admits calls one after another, each at the earliest moment no sooner than its floor.
  std::vector<Admission> replay(SteadyTime now, std::span<const SteadyTime> floors) const;

  WindowLimits limits_;
  std::chrono::nanoseconds margin_;
  std::array<SlidingWindowLog, 3> windows_;  // day, minute, second: a tie names the longest
  SteadyTime blocked_until_{};
  std::vector<LearnedQuota> learned_;  // unexpired reports: at most one per Klaviyo window
};

}  // namespace kmcp
