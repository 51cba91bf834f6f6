// tools/list paging over a registry of 250 tools.
#include <doctest/doctest.h>

#include <set>

#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {

TEST_CASE("tools/list walks 250 tools in pages of 100, in registry order") {
  Harness h(250);
  std::vector<std::string> names;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    json::object params;
    if (cursor) params["cursor"] = *cursor;
    const auto reply = h.send(request(pages, "tools/list", params));
    REQUIRE(reply);
    REQUIRE(reply->contains("result"));
    const json::object& result = reply->at("result").as_object();
    const json::array& tools = result.at("tools").as_array();
    CHECK(tools.size() == (pages < 2 ? 100u : 50u));
    for (const auto& t : tools) names.emplace_back(t.at("name").as_string());
    cursor.reset();
    if (const auto* next = result.if_contains("nextCursor")) cursor = std::string(next->as_string());
    ++pages;
  } while (cursor && pages < 10);

  CHECK(pages == 3);
  REQUIRE(names.size() == 250);
  CHECK(names.front() == "tool_000");
  CHECK(names.back() == "tool_249");
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == 250);
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(names[i] == h.registry.tools()[i]->name);
}

TEST_CASE("tools/list entries are the registry's listings, aliases never listed") {
  Harness h(3);
  const auto reply = h.send(request(1, "tools/list"));
  const json::array& tools = reply->at("result").at("tools").as_array();
  REQUIRE(tools.size() == 3);
  CHECK_FALSE(reply->at("result").as_object().contains("nextCursor"));
  for (std::size_t i = 0; i < tools.size(); ++i) CHECK(tools[i] == h.registry.tools()[i]->listing);
  for (const auto& t : tools) CHECK(std::string_view(t.at("name").as_string()).substr(0, 4) != "old_");
}

TEST_CASE("page size is configurable; 0 puts every tool on one page") {
  DispatcherOptions small;
  small.tools_page_size = 7;
  Harness h(20, small);
  const auto first = h.send(request(1, "tools/list"));
  CHECK(first->at("result").at("tools").as_array().size() == 7);
  const std::string next(first->at("result").at("nextCursor").as_string());
  CHECK(h.send(request(2, "tools/list", {{"cursor", next}}))->at("result").at("tools").as_array().size() == 7);

  DispatcherOptions all;
  all.tools_page_size = 0;
  Harness one(20, all);
  const auto reply = one.send(request(1, "tools/list"));
  CHECK(reply->at("result").at("tools").as_array().size() == 20);
  CHECK_FALSE(reply->at("result").as_object().contains("nextCursor"));
}

TEST_CASE("tools/list refuses cursors it did not hand out") {
  Harness h(250);
  for (const json::value& cursor :
       {json::value("garbage"), json::value(""), json::value("0"), json::value("50"), json::value("300"),
        json::value("-100"), json::value("100x"), json::value(" 100"), json::value("99999999999999999999999"),
        json::value(100)}) {
    CAPTURE(json::serialize(cursor));
    const auto reply = h.send(request(1, "tools/list", {{"cursor", cursor}}));
    CHECK(error_code(reply) == jsonrpc::kInvalidParams);
  }
  CHECK(h.send(request(2, "tools/list", {{"cursor", "200"}}))->contains("result"));
}

}  // namespace kmcp::test
