// The shared rate buckets against a real redis-server. Redis's clock cannot be injected, so the
// checks ask with deadlines too short to wait and read the refusal's retry time, instead of
// sleeping through windows.
#include <doctest/doctest.h>

#include "server/core/server_metrics.hpp"
#include "server/rate/timer_sleeper.hpp"
#include "server/shared/rate_script.hpp"
#include "server/shared/shared_rate_limiter.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/run_task.hpp"

using namespace kmcp;
using namespace kmcp::test;
using namespace std::chrono_literals;

namespace {

const BucketRef kThreePerSecond{"get_lists", {3, 100}};
const BucketRef kDailyCapped{"create_segment", {1, 15, 100}};

RedisEndpoint endpoint_of(const std::string& url) {
  auto endpoint = parse_redis_url(url);
  REQUIRE(endpoint.has_value());
  return *endpoint;
}

// One replica: its Redis connection, its fallback and the shared limiter.
struct Replica {
  Replica(asio::io_context& io, const std::string& url, int replicas = 1)
      : redis(io.get_executor(), RedisClientOptions{.endpoint = endpoint_of(url)}),
        fallback(io.get_executor(), clock),
        sleeper(io.get_executor(), clock),
        limiter(redis, fallback, clock, sleeper,
                SharedRateOptions{.margin = 50ms, .redis_timeout = 300ms, .fallback_replicas = replicas}, &metrics) {
    metric::declare_server_metrics(metrics);
  }
  asio::awaitable<std::optional<ToolError>> acquire(BucketRef bucket, std::chrono::milliseconds within = 50ms) {
    const std::vector<BucketRef> buckets{std::move(bucket)};  // g++ 12: no braced list across co_await
    co_return co_await limiter.acquire(account, buckets, std::chrono::steady_clock::now() + within);
  }
  const std::string account = "acct";
  SystemClock clock;
  Metrics metrics;
  RedisClient redis;
  LocalRateLimiter fallback;
  TimerSleeper sleeper;
  SharedRateLimiter limiter;
};

double retry_after(const std::optional<ToolError>& refusal) {
  REQUIRE(refusal);
  REQUIRE(refusal->kind == "rate_limited");
  return refusal->details.at("retry_after_seconds").to_number<double>();
}

}  // namespace

TEST_CASE("replicas share one window: the fourth call in a second waits, whichever replica makes it") {
  RedisServer redis;
  asio::io_context io;
  Replica a(io, redis.url());
  Replica b(io, redis.url());
  CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond)));
  CHECK_FALSE(run_task(io, b.acquire(kThreePerSecond)));
  CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond)));
  const auto refused = run_task(io, b.acquire(kThreePerSecond));
  // The first admission leaves the 1.05 s window (1 s + margin) about a second from now.
  CHECK(retry_after(refused) > 0.8);
  CHECK(retry_after(refused) <= 1.1);
  CHECK(refused->details.at("limit") == "per_second");
  CHECK(a.metrics.value(metric::kRedisFallbacks, {{"use", "rate"}}) == 0);

  // Waiting (within the deadline) admits the call once the window moved on.
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(run_task(io, b.acquire(kThreePerSecond, 2s)));
  CHECK(std::chrono::steady_clock::now() - started > 700ms);
}

TEST_CASE("a call is charged to all its buckets or none") {
  RedisServer redis;
  asio::io_context io;
  Replica a(io, redis.url());
  const BucketRef one{"shared:include=lists", {1, 10}};
  CHECK_FALSE(run_task(io, a.acquire(one)));
  // Refused on `one`: `kThreePerSecond` must not be charged either.
  const auto refused = run_task(io, a.limiter.acquire("acct", {kThreePerSecond, one}, std::chrono::steady_clock::now() + 50ms));
  CHECK(retry_after(refused) > 0.8);
  CHECK(refused->details.at("bucket") == "shared:include=lists");
  for (int i = 0; i < 3; ++i) CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond)));
}

TEST_CASE("a 429's Retry-After blocks the bucket on every replica") {
  RedisServer redis;
  asio::io_context io;
  Replica a(io, redis.url());
  Replica b(io, redis.url());
  run_task(io, [&a]() -> asio::awaitable<int> {
    const std::vector<BucketRef> buckets{kThreePerSecond};
    co_await a.limiter.penalize(a.account, buckets, 2000ms);
    co_return 0;
  }());
  const auto refused = run_task(io, b.acquire(kThreePerSecond));
  CHECK(retry_after(refused) > 1.5);
  CHECK(refused->details.at("limit") == "retry_after");
}

TEST_CASE("the script is sent again when Redis's script cache lost it") {
  RedisServer redis;
  asio::io_context io;
  Replica a(io, redis.url());
  CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond)));
  REQUIRE((run_task(io, a.redis.command({"SCRIPT", "FLUSH"}, std::chrono::steady_clock::now() + 1s))).has_value());
  CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond)));
  const auto cached = run_task(io, a.redis.command({"SCRIPT", "EXISTS", RedisScript(rate_script_source()).sha1()},
                                                   std::chrono::steady_clock::now() + 1s));
  REQUIRE(cached.has_value());
  REQUIRE(cached->elements.size() == 1);
  CHECK(cached->elements[0].integer == 1);
}

TEST_CASE("without Redis a replica paces at its share of the quota, counts it, and refuses daily-capped calls") {
  RedisServer redis;
  asio::io_context io;
  Replica a(io, redis.url(), 3);
  redis.stop();
  const BucketRef nine{"get_metrics", {9, 150}};
  for (int i = 0; i < 3; ++i) CHECK_FALSE(run_task(io, a.acquire(nine)));  // 9 / 3 replicas
  const auto refused = run_task(io, a.acquire(nine));
  CHECK(retry_after(refused) > 0.8);
  CHECK(a.metrics.value(metric::kRedisFallbacks, {{"use", "rate"}}) == 4);

  const auto capped = run_task(io, a.acquire(kDailyCapped));
  REQUIRE(capped);
  CHECK(capped->kind == "rate_limited");
  CHECK(capped->message.find("daily cap") != std::string::npos);
}

TEST_CASE("a stalled Redis costs a call at most the Redis timeout before the fallback") {
  RedisServer redis;
  asio::io_context io;
  Replica a(io, redis.url(), 2);
  CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond)));  // connected
  redis.pause();
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(run_task(io, a.acquire(kThreePerSecond, 5s)));
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(a.metrics.value(metric::kRedisFallbacks, {{"use", "rate"}}) == 1);
  redis.resume();
}

TEST_CASE("the fallback's share divides every limit, never below one call") {
  const WindowLimits share = fallback_share({10, 150, 100}, 3);
  CHECK(share.per_second == 3);
  CHECK(share.per_minute == 50);
  CHECK(share.per_day == 33);
  CHECK(fallback_share({1, 15}, 4).per_second == 1);
  CHECK_FALSE(fallback_share({1, 15}, 4).per_day);
  CHECK(fallback_share({10, 150}, 1).per_second == 10);
}

TEST_CASE("a reply of another shape than the script's is an error, not a decision") {
  RedisReply error{.type = RedisReply::Type::error, .text = "ERR boom"};
  CHECK_FALSE((decode_rate_decision(error, 1)).has_value());
  RedisReply wrong{.type = RedisReply::Type::array};
  wrong.elements = {RedisReply{.type = RedisReply::Type::integer, .integer = 0},
                    RedisReply{.type = RedisReply::Type::integer, .integer = 5},
                    RedisReply{.type = RedisReply::Type::integer, .integer = 2},  // bucket 2 of 1
                    RedisReply{.type = RedisReply::Type::integer, .integer = 1}};
  CHECK_FALSE((decode_rate_decision(wrong, 1)).has_value());
  wrong.elements[2].integer = 1;
  const auto decided = decode_rate_decision(wrong, 1);
  REQUIRE(decided.has_value());
  CHECK(decided->wait == std::chrono::microseconds(5));
  CHECK(decided->cause == LimitKind::per_second);
}
