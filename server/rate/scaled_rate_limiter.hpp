#pragma once
// --rate-limit-scale: Klaviyo's published limits times a factor, for accounts whose limits
// differ from the published ones (a raised quota: > 1; a key shared with other clients: < 1),
// and, at 0, no pacing of our own at all: a benchmark against an upstream that answers at once
// measures the server, not Klaviyo's quota. At 0 the RateLimit-* headers are not paced to
// either, but at any factor a 429 still blocks the bucket until Retry-After: the inner limiter
// keeps doing that with unenforced windows.
#include "server/rate/rate_limiter.hpp"

namespace kmcp {

class ScaledRateLimiter final : public RateLimiter {
 public:
  // `factor` in [0, 10]; `inner` paces the scaled limits.
  ScaledRateLimiter(RateLimiter& inner, double factor);

  asio::awaitable<std::optional<ToolError>> acquire(const std::string& account, const std::vector<BucketRef>& buckets,
                                                    SteadyTime deadline) override;
  asio::awaitable<void> penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                 std::chrono::milliseconds retry_after) override;
  void refund(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime admitted_at) override;
  SteadyTime restamp(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime charged_at) override;
  void learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) override;

  // Each window's limit times the factor, never below 1 call; at factor 0 every limit is 0,
  // which both limiters read as a window they do not enforce.
  static WindowLimits scale(const WindowLimits& limits, double factor);

 private:
  std::vector<BucketRef> scaled(const std::vector<BucketRef>& buckets) const;

  RateLimiter& inner_;
  double factor_;
};

}  // namespace kmcp
