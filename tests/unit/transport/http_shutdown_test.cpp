// HttpTransport::drain() and stop(): what finishes, what is refused, what is cut short, and
// that nothing a client holds open keeps run() from returning.
#include <doctest/doctest.h>

#include <sstream>

#include "server/transport/http_replies.hpp"
#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
namespace {

using test::HttpHarness;
using test::Response;
using test::TestConnection;

HttpOptions with_grace(std::chrono::milliseconds grace) {
  HttpOptions options;
  options.shutdown_grace = grace;
  return options;
}

constexpr std::chrono::hours kLongGrace{1};

// drain() has closed the listening socket once the transport logs "draining".
void drain_and_wait(HttpHarness& h) {
  h.transport->drain();
  CHECK(h.transport->draining());
  REQUIRE(h.log_text.wait_for("\"draining\"", test::kBound));
}

// Writes tools/call `id` in `mode` on `connection` and waits until the call runs.
void start_call(HttpHarness& h, TestConnection& connection, const std::string& session, int id, std::string_view mode) {
  connection.write(h.post(test::call_text(id, mode), session));
  REQUIRE(test::ready_within(h.runner.started()));
}

// Makes `connection` an idle keep-alive one: it has served a ping.
void serve_ping(HttpHarness& h, TestConnection& connection, const std::string& session, int id) {
  CHECK(connection.exchange(h.post(test::request_text(id, "ping"), session)).result_int() == 200);
}

// The transport's last log line, {"event":"stopped",...}, once run() has returned.
json::object stopped_entry(HttpHarness& h) {
  std::istringstream lines(h.log_text.str());
  for (std::string line; std::getline(lines, line);) {
    json::object entry = json::parse(line).as_object();
    if (entry.at("event") == "stopped") return entry;
  }
  FAIL("no \"stopped\" in the log");
  return {};
}

}  // namespace

TEST_CASE("http drain: the call under way finishes and is answered; new work is refused with 503") {
  HttpHarness h(with_grace(kLongGrace));
  const std::string session = h.open_session();
  TestConnection kept_for_post(h.client, h.port);
  serve_ping(h, kept_for_post, session, 1);
  TestConnection kept_for_get(h.client, h.port);
  serve_ping(h, kept_for_get, session, 2);
  TestConnection call(h.client, h.port);
  start_call(h, call, session, 3, "gate");

  drain_and_wait(h);
  CHECK(test::connection_refused(h.client, h.port));

  // A new request on a kept connection: 503, Retry-After, a JSON-RPC error, and the connection closes.
  Response refused = kept_for_post.exchange(h.post(test::request_text(4, "ping"), session));
  CHECK(refused.result_int() == 503);
  CHECK_FALSE(refused[test::http::field::retry_after].empty());
  CHECK_FALSE(refused.keep_alive());
  const json::object body = test::body_json(refused);
  CHECK(body.at("error").at("code") == kTransportError);
  CHECK(kept_for_post.closed_by_server());
  // A new event stream too.
  Response no_stream = kept_for_get.exchange(test::mcp_get(h.port, session));
  CHECK(no_stream.result_int() == 503);
  CHECK(kept_for_get.closed_by_server());

  h.runner.open_gate();
  Response answer = call.read();
  CHECK(answer.result_int() == 200);
  CHECK_FALSE(answer.keep_alive());
  const json::object reply = test::body_json(answer);
  CHECK(reply.at("id") == 3);
  CHECK(reply.at("result").at("structuredContent").at("mode") == "gate");
  CHECK(h.finished());
  CHECK(h.runner.cancelled().wait_for(std::chrono::seconds(0)) != std::future_status::ready);
  CHECK(stopped_entry(h).at("requests_cancelled") == 0);
}

TEST_CASE("http drain: a call still running when the grace period ends is cancelled, and run() returns") {
  HttpHarness h(with_grace(std::chrono::milliseconds(50)));
  const std::string session = h.open_session();
  TestConnection call(h.client, h.port);
  start_call(h, call, session, 1, "block");
  h.transport->drain();
  CHECK(test::ready_within(h.runner.cancelled()));
  CHECK(h.finished());
  CHECK(call.closed_by_server());  // answered as cancelled, or not at all
  CHECK(stopped_entry(h).at("requests_cancelled").to_number<int>() >= 1);
}

TEST_CASE("http drain: stop() during the grace period cancels at once") {
  HttpHarness h(with_grace(kLongGrace));
  const std::string session = h.open_session();
  TestConnection call(h.client, h.port);
  start_call(h, call, session, 1, "block");
  drain_and_wait(h);
  CHECK(h.stop());
  CHECK(test::ready_within(h.runner.cancelled()));
}

TEST_CASE("http drain: idle keep-alive connections and event streams do not hold it up") {
  HttpHarness h(with_grace(kLongGrace));
  const std::string session = h.open_session();
  TestConnection stream(h.client, h.port);
  stream.write(test::mcp_get(h.port, session));
  CHECK(stream.read_header().get().result_int() == 200);
  TestConnection idle(h.client, h.port);
  serve_ping(h, idle, session, 1);

  h.transport->drain();
  CHECK(h.finished());
  CHECK(idle.closed_by_server());
  CHECK(stream.closed_by_server());
}

TEST_CASE("http drain: a call under way can still be cancelled, by notification or by hanging up") {
  HttpHarness h(with_grace(kLongGrace));
  const std::string session = h.open_session();
  TestConnection kept(h.client, h.port);
  serve_ping(h, kept, session, 1);
  TestConnection call(h.client, h.port);
  start_call(h, call, session, 2, "block");
  drain_and_wait(h);

  SUBCASE("notifications/cancelled is accepted while draining") {
    Response cancel =
        kept.exchange(h.post(test::notification_text("notifications/cancelled", {{"requestId", 2}}), session));
    CHECK(cancel.result_int() == 202);
    CHECK_FALSE(cancel.keep_alive());
  }
  SUBCASE("the client hangs up") { call.close(); }

  CHECK(test::ready_within(h.runner.cancelled()));
  CHECK(h.finished());  // nothing left to wait for: well before the grace period ends
}

}  // namespace kmcp
