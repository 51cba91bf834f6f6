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

class RateLimiter {
 public:
  // `clock` drives the window arithmetic; waiting uses asio timers on `executor`.
  RateLimiter(asio::any_io_executor executor, const Clock& clock);
  // The same with a chosen way to wait, e.g. simulated time for tests on a ManualClock.
  RateLimiter(const Clock& clock, std::unique_ptr<Sleeper> sleeper);
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
