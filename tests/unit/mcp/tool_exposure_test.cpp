// tools/list and tools/call limited to the tools a session sees: hidden tools are not listed,
// and calling one (by name or alias) is invalid params saying how to expose it.
#include <doctest/doctest.h>

#include "server/registry/tool_exposure.hpp"
#include "server/registry/tool_selection.hpp"
#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {
namespace {

// The session sees only `tools`, as if its HTTP request had narrowed the operator's choice.
void narrow_session(Harness& h, std::vector<std::string> tools) {
  auto narrowed = select_tools(*h.dispatcher.exposure(), {.tools = std::move(tools)}, true, SelectionLabels{});
  REQUIRE(narrowed.has_value());
  h.session.tools = *narrowed;
}

std::vector<std::string> listed_names(const std::optional<json::object>& reply) {
  std::vector<std::string> names;
  for (const auto& t : reply->at("result").at("tools").as_array()) names.emplace_back(t.at("name").as_string());
  return names;
}

TEST_CASE("without a choice the dispatcher exposes every tool") {
  Harness h(3);
  CHECK(h.dispatcher.exposure()->listed().size() == 3);
  CHECK(listed_names(h.send(request(1, "tools/list"))) == std::vector<std::string>{"tool_000", "tool_001", "tool_002"});
}

TEST_CASE("a session's tools are all it lists, in pages of its own") {
  DispatcherOptions options;
  options.tools_page_size = 2;
  Harness h(8, options);
  narrow_session(h, {"tool_001", "tool_004", "old_tool_007"});
  const auto first = h.send(request(1, "tools/list"));
  CHECK(listed_names(first) == std::vector<std::string>{"tool_001", "tool_004"});
  REQUIRE(first->at("result").as_object().contains("nextCursor"));
  const json::value next = first->at("result").at("nextCursor");
  const auto second = h.send(request(2, "tools/list", {{"cursor", next}}));
  CHECK(listed_names(second) == std::vector<std::string>{"tool_007"});
  CHECK_FALSE(second->at("result").as_object().contains("nextCursor"));
  // The cursor of a page this session does not have is refused.
  CHECK(error_code(h.send(request(3, "tools/list", {{"cursor", "4"}}))) == jsonrpc::kInvalidParams);
}

TEST_CASE("calling a hidden tool, by name or alias, is invalid params saying how to expose it") {
  Harness h(3);
  narrow_session(h, {"tool_000"});
  for (const char* name : {"tool_002", "old_tool_002"}) {
    CAPTURE(name);
    const auto reply = h.send(request(1, "tools/call", {{"name", name}}));
    CHECK(error_code(reply) == jsonrpc::kInvalidParams);
    const std::string message(reply->at("error").at("message").as_string());
    CHECK(message.find("Tool 'tool_002' exists but is not in this session's tools") == 0);
    CHECK(message.find("X-MCP-Toolsets") != std::string::npos);
  }
  CHECK(h.runner.calls == 0);
  CHECK(h.send(request(2, "tools/call", {{"name", "tool_000"}}))->contains("result"));
  CHECK(h.runner.calls == 1);
  // A name that is no tool at all stays unknown.
  CHECK(h.send(request(3, "tools/call", {{"name", "tool_999"}}))->at("error").at("message") == "Unknown tool: tool_999");
}

}  // namespace
}  // namespace kmcp::test
