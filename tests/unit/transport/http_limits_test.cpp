// The HTTP listener's limits: slow clients dropped, connection, request and stream caps
// answered with 503 and Retry-After.
#include <doctest/doctest.h>

#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
using test::HttpHarness;
using test::Response;

namespace {
// A limit's refusal: 503, and when to come back.
void check_overloaded(const Response& refused) {
  CHECK(refused.result_int() == 503);
  CHECK(refused[test::http::field::retry_after] == "1");
}
}  // namespace

TEST_CASE("http limits: headers sent too slowly end the connection at the header deadline") {
  HttpOptions options;
  options.header_timeout = std::chrono::milliseconds(300);
  HttpHarness h(options);
  test::TestConnection slow(h.client, h.port);
  slow.write_raw("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n");  // and never the rest
  CHECK(slow.closed_by_server());
}

TEST_CASE("http limits: a body sent too slowly ends the connection at the body deadline") {
  HttpOptions options;
  options.body_timeout = std::chrono::milliseconds(300);
  HttpHarness h(options);
  test::TestConnection slow(h.client, h.port);
  slow.write_raw("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Content-Length: 100\r\n\r\n{\"jsonrpc\"");
  CHECK(slow.closed_by_server());
}

TEST_CASE("http limits: an idle keep-alive connection is kept for the idle timeout, not the header one") {
  HttpOptions options;
  options.header_timeout = std::chrono::milliseconds(100);
  options.idle_timeout = std::chrono::seconds(3);
  HttpHarness h(options);
  const std::string session = h.open_session();
  test::TestConnection kept(h.client, h.port);
  CHECK(kept.exchange(h.post(test::request_text(1, "ping"), session)).result_int() == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past the header deadline only
  CHECK(kept.exchange(h.post(test::request_text(2, "ping"), session)).result_int() == 200);
}

TEST_CASE("http limits: connections beyond max_connections get 503 with Retry-After") {
  HttpOptions options;
  options.max_connections = 2;
  HttpHarness h(options);
  // Both places taken before any other connection, so none is still being given back.
  test::TestConnection first(h.client, h.port);
  test::TestConnection second(h.client, h.port);
  Response init = first.exchange(h.post(test::initialize_request(1)));
  REQUIRE(init.result_int() == 200);
  const std::string session(init["Mcp-Session-Id"]);
  CHECK(first.exchange(h.post(test::notification_text("notifications/initialized"), session)).result_int() == 202);
  CHECK(second.exchange(h.post(test::request_text(2, "ping"), session)).result_int() == 200);
  test::TestConnection third(h.client, h.port);
  check_overloaded(third.read());
  CHECK(third.closed_by_server());
  first.close();
  // A place is free again once a connection closes.
  CHECK(h.served_within(h.post(test::request_text(3, "ping"), session)));
}

TEST_CASE("http limits: requests beyond max_in_flight get 503 with Retry-After; the running one goes on") {
  HttpOptions options;
  options.max_in_flight = 1;
  HttpHarness h(options);
  const std::string session = h.open_session();
  test::TestConnection busy(h.client, h.port);
  busy.write(h.post(test::call_text(1, "gate"), session));
  REQUIRE(test::ready_within(h.runner.started()));
  check_overloaded(h.send(h.post(test::request_text(2, "ping"), session)));
  h.runner.open_gate();
  CHECK(busy.read().result_int() == 200);
  // A place is given up as its answer goes out: a client that has its answer may send the next.
  for (int i = 3; i < 23; ++i) CHECK(h.send(h.post(test::request_text(i, "ping"), session)).result_int() == 200);
}

TEST_CASE("http limits: SSE streams beyond max_streams_per_session get 503; other sessions are not held up") {
  HttpOptions options;
  options.max_streams_per_session = 1;
  HttpHarness h(options);
  const std::string session = h.open_session();
  test::TestConnection stream(h.client, h.port);
  stream.write(test::mcp_get(h.port, session));
  CHECK(stream.read_header().get().result_int() == 200);
  check_overloaded(h.send(h.post(test::request_text(2, "ping"), session)));
  // A POST that accepts only JSON opens no stream and passes.
  auto json_only = h.post(test::request_text(3, "ping"), session);
  json_only.set(test::http::field::accept, "application/json");
  CHECK(h.send(json_only).result_int() == 200);
  const std::string other = h.open_session();
  CHECK(h.send(h.post(test::request_text(4, "ping"), other)).result_int() == 200);
  stream.close();
}

}  // namespace kmcp
