#pragma once
// Per-account, per-endpoint pacing within one process (see RateLimiter).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/rate/rate_limiter.hpp"
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

// The limiter of one process: every window kept in memory, waiters in arrival order.
class LocalRateLimiter final : public RateLimiter {
 public:
  // `clock` drives the window arithmetic; waiting uses asio timers on `executor`.
  LocalRateLimiter(asio::any_io_executor executor, const Clock& clock, RateLimiterOptions options = {});
  // The same with a chosen way to wait, e.g. simulated time for tests on a ManualClock.
  LocalRateLimiter(const Clock& clock, std::unique_ptr<Sleeper> sleeper, RateLimiterOptions options = {});
  ~LocalRateLimiter() override;
  LocalRateLimiter(const LocalRateLimiter&) = delete;
  LocalRateLimiter& operator=(const LocalRateLimiter&) = delete;

  // See RateLimiter. Waiters keep their arrival order: a later call only goes first when it
  // delays none of them. Should the clock not move across a wait (a ManualClock with real
  // timers), the call is refused rather than waiting forever.
  asio::awaitable<std::optional<ToolError>> acquire(const std::string& account, const std::vector<BucketRef>& buckets,
                                                    SteadyTime deadline) override;
  asio::awaitable<void> penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                 std::chrono::milliseconds retry_after) override;
  void refund(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime admitted_at) override;
  SteadyTime restamp(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime charged_at) override;
  // The end of a report's window gets the margin too (Klaviyo counts reset from its own clock,
  // a trip after ours); an admission at exactly admitted_at other than the reported call counts
  // as after it. Waiters already planned take it into account when they next step.
  void learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) override;

  // What penalize() does, without awaiting: nobody draws from these buckets for `retry_after`.
  void block(const std::string& account, const std::vector<BucketRef>& buckets, std::chrono::milliseconds retry_after);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
