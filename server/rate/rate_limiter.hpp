#pragma once
// Per-account, per-endpoint pacing. A call draws one unit from every bucket it names, all or
// nothing, waiting (asynchronously, within its deadline) until every window admits it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/rate/rate_limits.hpp"
#include "server/rate/sleeper.hpp"

namespace kmcp {

struct RateLimiterOptions {
  // Added to every window's length. Our admission and Klaviyo's count of a call are a network
  // trip apart, and trips vary: without a margin, two calls admitted exactly a window apart can
  // land in one of Klaviyo's fixed windows. It costs margin/window of throughput (5% at 50 ms
  // on the 1-second window).
  std::chrono::milliseconds margin{50};
};

class RateLimiter {
 public:
  // `clock` drives the window arithmetic; waiting uses asio timers on `executor`.
  RateLimiter(asio::any_io_executor executor, const Clock& clock, RateLimiterOptions options = {});
  // The same with a chosen way to wait, e.g. simulated time for tests on a ManualClock.
  RateLimiter(const Clock& clock, std::unique_ptr<Sleeper> sleeper, RateLimiterOptions options = {});
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Waits until every bucket of `account` in `buckets` admits one more call, then charges them
  // all. If that moment lies past `deadline` (as when a daily cap is spent), returns a ToolError of
  // kind "rate_limited" whose details carry "retry_after_seconds" (a number). Cancellation of
  // the awaiting coroutine (asio cancellation slot) ends the wait with kind "cancelled" and
  // charges nothing. Waiters keep their arrival order: a later call only goes first when it
  // delays none of them. Should the clock not move across a wait (a ManualClock with real
  // timers), the call is refused rather than waiting forever.
  asio::awaitable<std::optional<ToolError>> acquire(const std::string& account,
                                                    const std::vector<BucketRef>& buckets,
                                                    SteadyTime deadline);

  // Klaviyo answered 429 with Retry-After: nobody draws from these buckets before then.
  void penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                std::chrono::milliseconds retry_after);

  // Klaviyo refused (429) the call admitted at `admitted_at` (the clock read right after
  // acquire()): a refused call does not count in its windows, so its charge is taken back.
  void refund(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime admitted_at);

  // The call charged at `charged_at` (admitted, or restamped before) is being written to
  // Klaviyo now: its charge moves to the present and the new time is returned. Klaviyo counts
  // a call when it arrives, so a call that waited for a connection after admission must count
  // from then, or the calls admitted a window after it could meet it in one of Klaviyo's
  // windows. Later refund() and learn() name the returned time.
  SteadyTime restamp(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime charged_at);

  // A reply's RateLimit-* headers about `bucket` (the endpoint's own): until report.admitted_at
  // + reset, admit at most report.remaining calls minus those admitted after
  // report.admitted_at. Only ever tightens; a later report for the same window replaces it.
  // The end gets the margin too (Klaviyo counts reset from its own clock, a trip after ours);
  // an admission at exactly admitted_at other than the reported call counts as after it.
  // Waiters already planned take it into account when they next step.
  void learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
