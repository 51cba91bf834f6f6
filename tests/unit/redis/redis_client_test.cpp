// The Redis client against a real redis-server the test starts, and against fakes that accept a
// connection and then stall or hang up.
#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "server/redis/redis_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/run_task.hpp"

using namespace kmcp;
using namespace kmcp::test;
using namespace std::chrono_literals;

namespace {

RedisClientOptions options_for(const std::string& url) {
  auto endpoint = parse_redis_url(url);
  REQUIRE(endpoint.has_value());
  return RedisClientOptions{.endpoint = *endpoint, .connect_timeout = 500ms, .first_backoff = 200ms};
}

SteadyTime in(std::chrono::milliseconds span) { return std::chrono::steady_clock::now() + span; }

asio::awaitable<RedisResult> send(RedisClient& client, std::vector<std::string> args,
                                  std::chrono::milliseconds deadline = 2s) {
  co_return co_await client.command(std::move(args), in(deadline));
}

// Accepts connections on a loopback port and keeps them open without a word (`close`: hangs up
// at once instead).
struct SilentServer {
  SilentServer(asio::io_context& io, bool close) : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept(close);
  }
  void accept(bool close) {
    acceptor.async_accept([this, close](boost::system::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      if (!close) held.push_back(std::move(socket));
      accept(close);
    });
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()); }
  asio::ip::tcp::acceptor acceptor;
  std::vector<asio::ip::tcp::socket> held;
};

}  // namespace

TEST_CASE("commands from many coroutines at once are pipelined on one connection, each with its reply") {
  RedisServer redis;
  asio::io_context io;
  RedisClient client(io.get_executor(), options_for(redis.url()));

  const auto many = [&client]() -> asio::awaitable<std::vector<long long>> {
    using namespace asio::experimental::awaitable_operators;
    std::vector<long long> seen;
    const auto incr = [&client, &seen]() -> asio::awaitable<void> {
      for (int i = 0; i < 25; ++i) {
        std::vector<std::string> incr_counter{"INCR", "counter"};  // g++ 12: no braced list across co_await
        auto reply = co_await client.command(std::move(incr_counter), in(2s));
        if (reply) seen.push_back(reply->integer);
      }
    };
    co_await (incr() && incr() && incr() && incr());
    co_return seen;
  };
  auto seen = run_task(io, many());
  std::sort(seen.begin(), seen.end());
  REQUIRE(seen.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(seen[i] == i + 1);  // every reply went to its own command

  const auto got = run_task(io, send(client, {"GET", "counter"}));
  REQUIRE(got.has_value());
  CHECK(got->text == "100");
  const auto missing = run_task(io, send(client, {"GET", "nothing here"}));
  REQUIRE(missing.has_value());
  CHECK(missing->type == RedisReply::Type::nil);
  const auto refused = run_task(io, send(client, {"NOSUCHCOMMAND"}));
  REQUIRE(refused.has_value());  // an error reply is a reply
  CHECK(refused->is_error());
}

TEST_CASE("AUTH and SELECT run on connect; a wrong password is a failure that says so") {
  RedisServer redis({"--requirepass", "s3cret"});
  asio::io_context io;
  RedisClient good(io.get_executor(), options_for(redis.url(":s3cret") + "/3"));
  const auto info = run_task(io, send(good, {"CLIENT", "INFO"}));
  REQUIRE(info.has_value());
  CHECK(info->text.find(" db=3 ") != std::string::npos);

  RedisClient bad(io.get_executor(), options_for(redis.url(":wrong")));
  const auto denied = run_task(io, send(bad, {"PING"}));
  REQUIRE_FALSE(denied.has_value());
  CHECK(denied.error().kind == RedisFailure::Kind::unavailable);
  CHECK(denied.error().message.find("AUTH refused") != std::string::npos);
  CHECK(denied.error().message.find("wrong") == std::string::npos);

  RedisClient none(io.get_executor(), options_for(redis.url()));
  const auto unauthenticated = run_task(io, send(none, {"GET", "x"}));
  REQUIRE(unauthenticated.has_value());
  CHECK(unauthenticated->error_code() == "NOAUTH");
}

TEST_CASE("a server that stalls makes a command fail at its deadline, and the next fail at once") {
  asio::io_context io;
  SilentServer stalled(io, false);
  RedisClient client(io.get_executor(), options_for(stalled.url()));
  const auto started = std::chrono::steady_clock::now();
  const auto late = run_task(io, send(client, {"PING"}, 300ms));
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(late.has_value());
  CHECK(late.error().kind == RedisFailure::Kind::timeout);
  CHECK(took >= 290ms);
  CHECK(took < 1500ms);

  const auto again_started = std::chrono::steady_clock::now();
  const auto again = run_task(io, send(client, {"PING"}, 300ms));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().kind == RedisFailure::Kind::unavailable);
  CHECK(std::chrono::steady_clock::now() - again_started < 100ms);
}

TEST_CASE("a server that hangs up fails the command; within the backoff the next fails without waiting") {
  asio::io_context io;
  SilentServer closing(io, true);
  RedisClient client(io.get_executor(), options_for(closing.url()));
  const auto first = run_task(io, send(client, {"PING"}));
  REQUIRE_FALSE(first.has_value());
  CHECK(first.error().kind == RedisFailure::Kind::unavailable);

  RedisClient nobody(io.get_executor(), options_for("redis://127.0.0.1:" + std::to_string(free_loopback_port())));
  const auto refused = run_task(io, send(nobody, {"PING"}));
  REQUIRE_FALSE(refused.has_value());
  const auto started = std::chrono::steady_clock::now();
  const auto again = run_task(io, send(nobody, {"PING"}));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().message.find("next try") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 50ms);
}

TEST_CASE("a Redis that restarts is reconnected to after the backoff") {
  RedisServer redis;
  asio::io_context io;
  RedisClient client(io.get_executor(), options_for(redis.url()));
  REQUIRE((run_task(io, send(client, {"SET", "k", "v"}))).has_value());
  redis.stop();
  CHECK_FALSE((run_task(io, send(client, {"GET", "k"}))).has_value());
  redis.start();
  const auto until = std::chrono::steady_clock::now() + 5s;
  bool back = false;
  while (!back && std::chrono::steady_clock::now() < until) {
    back = static_cast<bool>(run_task(io, send(client, {"PING"})));
    if (!back) run_task(io, [&io]() -> asio::awaitable<int> {
      asio::steady_timer pause(io, 100ms);
      co_await pause.async_wait(asio::use_awaitable);
      co_return 0;
    }());
  }
  CHECK(back);
}

TEST_CASE("cancelling the awaiting coroutine ends a command at once") {
  asio::io_context io;
  SilentServer stalled(io, false);
  RedisClient client(io.get_executor(), options_for(stalled.url()));
  asio::cancellation_signal cancel;
  std::optional<RedisResult> outcome;
  asio::co_spawn(io, client.command({"PING"}, in(10s)),
                 asio::bind_cancellation_slot(cancel.slot(), [&outcome](std::exception_ptr e, RedisResult r) {
                   if (!e) outcome.emplace(std::move(r));
                 }));
  const auto started = std::chrono::steady_clock::now();
  asio::steady_timer soon(io, 200ms);
  soon.async_wait([&cancel](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
  while (!outcome && std::chrono::steady_clock::now() - started < 5s) io.run_one_for(50ms);
  REQUIRE(outcome);
  REQUIRE_FALSE(outcome->has_value());
  CHECK(outcome->error().kind == RedisFailure::Kind::cancelled);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}
