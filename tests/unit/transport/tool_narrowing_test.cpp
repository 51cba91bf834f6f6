// A session's narrowing over HTTP: headers or query parameters at initialize choose the
// session's tools; garbage is a 400 naming the setting; later requests may repeat the choice
// but not change it. The registry here has one read-only tool, get_thing, in toolset "things".
#include <doctest/doctest.h>

#include "server/registry/tool_selection.hpp"
#include "server/transport/tool_narrowing.hpp"
#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
namespace {
using test::HttpHarness;
using test::Request;
using test::Response;

std::string error_message(const Response& response) {
  const json::object body = test::body_json(response);
  REQUIRE_MESSAGE(body.contains("error"), json::serialize(body));
  return std::string(body.at("error").at("message").as_string());
}

std::size_t listed_count(HttpHarness& h, const std::string& session) {
  Response list = h.send(h.post(test::request_text(9, "tools/list"), session));
  REQUIRE(list.result_int() == 200);
  return test::body_json(list).at("result").at("tools").as_array().size();
}

// An initialize POST to `target` with `headers`.
Request initialize(HttpHarness& h, std::string_view target, std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
  Request r = h.post(test::initialize_request(1));
  r.target(target);
  for (const auto& [name, value] : headers) r.set(name, value);
  return r;
}

// narrowed_tools over a bare request, against the harness's operator choice.
auto narrow(HttpHarness& h, std::string_view target, std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
  return narrowed_tools(initialize(h, target, headers), *h.dispatcher.exposure());
}

TEST_CASE("narrowing: nothing asked is no narrowing; headers and query parameters narrow alike") {
  HttpHarness h;
  auto none = narrow(h, "/mcp");
  REQUIRE(none.has_value());
  CHECK(*none == nullptr);
  CHECK((*narrow(h, "/mcp", {{"X-MCP-Exclude-Tools", "get_thing"}}))->listed().empty());
  CHECK((*narrow(h, "/mcp?exclude_tools=get_thing"))->listed().empty());
  CHECK((*narrow(h, "/mcp?exclude_tools=&tools=get_thing,%20get_thing"))->listed().size() == 1);
  CHECK((*narrow(h, "/mcp", {{"X-MCP-Tools", " get_thing "}}))->listed().size() == 1);
  CHECK((*narrow(h, "/mcp?toolsets=core"))->listed().empty());  // get_thing is not core
  CHECK((*narrow(h, "/mcp?toolsets=things&read_only=true"))->listed().size() == 1);
  CHECK((*narrow(h, "/mcp", {{"X-MCP-Readonly", "TRUE"}}))->listed().size() == 1);  // get_thing only reads
}

TEST_CASE("narrowing: unknown names and bad values are refused, naming the setting as the client gave it") {
  HttpHarness h;
  CHECK(narrow(h, "/mcp", {{"X-MCP-Tools", "get_thang"}}).error() ==
        "X-MCP-Tools: unknown tool 'get_thang' (did you mean get_thing?)");
  CHECK(narrow(h, "/mcp?toolsets=stuff").error() ==
        "?toolsets=: unknown toolset 'stuff' (the toolsets are core, all, things)");
  CHECK(narrow(h, "/mcp", {{"X-MCP-Readonly", "maybe"}}).error() == "X-MCP-Readonly: expected true or false");
  CHECK(narrow(h, "/mcp?tools=get_thing", {{"X-MCP-Tools", "get_thing"}}).error().find("give it once") !=
        std::string::npos);
}

TEST_CASE("http: initialize with a narrowing fixes the session's tools; garbage is 400 and opens no session") {
  HttpHarness h;
  Response refused = h.send(initialize(h, "/mcp?tools=get_thang"));
  CHECK(refused.result_int() == 400);
  CHECK(refused["Mcp-Session-Id"].empty());
  CHECK(error_message(refused) == "Bad Request: ?tools=: unknown tool 'get_thang' (did you mean get_thing?)");

  Response init = h.send(initialize(h, "/mcp", {{"X-MCP-Exclude-Tools", "get_thing"}}));
  REQUIRE(init.result_int() == 200);
  const std::string narrowed(init["Mcp-Session-Id"]);
  CHECK(listed_count(h, narrowed) == 0);
  Response call = h.send(h.post(test::call_text(3, "echo"), narrowed));
  CHECK(error_message(call).find("Tool 'get_thing' exists but this session excluded it") == 0);
  CHECK(h.runner.calls() == 0);

  // Another session of the same server still has every tool.
  CHECK(listed_count(h, h.open_session()) == 1);
}

TEST_CASE("http: later requests may repeat the session's narrowing, not change it") {
  HttpHarness h;
  Response init = h.send(initialize(h, "/mcp?toolsets=things"));
  const std::string session(init["Mcp-Session-Id"]);
  Request same = h.post(test::request_text(2, "tools/list"), session);
  same.target("/mcp?toolsets=things");
  CHECK(h.send(same).result_int() == 200);
  Request other = h.post(test::request_text(3, "tools/list"), session);
  other.set("X-MCP-Exclude-Tools", "get_thing");
  Response changed = h.send(other);
  CHECK(changed.result_int() == 400);
  CHECK(error_message(changed).find("chosen when it started") != std::string::npos);
  CHECK(listed_count(h, session) == 1);
}

}  // namespace
}  // namespace kmcp
