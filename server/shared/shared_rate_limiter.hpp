#pragma once
// The rate limiter of replicas that share an account's quota: the buckets live in Redis (see
// rate_script.hpp), so calls spread over any number of replicas are paced as one.
//
// When Redis is slow or down (a command not answered within `redis_timeout`, or refused), the
// call is paced by a local limiter at 1/N of each limit for N replicas, so that together they
// stay within the quota; Klaviyo's 429s are still honoured there. A call with a daily-capped
// bucket is refused instead: a day's cap cannot be split safely across replicas blind to one
// another. Each call that falls back is counted (kmcp_redis_fallbacks_total{use="rate"}).
//
// The other operations in the shared mode:
// - penalize (a 429's Retry-After): a block key with that TTL, seen by every replica, and the
//   local fallback's buckets blocked too.
// - refund: the shared windows keep the refused call's charge (it cannot be named after the
//   fact without a round trip per call); that errs on the slow side by one slot per 429.
// - restamp: the shared charge stays at its admission on Redis's clock; the margin covers the
//   usual gap to the write. Fallback charges are restamped as in one process.
// - learn (RateLimit-* headers): tightens the fallback only.
#include <atomic>
#include <chrono>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/metrics.hpp"
#include "server/rate/local_rate_limiter.hpp"
#include "server/rate/sleeper.hpp"
#include "server/redis/redis_client.hpp"
#include "server/shared/redis_script.hpp"

namespace kmcp {

struct SharedRateOptions {
  std::chrono::milliseconds margin{50};          // as RateLimiterOptions::margin
  std::chrono::milliseconds redis_timeout{250};  // one script run; past it the call falls back
  int fallback_replicas = 1;                     // N: the fallback allows 1/N of each limit
};

class SharedRateLimiter final : public RateLimiter {
 public:
  // `fallback` paces calls while Redis is unavailable; it is given the limits already divided.
  SharedRateLimiter(RedisClient& redis, LocalRateLimiter& fallback, const Clock& clock, Sleeper& sleeper,
                    SharedRateOptions options, Metrics* metrics = nullptr);

  asio::awaitable<std::optional<ToolError>> acquire(const std::string& account, const std::vector<BucketRef>& buckets,
                                                    SteadyTime deadline) override;
  asio::awaitable<void> penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                 std::chrono::milliseconds retry_after) override;
  void refund(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime admitted_at) override;
  SteadyTime restamp(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime charged_at) override;
  void learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) override;

 private:
  asio::awaitable<std::optional<ToolError>> fall_back(const std::string& account, const std::vector<BucketRef>& buckets,
                                                      SteadyTime deadline, const std::string& why);
  std::vector<BucketRef> shares(const std::vector<BucketRef>& buckets) const;
  std::string next_member();

  RedisClient& redis_;
  LocalRateLimiter& fallback_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const SharedRateOptions options_;
  Metrics* metrics_;
  const RedisScript script_;
  const std::string member_prefix_;  // unique to this process: admissions' names never collide
  std::atomic<std::uint64_t> admissions_{0};
};

// The fallback's share of `limits` for `replicas` replicas: each limit divided, rounded down,
// but at least 1 so that every call can still go.
WindowLimits fallback_share(const WindowLimits& limits, int replicas);

}  // namespace kmcp
