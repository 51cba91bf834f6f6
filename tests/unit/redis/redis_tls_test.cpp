// rediss://: the Redis client against a real redis-server that serves TLS only, with a
// certificate signed by a throwaway CA the test hands to the client (or withholds).
#include <doctest/doctest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "server/redis/redis_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/run_task.hpp"

using namespace kmcp;
using namespace kmcp::test;
using namespace std::chrono_literals;

namespace {

RedisClientOptions options_for(const std::string& url, std::string ca_file) {
  auto endpoint = parse_redis_url(url);
  REQUIRE(endpoint.has_value());
  return RedisClientOptions{
      .endpoint = *endpoint, .ca_file = std::move(ca_file), .connect_timeout = 2s, .first_backoff = 200ms};
}

asio::awaitable<RedisResult> send(RedisClient& client, std::vector<std::string> args) {
  co_return co_await client.command(std::move(args), std::chrono::steady_clock::now() + 5s);
}

// 4 coroutines at once, 25 INCRs each, on one pipelined connection: the replies they saw.
asio::awaitable<std::vector<long long>> increments(RedisClient& client) {
  using namespace asio::experimental::awaitable_operators;
  std::vector<long long> seen;
  const auto incr = [&client, &seen]() -> asio::awaitable<void> {
    for (int i = 0; i < 25; ++i) {
      std::vector<std::string> incr_counter{"INCR", "counter"};  // g++ 12: no braced list across co_await
      auto reply = co_await send(client, std::move(incr_counter));
      if (reply) seen.push_back(reply->integer);
    }
  };
  co_await (incr() && incr() && incr() && incr());
  co_return seen;
}

}  // namespace

TEST_CASE("rediss:// with the server's CA: AUTH, SELECT and pipelined commands all run over TLS") {
  RedisServer redis(RedisServer::tls, {"--requirepass", "s3cret"});
  REQUIRE(redis.url().rfind("rediss://", 0) == 0);
  asio::io_context io;
  RedisClient client(io.get_executor(), options_for(redis.url(":s3cret") + "/2", redis.ca_file()));

  auto seen = run_task(io, increments(client));
  std::sort(seen.begin(), seen.end());
  REQUIRE(seen.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(seen[i] == i + 1);

  const auto info = run_task(io, send(client, {"CLIENT", "INFO"}));
  REQUIRE(info.has_value());
  CHECK(info->text.find(" db=2 ") != std::string::npos);  // SELECT ran on connect
  const auto got = run_task(io, send(client, {"GET", "counter"}));
  REQUIRE(got.has_value());
  CHECK(got->text == "100");

  // The port speaks TLS only: a plain client to it gets no Redis at all.
  RedisClient plain(io.get_executor(), options_for("redis://:s3cret@127.0.0.1:" + std::to_string(redis.port()), ""));
  CHECK_FALSE(run_task(io, send(plain, {"PING"})).has_value());
}

TEST_CASE("rediss:// to a server whose certificate nobody vouches for fails the connect, saying it was TLS") {
  RedisServer redis(RedisServer::tls);
  asio::io_context io;
  RedisClient untrusting(io.get_executor(), options_for(redis.url(), ""));  // the system CAs only
  const auto refused = run_task(io, send(untrusting, {"PING"}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == RedisFailure::Kind::unavailable);
  CHECK_MESSAGE(refused.error().message.find("TLS handshake failed") != std::string::npos, refused.error().message);

  // The same server, trusted through its CA, answers.
  RedisClient trusting(io.get_executor(), options_for(redis.url(), redis.ca_file()));
  const auto pong = run_task(io, send(trusting, {"PING"}));
  REQUIRE(pong.has_value());
  CHECK(pong->text == "PONG");
}

TEST_CASE("rediss:// by host name: the certificate's DNS name is checked and accepted") {
  RedisServer redis(RedisServer::tls);
  asio::io_context io;
  RedisClient client(io.get_executor(),
                     options_for("rediss://localhost:" + std::to_string(redis.port()), redis.ca_file()));
  const auto pong = run_task(io, send(client, {"PING"}));
  REQUIRE_MESSAGE(pong.has_value(), pong.error().message);
  CHECK(pong->text == "PONG");
}
