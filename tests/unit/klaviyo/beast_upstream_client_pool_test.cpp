// BeastUpstreamClient's connection pool: the bound on connections open at once, the line of
// calls waiting for one, and connections that must never be reused.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/fake_upstream.hpp"
#include "tests/unit/klaviyo/client_harness.hpp"
#include "tests/unit/klaviyo/raw_upstream.hpp"

namespace kmcp::test {
namespace {

SteadyTime in(std::chrono::milliseconds span) { return std::chrono::steady_clock::now() + span; }

UpstreamOptions one_connection(const FakeUpstream& fake) {
  UpstreamOptions options = options_for(fake);
  options.max_connections = 1;
  return options;
}

// A first call the fake holds for 30 s, so the only connection stays busy until it is cancelled.
ScriptedResponse held_response() {
  ScriptedResponse held = ScriptedResponse::json(200, "{}");
  held.delay = 30s;
  return held;
}

std::vector<std::string> paths(const FakeUpstream& fake) {
  std::vector<std::string> seen;
  for (const auto& request : fake.requests()) seen.push_back(request.path);
  return seen;
}

UpstreamResult result_of(std::future<UpstreamResult>& call) {
  REQUIRE(call.wait_for(10s) == std::future_status::ready);
  return call.get();
}

// One connection allowed, kept busy by a first call the fake holds, until end_first() cancels
// that call (which closes its connection and frees the slot).
struct BusyConnection {
  BusyConnection() {
    fake.enqueue(held_response());
    first = harness.start(get_request("/api/first"), in(60s), &cancel_first);
    REQUIRE(fake.wait_for_requests(1, 5s));
  }
  UpstreamResult end_first() {
    harness.emit(cancel_first);
    return result_of(first);
  }

  FakeUpstream fake;
  ClientHarness harness{one_connection(fake)};
  asio::cancellation_signal cancel_first;
  std::future<UpstreamResult> first;
};

}  // namespace

TEST_CASE("three times max_connections concurrent calls never open more than max_connections") {
  FakeUpstream fake;
  fake.set_handler([](const RecordedRequest&) {
    ScriptedResponse slow = ScriptedResponse::json(200, "{}");
    slow.delay = 100ms;  // keeps connections busy while the other calls arrive
    return slow;
  });
  UpstreamOptions options = options_for(fake);
  options.max_connections = 3;
  ClientHarness harness(options, 2);

  std::vector<std::future<UpstreamResult>> calls;
  for (int i = 0; i < 9; ++i) calls.push_back(harness.start(get_request("/api/n" + std::to_string(i)), in(20s)));
  for (auto& call : calls) {
    const auto result = result_of(call);
    REQUIRE(result.has_value());
    CHECK(result->status == 200);
  }

  CHECK(fake.requests().size() == 9);
  // Every response keeps its connection alive, so none closes and the fake's count is exact.
  CHECK(fake.peak_open_connections() <= 3);
  CHECK(fake.connections_accepted() <= 3);
  const auto stats = harness.client().pool_stats();
  CHECK(stats.busy == 0);
  CHECK(stats.waiting == 0);
  CHECK(stats.idle == fake.connections_accepted());
}

TEST_CASE_FIXTURE(BusyConnection, "calls waiting for a connection are served first come first served") {
  std::vector<std::future<UpstreamResult>> line;
  for (const char* path : {"/api/a", "/api/b", "/api/c"}) line.push_back(harness.start(get_request(path), in(20s)));
  REQUIRE(harness.wait_for_pool([](const UpstreamPoolStats& stats) { return stats.waiting == 3; }));
  CHECK(fake.requests().size() == 1);

  CHECK(end_first().error().kind == UpstreamFailure::Kind::cancelled);
  for (auto& call : line) CHECK(result_of(call).has_value());
  CHECK(paths(fake) == std::vector<std::string>{"/api/first", "/api/a", "/api/b", "/api/c"});
  CHECK(harness.client().pool_stats().waiting == 0);
}

TEST_CASE_FIXTURE(BusyConnection,
                  "a call still waiting for a connection at its deadline times out, not sent, and takes nothing") {
  auto late = harness.start(get_request("/api/late"), in(200ms));
  const auto result = result_of(late);
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::timeout);
  CHECK_FALSE(result.error().maybe_sent);
  CHECK(result.error().message.find("no connection to 127.0.0.1:") != std::string::npos);
  CHECK(harness.client().pool_stats().waiting == 0);

  CHECK(end_first().has_error());
  REQUIRE(harness.send(get_request("/api/next")).has_value());
  CHECK(paths(fake) == std::vector<std::string>{"/api/first", "/api/next"});
}

TEST_CASE_FIXTURE(BusyConnection, "a call cancelled while waiting for a connection leaves the line, not sent") {
  asio::cancellation_signal cancel_second;
  auto second = harness.start(get_request("/api/second"), in(20s), &cancel_second);
  auto third = harness.start(get_request("/api/third"), in(20s));
  REQUIRE(harness.wait_for_pool([](const UpstreamPoolStats& stats) { return stats.waiting == 2; }));

  harness.emit(cancel_second);
  const auto cancelled = result_of(second);
  REQUIRE(cancelled.has_error());
  CHECK(cancelled.error().kind == UpstreamFailure::Kind::cancelled);
  CHECK_FALSE(cancelled.error().maybe_sent);
  CHECK(harness.client().pool_stats().waiting == 1);

  CHECK(end_first().has_error());
  CHECK(result_of(third).has_value());
  CHECK(paths(fake) == std::vector<std::string>{"/api/first", "/api/third"});
}

// With one connection allowed, a broken connection that stayed pooled or kept its slot would
// make the next call fail or wait out its deadline.
TEST_CASE("a connection that failed or cannot be reused is closed and frees its slot") {
  FakeUpstream fake;
  UpstreamOptions options = one_connection(fake);
  options.max_response_bytes = 64;
  ClientHarness harness(options);

  SUBCASE("reset by the server") {
    ScriptedResponse drop;
    drop.reset_connection = true;
    fake.enqueue(drop);
    CHECK(harness.send(get_request("/api/broken")).error().kind == UpstreamFailure::Kind::reset);
  }
  SUBCASE("timed out waiting for the response") {
    ScriptedResponse slow = ScriptedResponse::json(200, "{}");
    slow.delay = 2s;
    fake.enqueue(slow);
    CHECK(harness.send(get_request("/api/broken"), 200ms).error().kind == UpstreamFailure::Kind::timeout);
  }
  SUBCASE("cancelled waiting for the response") {
    fake.enqueue(held_response());
    asio::cancellation_signal cancel;
    auto call = harness.start(get_request("/api/broken"), in(20s), &cancel);
    REQUIRE(fake.wait_for_requests(1, 5s));
    harness.emit(cancel);
    CHECK(result_of(call).error().kind == UpstreamFailure::Kind::cancelled);
  }
  SUBCASE("answered with Connection: close") {
    ScriptedResponse closing = ScriptedResponse::json(200, "{}");
    closing.headers.emplace_back("Connection", "close");
    fake.enqueue(closing);
    CHECK(harness.send(get_request("/api/broken")).has_value());
  }
  SUBCASE("a body over max_response_bytes, left unread") {
    fake.enqueue(ScriptedResponse::json(200, std::string(1000, 'x')));
    CHECK(harness.send(get_request("/api/broken")).error().kind == UpstreamFailure::Kind::protocol);
  }

  const auto next = harness.send(get_request("/api/next"));
  REQUIRE(next.has_value());
  CHECK(next->status == 200);
  CHECK(fake.connections_accepted() == 2);
  CHECK(fake.requests().back().path == "/api/next");
  CHECK(harness.client().pool_stats().busy == 0);
}

TEST_CASE("a connection whose response was cut short, ran past it or ended at EOF is not reused") {
  std::vector<RawReply> first;
  SUBCASE("body cut short") {
    first.push_back({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"", true});
  }
  SUBCASE("bytes after the response") {
    first.push_back({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 204 No Content\r\n\r\n", false});
  }
  SUBCASE("body delimited by EOF") {
    first.push_back({"HTTP/1.1 200 OK\r\n\r\n{}", true});
  }
  RawUpstream raw(first);
  UpstreamOptions options;
  options.base_url = raw.base_url();
  options.max_connections = 1;
  ClientHarness harness(options);

  harness.send(get_request("/api/first"));  // a failure or not, depending on the case
  const auto next = harness.send(get_request("/api/next"));
  REQUIRE(next.has_value());
  CHECK(next->status == 200);
  CHECK(raw.requests_seen() == 2);
  CHECK(raw.connections_accepted() == 2);
}

TEST_CASE("max_connections 0 is a startup error") {
  UpstreamOptions options;
  options.base_url = "http://127.0.0.1:1";
  options.max_connections = 0;
  asio::io_context io;
  CHECK_THROWS_AS(BeastUpstreamClient(io.get_executor(), options), std::runtime_error);
}

}  // namespace kmcp::test
