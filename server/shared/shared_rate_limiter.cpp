#include "server/shared/shared_rate_limiter.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include "server/core/server_metrics.hpp"
#include "server/rate/rate_errors.hpp"
#include "server/shared/rate_script.hpp"

namespace kmcp {
namespace {

std::string random_prefix() {
  std::random_device device;
  const std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

bool cancelled(const asio::cancellation_state& state) { return state.cancelled() != asio::cancellation_type::none; }

ToolError daily_cap_unshared_error(const BucketRef& bucket) {
  json::object details;
  details["retry_after_seconds"] = 10.0;
  details["bucket"] = bucket.key;
  details["limit"] = "per_day";
  return ToolError{"rate_limited",
                   "The shared rate limits (Redis) cannot be reached, and this operation has a daily cap that "
                   "replicas cannot share safely without them, so it was not sent. Retry in a little while.",
                   std::move(details)};
}

}  // namespace

WindowLimits fallback_share(const WindowLimits& limits, int replicas) {
  const int n = std::max(1, replicas);
  const auto share = [n](int limit) { return limit <= 0 ? limit : std::max(1, limit / n); };
  WindowLimits out{share(limits.per_second), share(limits.per_minute), std::nullopt};
  if (limits.per_day) out.per_day = share(*limits.per_day);
  return out;
}

SharedRateLimiter::SharedRateLimiter(RedisClient& redis, LocalRateLimiter& fallback, const Clock& clock,
                                     Sleeper& sleeper, SharedRateOptions options, Metrics* metrics)
    : redis_(redis),
      fallback_(fallback),
      clock_(clock),
      sleeper_(sleeper),
      options_(options),
      metrics_(metrics),
      script_(rate_script_source()),
      member_prefix_(random_prefix()) {}

std::string SharedRateLimiter::next_member() { return member_prefix_ + ":" + std::to_string(++admissions_); }

std::vector<BucketRef> SharedRateLimiter::shares(const std::vector<BucketRef>& buckets) const {
  std::vector<BucketRef> out = buckets;
  for (auto& bucket : out) bucket.limits = fallback_share(bucket.limits, options_.fallback_replicas);
  return out;
}

asio::awaitable<std::optional<ToolError>> SharedRateLimiter::acquire(const std::string& account,
                                                                     const std::vector<BucketRef>& buckets,
                                                                     SteadyTime deadline) {
  const RateScriptCall call = rate_script_call(
      account, buckets, std::chrono::duration_cast<std::chrono::microseconds>(options_.margin), next_member());
  for (;;) {
    // A cancellation that came while we were not suspended would make asio throw at the next
    // co_await; as an expected outcome it is returned as a value instead.
    const asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (cancelled(state)) co_return rate_wait_cancelled_error();
    const SteadyTime now = clock_.now();
    const SteadyTime redis_deadline = std::min(deadline, std::chrono::steady_clock::now() + options_.redis_timeout);
    const auto reply = co_await script_.run(redis_, call.keys, call.args, redis_deadline);
    if (cancelled(state)) co_return rate_wait_cancelled_error();
    if (!reply) {
      const RedisFailure failure = reply.error();
      co_return co_await fall_back(account, buckets, deadline, failure.message);
    }
    const auto decision = decode_rate_decision(*reply, buckets.size());
    if (!decision) co_return co_await fall_back(account, buckets, deadline, decision.error());
    if (decision->admitted) co_return std::nullopt;

    const BucketRef& holding = buckets[decision->bucket];
    const Holdup holdup{now + decision->wait, decision->cause, holding.key, holding.limits};
    if (holdup.until > deadline) co_return rate_limited_error(holdup, now);
    if (const auto ec = co_await sleeper_.sleep_until(holdup.until)) co_return rate_wait_cancelled_error();
  }
}

asio::awaitable<std::optional<ToolError>> SharedRateLimiter::fall_back(const std::string& account,
                                                                       const std::vector<BucketRef>& buckets,
                                                                       SteadyTime deadline, const std::string& why) {
  (void)why;  // the Redis client's failures are alike for every call; the metric counts them
  if (metrics_) metrics_->add(metric::kRedisFallbacks, {{"use", "rate"}});
  for (const auto& bucket : buckets)
    if (bucket.limits.per_day) co_return daily_cap_unshared_error(bucket);
  co_return co_await fallback_.acquire(account, shares(buckets), deadline);
}

asio::awaitable<void> SharedRateLimiter::penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                                  std::chrono::milliseconds retry_after) {
  fallback_.block(account, shares(buckets), retry_after);
  if (retry_after.count() <= 0) co_return;
  const SteadyTime deadline = std::chrono::steady_clock::now() + options_.redis_timeout;
  for (const auto& bucket : buckets) {
    // Best effort: without Redis the fallback's block above still holds this replica back.
    std::vector<std::string> block{"SET", rate_key(account, bucket.key, "block"), "1", "PX",
                                   std::to_string(retry_after.count())};
    const auto done = co_await redis_.command(std::move(block), deadline);
    if (!done) break;
  }
}

void SharedRateLimiter::refund(const std::string& account, const std::vector<BucketRef>& buckets,
                               SteadyTime admitted_at) {
  fallback_.refund(account, shares(buckets), admitted_at);
}

SteadyTime SharedRateLimiter::restamp(const std::string& account, const std::vector<BucketRef>& buckets,
                                      SteadyTime charged_at) {
  return fallback_.restamp(account, shares(buckets), charged_at);
}

void SharedRateLimiter::learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) {
  BucketRef share = bucket;
  share.limits = fallback_share(bucket.limits, options_.fallback_replicas);
  fallback_.learn(account, share, report);
}

}  // namespace kmcp
