// resources/*, prompts/* and completion/complete: empty and clean without fixtures; the
// conformance fixtures only with DispatcherOptions::conformance_fixtures.
#include <doctest/doctest.h>

#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {
namespace {

DispatcherOptions with_fixtures() {
  DispatcherOptions options;
  options.conformance_fixtures = true;
  return options;
}

}  // namespace

TEST_CASE("without fixtures: no resources, no prompts, lookups refused with the right codes") {
  Harness h;
  auto reply = h.send(request(1, "resources/list"));
  REQUIRE(reply);
  CHECK(reply->at("result") == json::parse(R"({"resources":[]})"));
  reply = h.send(request(2, "prompts/list"));
  CHECK(reply->at("result") == json::parse(R"({"prompts":[]})"));
  reply = h.send(request(3, "resources/read", {{"uri", "test://static-text"}}));
  CHECK(error_code(reply) == -32002);
  reply = h.send(request(4, "resources/read", {{"uri", 5}}));
  CHECK(error_code(reply) == jsonrpc::kInvalidParams);
  reply = h.send(request(5, "prompts/get", {{"name", "test_simple_prompt"}}));
  CHECK(error_code(reply) == jsonrpc::kInvalidParams);
  reply = h.send(request(6, "tools/list"));
  for (const auto& tool : reply->at("result").at("tools").as_array()) CHECK(tool.at("name") != "test_simple_text");
  reply = h.send(request(7, "completion/complete", {{"ref", {{"type", "ref/prompt"}, {"name", "x"}}}}));
  CHECK(error_code(reply) == jsonrpc::kInvalidParams);  // no argument
}

TEST_CASE("with fixtures: the conformance suite's resources, prompts and tools") {
  Harness h(3, with_fixtures());
  auto reply = h.send(request(1, "resources/read", {{"uri", "test://template/123/data"}}));
  REQUIRE(reply);
  const auto& content = reply->at("result").at("contents").at(0);
  CHECK(content.at("uri") == "test://template/123/data");
  CHECK(std::string(content.at("text").as_string()).find("123") != std::string::npos);
  CHECK(error_code(h.send(request(2, "resources/read", {{"uri", "test://template/1/2/data"}}))) == -32002);
  reply = h.send(request(3, "resources/subscribe", {{"uri", "test://watched-resource"}}));
  CHECK(reply->at("result") == json::object{});
  reply = h.send(request(4, "prompts/get", {{"name", "test_prompt_with_arguments"}, {"arguments", {{"arg1", "a"}}}}));
  CHECK(error_code(reply) == jsonrpc::kInvalidParams);  // arg2 missing
  reply = h.send(request(5, "prompts/get", {{"name", "test_prompt_with_arguments"},
                                            {"arguments", {{"arg1", "first"}, {"arg2", "second"}}}}));
  const std::string text = json::serialize(reply->at("result"));
  CHECK(text.find("first") != std::string::npos);
  CHECK(text.find("second") != std::string::npos);
  reply = h.send(request(6, "tools/call", {{"name", "test_error_handling"}}));
  CHECK(reply->at("result").at("isError") == true);
  reply = h.send(request(7, "tools/list"));
  bool listed = false;
  for (const auto& tool : reply->at("result").at("tools").as_array()) listed = listed || tool.at("name") == "test_simple_text";
  CHECK(listed);
}

}  // namespace kmcp::test
