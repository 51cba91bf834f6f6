// BeastUpstreamClient over plain HTTP against the loopback FakeUpstream.
#include <doctest/doctest.h>

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "tests/support/fake_upstream.hpp"
#include "tests/unit/klaviyo/client_harness.hpp"

namespace kmcp::test {
namespace {

namespace http = boost::beast::http;

// A port nothing listens on: bound once by us, then released.
unsigned short closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

TEST_CASE("a request arrives intact and the response comes back whole") {
  FakeUpstream fake;
  ScriptedResponse scripted = ScriptedResponse::json(201, R"({"data":{"id":"L1"}})");
  scripted.headers.emplace_back("RateLimit-Remaining", "74");
  fake.enqueue(scripted);
  ClientHarness harness(options_for(fake));

  UpstreamRequest request;
  request.method = http::verb::post;
  request.target = "/api/lists?fields%5Blist%5D=name,created";
  request.headers = {{"Authorization", "Klaviyo-API-Key pk_test"},
                     {"revision", "2026-07-15"},
                     {"Content-Type", "application/vnd.api+json"}};
  request.body = R"({"data":{"type":"list","attributes":{"name":"VIP"}}})";
  const UpstreamResult result = harness.send(request);

  REQUIRE(result.has_value());
  CHECK(result->status == 201);
  CHECK(result->body == R"({"data":{"id":"L1"}})");
  CHECK(result->headers["RateLimit-Remaining"] == "74");
  CHECK(result->headers[http::field::content_type] == "application/vnd.api+json");

  const auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  const RecordedRequest& seen = requests.front();
  CHECK(seen.method == "POST");
  CHECK(seen.target == "/api/lists?fields%5Blist%5D=name,created");
  CHECK(seen.path == "/api/lists");
  CHECK(seen.query_value("fields[list]") == "name,created");
  CHECK(seen.header("authorization") == "Klaviyo-API-Key pk_test");
  CHECK(seen.header("revision") == "2026-07-15");
  CHECK(seen.header("content-type") == "application/vnd.api+json");
  CHECK(seen.header("content-length") == std::to_string(request.body.size()));
  CHECK(seen.header("host") == "127.0.0.1:" + std::to_string(fake.port()));
  CHECK(seen.body == request.body);
}

TEST_CASE("the fake decodes queries, answers scripts before the handler, and clears") {
  FakeUpstream fake;
  fake.set_handler([](const RecordedRequest& request) {
    return ScriptedResponse::json(200, "handled " + request.path);
  });
  fake.enqueue(ScriptedResponse::json(202, "first"));
  fake.enqueue(ScriptedResponse::json(203, "second"));
  ClientHarness harness(options_for(fake));

  const auto first = harness.send(get_request(
      "/api/profiles?filter=equals(email%2C%22a%2Bb%40x.com%22)&page%5Bsize%5D=20&note=a+b&flag&page%5Bsize%5D=5"));
  const auto second = harness.send(get_request("/api/b"));
  const auto third = harness.send(get_request("/api/c%20d"));
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  REQUIRE(third.has_value());
  CHECK(first->status == 202);
  CHECK(second->body == "second");
  CHECK(third->body == "handled /api/c d");

  const RecordedRequest seen = fake.requests().front();
  CHECK(seen.path == "/api/profiles");
  CHECK(seen.query_value("filter") == R"(equals(email,"a+b@x.com"))");
  CHECK(seen.query.count("page[size]") == 2);
  CHECK(seen.query_value("page[size]") == "20");
  CHECK(seen.query_value("note") == "a b");
  CHECK(seen.query.count("flag") == 1);

  fake.clear();
  CHECK(fake.requests().empty());
  CHECK_FALSE(fake.wait_for_requests(1, 20ms));
}

TEST_CASE("sequential calls reuse one keep-alive connection") {
  FakeUpstream fake;
  ClientHarness harness(options_for(fake));
  for (int i = 0; i < 5; ++i) {
    const auto result = harness.send(get_request("/api/lists"));
    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK(result->body == R"({"data":[]})");
  }
  CHECK(fake.requests().size() == 5);
  CHECK(fake.connections_accepted() == 1);
}

TEST_CASE("a connection the server marks Connection: close is not reused") {
  FakeUpstream fake;
  ScriptedResponse closing = ScriptedResponse::json(200, "{}");
  closing.headers.emplace_back("Connection", "close");
  fake.enqueue(closing);
  ClientHarness harness(options_for(fake));
  REQUIRE(harness.send(get_request("/api/a")).has_value());
  REQUIRE(harness.send(get_request("/api/b")).has_value());
  CHECK(fake.requests().size() == 2);  // no failed attempt on the closed connection
  CHECK(fake.connections_accepted() == 2);
}

TEST_CASE("with max_idle_connections 0 nothing is kept alive") {
  FakeUpstream fake;
  UpstreamOptions options = options_for(fake);
  options.max_idle_connections = 0;
  ClientHarness harness(options);
  REQUIRE(harness.send(get_request("/api/a")).has_value());
  REQUIRE(harness.send(get_request("/api/b")).has_value());
  CHECK(fake.connections_accepted() == 2);
}

TEST_CASE("a pooled connection dropped before any response byte is retried once on a fresh one") {
  FakeUpstream fake;
  ClientHarness harness(options_for(fake));
  REQUIRE(harness.send(get_request("/api/first")).has_value());

  ScriptedResponse drop;
  drop.reset_connection = true;
  fake.enqueue(drop);
  const auto result = harness.send(get_request("/api/second"));

  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  const auto requests = fake.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[1].path == "/api/second");
  CHECK(requests[2].path == "/api/second");
  CHECK(fake.connections_accepted() == 2);
}

TEST_CASE("a fresh connection reset after the request maps to reset, maybe sent, not retried") {
  FakeUpstream fake;
  ScriptedResponse drop;
  drop.reset_connection = true;
  fake.enqueue(drop);
  ClientHarness harness(options_for(fake));

  const auto result = harness.send(get_request("/api/profiles"));
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::reset);
  CHECK(result.error().maybe_sent);
  CHECK(fake.requests().size() == 1);
  CHECK(to_string(result.error().kind) == "reset");
}

TEST_CASE("a connect failure maps to connect, not sent, and never shows header values") {
  UpstreamOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(closed_port());
  ClientHarness harness(options);
  UpstreamRequest request = get_request("/api/lists");
  request.headers.emplace_back("Authorization", "Klaviyo-API-Key pk_do_not_print");

  const auto result = harness.send(request);
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::connect);
  CHECK_FALSE(result.error().maybe_sent);
  CHECK(result.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(result.error().message.find("pk_do_not_print") == std::string::npos);
}

TEST_CASE("a slow upstream times out at the deadline, the request maybe sent") {
  FakeUpstream fake;
  ScriptedResponse slow = ScriptedResponse::json(200, "{}");
  slow.delay = 2s;
  fake.enqueue(slow);
  ClientHarness harness(options_for(fake));

  const auto start = std::chrono::steady_clock::now();
  const auto result = harness.send(get_request("/api/slow"), 200ms);
  const auto elapsed = since(start);

  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::timeout);
  CHECK(result.error().maybe_sent);
  CHECK(elapsed >= 150ms);
  CHECK(elapsed < 900ms);

  // A timed-out connection is closed, never pooled: the next call opens a new one.
  REQUIRE(harness.send(get_request("/api/next")).has_value());
  CHECK(fake.connections_accepted() == 2);
}

TEST_CASE("the fake shuts down promptly with a delayed response pending") {
  auto fake = std::make_unique<FakeUpstream>();
  ScriptedResponse slow = ScriptedResponse::json(200, "{}");
  slow.delay = 30s;
  fake->enqueue(slow);
  ClientHarness harness(options_for(*fake));
  auto pending = harness.start(get_request("/api/slow"), std::chrono::steady_clock::now() + 60s);
  REQUIRE(fake->wait_for_requests(1, 5s));

  const auto start = std::chrono::steady_clock::now();
  fake.reset();
  CHECK(since(start) < 1s);
  // The client sees the connection go away rather than waiting out its deadline.
  REQUIRE(pending.wait_for(5s) == std::future_status::ready);
  const auto result = pending.get();
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::reset);
}

TEST_CASE("a deadline already past fails before anything is sent") {
  FakeUpstream fake;
  ClientHarness harness(options_for(fake));
  auto future = harness.start(get_request("/api/late"), std::chrono::steady_clock::now() - 1ms);
  REQUIRE(future.wait_for(5s) == std::future_status::ready);
  const auto result = future.get();
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::timeout);
  CHECK_FALSE(result.error().maybe_sent);
  CHECK(fake.requests().empty());
}

TEST_CASE("terminal cancellation stops a call waiting for its response") {
  FakeUpstream fake;
  ScriptedResponse slow = ScriptedResponse::json(200, "{}");
  slow.delay = 5s;
  fake.enqueue(slow);
  ClientHarness harness(options_for(fake));

  asio::cancellation_signal cancel;
  auto future = harness.start(get_request("/api/slow"), std::chrono::steady_clock::now() + 30s, &cancel);
  REQUIRE(fake.wait_for_requests(1, 5s));
  const auto start = std::chrono::steady_clock::now();
  harness.emit(cancel);
  REQUIRE(future.wait_for(5s) == std::future_status::ready);
  CHECK(since(start) < 1s);
  const auto result = future.get();
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::cancelled);
  CHECK(result.error().maybe_sent);

  // The cancelled connection was closed, not pooled: the next call opens a new one.
  const auto next = harness.send(get_request("/api/next"));
  REQUIRE(next.has_value());
  CHECK(fake.connections_accepted() == 2);
}

TEST_CASE("a response body over max_response_bytes is a protocol failure") {
  FakeUpstream fake;
  fake.enqueue(ScriptedResponse::json(200, std::string(100, 'x')));
  UpstreamOptions options = options_for(fake);
  options.max_response_bytes = 16;
  ClientHarness harness(options);
  const auto result = harness.send(get_request("/api/big"));
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::protocol);
  CHECK(result.error().maybe_sent);
}

TEST_CASE("a request that could split the wire is refused before connecting") {
  FakeUpstream fake;
  ClientHarness harness(options_for(fake));
  UpstreamRequest request = get_request("/api/lists");
  request.headers.emplace_back("X-Note", "ok\r\nX-Injected: pk_secret_value");
  const auto result = harness.send(request);
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::protocol);
  CHECK_FALSE(result.error().maybe_sent);
  CHECK(result.error().message.find("pk_secret_value") == std::string::npos);
  CHECK(fake.connections_accepted() == 0);
}

TEST_CASE("concurrent calls on a multi-threaded io_context all succeed and share the pool") {
  FakeUpstream fake;
  UpstreamOptions options = options_for(fake);
  options.max_idle_connections = 4;
  ClientHarness harness(options, 2);

  for (int round = 0; round < 3; ++round) {
    std::vector<std::future<UpstreamResult>> calls;
    for (int i = 0; i < 8; ++i) {
      calls.push_back(harness.start(get_request("/api/n" + std::to_string(i)), std::chrono::steady_clock::now() + 5s));
    }
    for (auto& call : calls) {
      REQUIRE(call.wait_for(10s) == std::future_status::ready);
      const auto result = call.get();
      REQUIRE(result.has_value());
      CHECK(result->status == 200);
    }
  }
  CHECK(fake.requests().size() == 24);
  // At most 8 in flight at once, and at most 4 kept between rounds: 8 + 2 * 4 new at worst.
  CHECK(fake.connections_accepted() <= 16);
}

}  // namespace kmcp::test
