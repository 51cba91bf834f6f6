#include "server/rate/scaled_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace kmcp {

ScaledRateLimiter::ScaledRateLimiter(RateLimiter& inner, double factor) : inner_(inner), factor_(factor) {}

WindowLimits ScaledRateLimiter::scale(const WindowLimits& limits, double factor) {
  const auto times = [factor](int limit) {
    if (factor == 0) return 0;
    return std::max(1, static_cast<int>(std::floor(limit * factor)));
  };
  WindowLimits out{.per_second = times(limits.per_second), .per_minute = times(limits.per_minute)};
  if (limits.per_day && factor != 0) out.per_day = times(*limits.per_day);
  return out;
}

std::vector<BucketRef> ScaledRateLimiter::scaled(const std::vector<BucketRef>& buckets) const {
  std::vector<BucketRef> out;
  out.reserve(buckets.size());
  for (const auto& bucket : buckets) out.push_back(BucketRef{.key = bucket.key, .limits = scale(bucket.limits, factor_)});
  return out;
}

asio::awaitable<std::optional<ToolError>> ScaledRateLimiter::acquire(const std::string& account,
                                                                     const std::vector<BucketRef>& buckets,
                                                                     SteadyTime deadline) {
  const auto limits = scaled(buckets);
  co_return co_await inner_.acquire(account, limits, deadline);
}

asio::awaitable<void> ScaledRateLimiter::penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                                  std::chrono::milliseconds retry_after) {
  const auto limits = scaled(buckets);
  co_await inner_.penalize(account, limits, retry_after);
}

void ScaledRateLimiter::refund(const std::string& account, const std::vector<BucketRef>& buckets,
                               SteadyTime admitted_at) {
  inner_.refund(account, scaled(buckets), admitted_at);
}

SteadyTime ScaledRateLimiter::restamp(const std::string& account, const std::vector<BucketRef>& buckets,
                                      SteadyTime charged_at) {
  return inner_.restamp(account, scaled(buckets), charged_at);
}

void ScaledRateLimiter::learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) {
  // Pacing to RateLimit-Remaining is pacing too; with ours off, only a 429 holds calls back.
  if (factor_ == 0) return;
  inner_.learn(account, BucketRef{.key = bucket.key, .limits = scale(bucket.limits, factor_)}, report);
}

}  // namespace kmcp
