// logging/setLevel and the notifications/message a tool call's log lines become.
#include <doctest/doctest.h>

#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {

TEST_CASE("logging/setLevel takes the eight RFC 5424 names") {
  Harness h;
  for (const char* name : {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}) {
    CAPTURE(name);
    const auto reply = h.send(request(1, "logging/setLevel", {{"level", name}}));
    REQUIRE(reply);
    CHECK(reply->at("result") == json::object{});
    REQUIRE(h.session.log_level);
    CHECK(to_string(*h.session.log_level) == name);
  }
}

TEST_CASE("logging/setLevel refuses other values and keeps the previous level") {
  Harness h;
  REQUIRE(h.send(request(1, "logging/setLevel", {{"level", "error"}}))->contains("result"));
  CHECK(error_code(h.send(request(2, "logging/setLevel", {{"level", "warn"}}))) == jsonrpc::kInvalidParams);
  CHECK(error_code(h.send(request(3, "logging/setLevel", {{"level", "verbose"}}))) == jsonrpc::kInvalidParams);
  CHECK(error_code(h.send(request(4, "logging/setLevel", {{"level", 3}}))) == jsonrpc::kInvalidParams);
  CHECK(error_code(h.send(request(5, "logging/setLevel"))) == jsonrpc::kInvalidParams);
  CHECK(*h.session.log_level == LogLevel::error);
}

TEST_CASE("a tool call's log lines reach the client at or above the level it set") {
  Harness h;
  h.runner.mode = RunnerMode::report;
  REQUIRE(h.send(request(1, "logging/setLevel", {{"level", "info"}}))->contains("result"));
  const auto reply = h.send(request(2, "tools/call", {{"name", "tool_001"}}));
  REQUIRE(reply);
  CHECK(reply->contains("result"));

  const auto lines = h.sink.with_method("notifications/message");
  REQUIRE(lines.size() == 2);  // the debug line is below the threshold
  CHECK(lines[0].at("params") ==
        json::parse(R"({"level":"info","logger":"klaviyo-mcp","data":{"event":"request_sent","tool":"tool_001"}})"));
  CHECK(lines[1].at("params").at("level") == "error");
  CHECK(lines[1].at("params").at("data").at("tool") == "overridden");  // the runner's own field wins
  CHECK(lines[1].at("jsonrpc") == "2.0");
  CHECK_FALSE(lines[1].contains("id"));
}

TEST_CASE("without logging/setLevel no log notifications are sent") {
  Harness h;
  h.runner.mode = RunnerMode::report;
  REQUIRE(h.send(request(1, "tools/call", {{"name", "tool_000"}})));
  CHECK(h.sink.with_method("notifications/message").empty());
}

}  // namespace kmcp::test
