#pragma once
// Per-account, per-endpoint pacing as the pipeline sees it. A call draws one unit from every
// bucket it names, all or nothing, waiting (asynchronously, within its deadline) until every
// window admits it. Two implementations: LocalRateLimiter (one process) and, for replicas that
// share an account's quota, a Redis-backed one (server/shared), chosen in the composition root.
#include <optional>
#include <string>
#include <vector>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/rate/rate_limits.hpp"

namespace kmcp {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  // Waits until every bucket of `account` in `buckets` admits one more call, then charges them
  // all. If that moment lies past `deadline` (as when a daily cap is spent), returns a ToolError of
  // kind "rate_limited" whose details carry "retry_after_seconds" (a number). Cancellation of
  // the awaiting coroutine (asio cancellation slot) ends the wait with kind "cancelled" and
  // charges nothing.
  virtual asio::awaitable<std::optional<ToolError>> acquire(const std::string& account,
                                                            const std::vector<BucketRef>& buckets,
                                                            SteadyTime deadline) = 0;

  // Klaviyo answered 429 with Retry-After: nobody draws from these buckets before then.
  virtual asio::awaitable<void> penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                         std::chrono::milliseconds retry_after) = 0;

  // Klaviyo refused (429) the call admitted at `admitted_at` (the clock read right after
  // acquire()): a refused call does not count in its windows, so its charge is taken back.
  virtual void refund(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime admitted_at) = 0;

  // The call charged at `charged_at` (admitted, or restamped before) is being written to
  // Klaviyo now: its charge moves to the present and the new time is returned. Klaviyo counts
  // a call when it arrives, so a call that waited for a connection after admission must count
  // from then, or the calls admitted a window after it could meet it in one of Klaviyo's
  // windows. Later refund() and learn() name the returned time.
  virtual SteadyTime restamp(const std::string& account, const std::vector<BucketRef>& buckets,
                             SteadyTime charged_at) = 0;

  // A reply's RateLimit-* headers about `bucket` (the endpoint's own): until report.admitted_at
  // + reset, admit at most report.remaining calls minus those admitted after
  // report.admitted_at. Only ever tightens; a later report for the same window replaces it.
  virtual void learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) = 0;
};

}  // namespace kmcp
