// Confirmation tokens and session records shared through a real redis-server: what one replica
// stores, another finds, and single use stays single use.
#include <doctest/doctest.h>

#include "server/core/server_metrics.hpp"
#include "server/shared/redis_confirmation_store.hpp"
#include "server/shared/redis_session_directory.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/run_task.hpp"

using namespace kmcp;
using namespace kmcp::test;
using namespace std::chrono_literals;

namespace {

using Redeemed = ConfirmationTokens::Redeemed;

RedisClientOptions options_for(const std::string& url) {
  auto endpoint = parse_redis_url(url);
  REQUIRE(endpoint.has_value());
  return RedisClientOptions{.endpoint = *endpoint};
}

struct TokenReplica {
  TokenReplica(asio::io_context& io, const std::string& url)
      : redis(io.get_executor(), options_for(url)), fallback(clock, random), store(redis, fallback, random, 300ms, &metrics) {
    metric::declare_server_metrics(metrics);
  }
  SystemClock clock;
  SystemRandom random;
  Metrics metrics;
  RedisClient redis;
  ConfirmationTokens fallback;
  RedisConfirmationStore store;
};

}  // namespace

TEST_CASE("a token issued by one replica is honoured once by another, and only for its call") {
  RedisServer redis;
  asio::io_context io;
  TokenReplica a(io, redis.url());
  TokenReplica b(io, redis.url());
  const std::string token = run_task(io, a.store.issue("delete_list\nacct\n{\"list_id\":\"L1\"}"));
  CHECK(a.fallback.size() == 0);  // kept in Redis only, so no replica can redeem it twice
  CHECK(run_task(io, b.store.redeem(token, "delete_list\nacct\n{\"list_id\":\"L1\"}")) == Redeemed::ok);
  CHECK(run_task(io, a.store.redeem(token, "delete_list\nacct\n{\"list_id\":\"L1\"}")) == Redeemed::unknown);

  const std::string other = run_task(io, a.store.issue("delete_list\nacct\n{\"list_id\":\"L1\"}"));
  CHECK(run_task(io, b.store.redeem(other, "delete_list\nacct\n{\"list_id\":\"L2\"}")) == Redeemed::mismatch);
  CHECK(run_task(io, a.store.redeem(other, "delete_list\nacct\n{\"list_id\":\"L1\"}")) == Redeemed::unknown);

  const auto ttl = run_task(io, a.redis.command({"PTTL", "kmcp:confirm:" + run_task(io, a.store.issue("x"))},
                                                std::chrono::steady_clock::now() + 1s));
  REQUIRE(ttl.has_value());
  CHECK(ttl->integer > 290'000);
  CHECK(ttl->integer <= 300'000);
  CHECK(a.metrics.value(metric::kRedisFallbacks, {{"use", "confirmation"}}) == 0);
}

TEST_CASE("without Redis tokens are issued and redeemed on the issuing replica alone") {
  RedisServer redis;
  asio::io_context io;
  TokenReplica a(io, redis.url());
  redis.stop();
  const std::string token = run_task(io, a.store.issue("b"));
  CHECK(a.fallback.size() == 1);
  CHECK(run_task(io, a.store.redeem(token, "b")) == Redeemed::ok);
  CHECK(run_task(io, a.store.redeem(token, "b")) == Redeemed::unknown);
  CHECK(a.metrics.value(metric::kRedisFallbacks, {{"use", "confirmation"}}) == 3);
}

TEST_CASE("a session record published by one replica is found by another until it is forgotten") {
  RedisServer redis;
  asio::io_context io;
  RedisClient redis_a(io.get_executor(), options_for(redis.url()));
  RedisClient redis_b(io.get_executor(), options_for(redis.url()));
  RedisSessionDirectory a(redis_a, 60s, 300ms);
  RedisSessionDirectory b(redis_b, 60s, 300ms);

  SessionRecord record{.id = "s-1",
                       .owner = "team",
                       .protocol_version = "2025-11-25",
                       .initialized = true,
                       .client_info = {{"name", "test"}},
                       .client_capabilities = {{"elicitation", json::object{}}},
                       .log_level = LogLevel::warning,
                       .narrowing = {{"target", "/mcp?toolsets=lists"}}};
  CHECK(run_task(io, a.publish(record, true)));
  const auto found = run_task(io, b.lookup("s-1"));
  REQUIRE(found);
  CHECK(json::serialize(to_json(*found)) == json::serialize(to_json(record)));
  CHECK_FALSE(run_task(io, b.lookup("s-2")));

  run_task(io, [&b]() -> asio::awaitable<int> {
    co_await b.forget("s-1");
    co_return 0;
  }());
  CHECK_FALSE(run_task(io, a.lookup("s-1")));
  CHECK_FALSE(run_task(io, a.publish(record, false)));  // ended elsewhere: not brought back
  CHECK_FALSE(run_task(io, b.lookup("s-1")));
}
