// tools/call's per-call deadline: params._meta["klaviyo-mcp/timeout_seconds"] overrides the
// server's --call-timeout; a bad value is invalid params and runs nothing.
#include <doctest/doctest.h>

#include "server/mcp/call_timeout.hpp"
#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {

TEST_CASE("_meta klaviyo-mcp/timeout_seconds sets the call's deadline") {
  DispatcherOptions options;
  options.call_timeout = std::chrono::seconds(60);
  Harness h(3, options);
  // Not a structured binding: clang 14 (the sanitize preset) cannot capture one in CAPTURE's lambda.
  for (const auto& pair : std::vector<std::pair<json::value, std::chrono::milliseconds>>{
           {json::value(5), std::chrono::seconds(5)},
           {json::value(0.25), std::chrono::milliseconds(250)},
           {json::value(3600), std::chrono::hours(1)},
           {json::value(std::uint64_t{120}), std::chrono::minutes(2)},
       }) {
    const json::value& given = pair.first;
    const std::chrono::milliseconds expected = pair.second;
    CAPTURE(json::serialize(given));
    const auto reply = h.send(request(1, "tools/call", {{"name", "tool_000"}, {"_meta", {{kTimeoutMetaKey, given}}}}));
    REQUIRE(reply);
    CHECK(reply->contains("result"));
    CHECK(h.runner.last_deadline == h.clock.now() + expected);
  }

  // Without it (or beside other _meta keys), the server's default applies.
  REQUIRE(h.send(request(2, "tools/call", {{"name", "tool_000"}, {"_meta", {{"progressToken", "t"}}}})));
  CHECK(h.runner.last_deadline == h.clock.now() + std::chrono::seconds(60));
}

TEST_CASE("a bad klaviyo-mcp/timeout_seconds is invalid params with the rule, and nothing runs") {
  Harness h;
  for (const json::value& bad : {json::value(0), json::value(-3), json::value(3600.5), json::value(1e300),
                                 json::value("10"), json::value(nullptr), json::value(true), json::value(json::array{5})}) {
    CAPTURE(json::serialize(bad));
    const auto reply = h.send(request(1, "tools/call", {{"name", "tool_000"}, {"_meta", {{kTimeoutMetaKey, bad}}}}));
    CHECK(error_code(reply) == jsonrpc::kInvalidParams);
    const std::string message(reply->at("error").at("message").as_string());
    CHECK(message.find("klaviyo-mcp/timeout_seconds") != std::string::npos);
    CHECK(message.find("greater than 0 and at most 3600") != std::string::npos);
  }
  CHECK(h.runner.calls == 0);
}

TEST_CASE("call_timeout echoes a long bad value only in part") {
  json::object params{{"_meta", {{kTimeoutMetaKey, std::string(500, 'x')}}}};
  const auto timeout = call_timeout(params, std::chrono::seconds(60));
  REQUIRE(timeout.has_error());
  CHECK(timeout.error().size() < 200);
}

}  // namespace kmcp::test
