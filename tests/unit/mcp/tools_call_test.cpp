// tools/call: lookup, argument checks, deadline, progress, runner failures.
#include <doctest/doctest.h>

#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {

TEST_CASE("tools/call runs the tool and returns the runner's result") {
  Harness h;
  const auto reply = h.send(request(11, "tools/call", {{"name", "tool_002"}, {"arguments", {{"page_size", 5}}}}));
  REQUIRE(reply);
  CHECK(reply->at("id") == 11);
  CHECK(reply->at("result").at("structuredContent") == json::object{{"page_size", 5}});
  CHECK(reply->at("result").at("isError") == false);
  CHECK(h.runner.calls == 1);
  CHECK(h.runner.last_tool == "tool_002");
  CHECK(h.session.in_flight.empty());
}

TEST_CASE("tools/call finds a tool by an alias and runs it under its current name") {
  Harness h;
  const auto reply = h.send(request(1, "tools/call", {{"name", "old_tool_001"}}));
  REQUIRE(reply);
  CHECK(reply->contains("result"));
  CHECK(h.runner.last_tool == "tool_001");
  CHECK(h.runner.last_arguments.empty());  // absent arguments read as {}
}

TEST_CASE("tools/call with an unknown tool is invalid params naming it") {
  Harness h;
  const auto reply = h.send(request(1, "tools/call", {{"name", "nope"}}));
  CHECK(error_code(reply) == jsonrpc::kInvalidParams);
  CHECK(reply->at("error").at("message") == "Unknown tool: nope");
  CHECK(h.runner.calls == 0);
}

TEST_CASE("tools/call checks the shape of name and arguments") {
  Harness h;
  CHECK(error_code(h.send(request(1, "tools/call"))) == jsonrpc::kInvalidParams);
  CHECK(error_code(h.send(request(2, "tools/call", {{"name", 7}}))) == jsonrpc::kInvalidParams);
  for (const json::value& bad : {json::value("x"), json::value(json::array{1}), json::value(3)}) {
    CAPTURE(json::serialize(bad));
    const auto reply = h.send(request(3, "tools/call", {{"name", "tool_000"}, {"arguments", bad}}));
    CHECK(error_code(reply) == jsonrpc::kInvalidParams);
    CHECK(reply->at("error").at("message") == "arguments must be an object");
  }
  CHECK(h.runner.calls == 0);
  CHECK(h.send(request(4, "tools/call", {{"name", "tool_000"}, {"arguments", nullptr}}))->contains("result"));
}

TEST_CASE("tools/call gives the runner a deadline of now plus the call timeout") {
  DispatcherOptions options;
  options.call_timeout = std::chrono::milliseconds(1500);
  Harness h(3, options);
  h.clock.advance(std::chrono::minutes(3));
  REQUIRE(h.send(request(1, "tools/call", {{"name", "tool_000"}})));
  CHECK(h.runner.last_deadline == h.clock.now() + std::chrono::milliseconds(1500));
}

TEST_CASE("progress notifications carry the client's token, only when it sent one") {
  for (const json::value& token : {json::value("tok-1"), json::value(42)}) {
    CAPTURE(json::serialize(token));
    Harness h;
    h.runner.mode = RunnerMode::report;
    const auto reply =
        h.send(request(1, "tools/call", {{"name", "tool_000"}, {"_meta", {{"progressToken", token}}}}));
    REQUIRE(reply);
    CHECK(h.runner.had_progress);
    const auto progress = h.sink.with_method("notifications/progress");
    REQUIRE(progress.size() == 2);  // the repeated value is dropped: progress must increase
    CHECK(progress[0].at("params") ==
          json::object{{"progressToken", token}, {"progress", 1}, {"total", 3}, {"message", "first page"}});
    CHECK(progress[1].at("params") == json::object{{"progressToken", token}, {"progress", 2}});
  }

  Harness h;
  h.runner.mode = RunnerMode::report;
  REQUIRE(h.send(request(1, "tools/call", {{"name", "tool_000"}})));
  CHECK_FALSE(h.runner.had_progress);
  CHECK(h.sink.with_method("notifications/progress").empty());

  REQUIRE(h.send(request(2, "tools/call", {{"name", "tool_000"}, {"_meta", {{"progressToken", 1.5}}}})));
  CHECK_FALSE(h.runner.had_progress);  // not a valid token
}

TEST_CASE("a runner that throws gets -32603, is logged, and leaves nothing in flight") {
  Harness h;
  h.runner.mode = RunnerMode::throw_error;
  const auto reply = h.send(request("x", "tools/call", {{"name", "tool_000"}}));
  CHECK(error_code(reply) == jsonrpc::kInternalError);
  CHECK(reply->at("id") == "x");
  CHECK(reply->at("error").at("message") == "Internal error");  // no internals on the wire
  CHECK(h.log_text.str().find("fake runner bug") != std::string::npos);
  CHECK(h.session.in_flight.empty());
  // Still serving.
  h.runner.mode = RunnerMode::echo;
  CHECK(h.send(request("y", "tools/call", {{"name", "tool_000"}}))->contains("result"));
}

}  // namespace kmcp::test
