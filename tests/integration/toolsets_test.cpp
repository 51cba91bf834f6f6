// Choosing the exposed tools against the real binary: the core default, --toolsets, --tools,
// --exclude-tools, --read-only, --hide-customer-content and their variables; over HTTP a
// session's narrowing by headers or query parameters, which never widens the operator's choice.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "tests/integration/http_client.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

using Names = std::set<std::string>;

Names names_of(const std::vector<std::string>& list) { return Names(list.begin(), list.end()); }

// The error of a tools/call that must be refused as invalid params.
std::string refused_call(StdioServer& server, const std::string& tool) {
  auto r = server.request("tools/call", {{"name", tool}, {"arguments", json::object{}}});
  REQUIRE_MESSAGE(r.contains("error"), json::serialize(r));
  CHECK(r.at("error").at("code") == -32602);
  return std::string(r.at("error").at("message").as_string());
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// An HTTP session opened at `target` with `extra` headers; its id.
std::string open_session(unsigned short port, const std::string& target,
                         const std::map<std::string, std::string>& extra = {}) {
  auto headers = mcp_headers();
  headers.insert(extra.begin(), extra.end());
  auto r = http_request(port, "POST", target, headers, kInitialize);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.header("mcp-session-id");
}

// A POST of `body` in `session`; the one JSON-RPC message it answers with.
json::object post(unsigned short port, const std::string& session, const std::string& body,
                  const std::string& target = "/mcp") {
  auto r = http_request(port, "POST", target, mcp_headers(session), body);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto messages = r.messages();
  REQUIRE(messages.size() == 1);
  return messages.front();
}

Names session_tools(unsigned short port, const std::string& session) {
  Names names;
  std::string cursor;
  do {
    const std::string params = cursor.empty() ? "{}" : R"({"cursor":")" + cursor + "\"}";
    auto r = post(port, session, R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":)" + params + "}");
    const auto& result = r.at("result").as_object();
    for (const auto& t : result.at("tools").as_array()) names.insert(std::string(t.at("name").as_string()));
    cursor = result.contains("nextCursor") ? std::string(result.at("nextCursor").as_string()) : "";
  } while (!cursor.empty());
  return names;
}

std::string call_error(unsigned short port, const std::string& session, const std::string& tool) {
  auto r = post(port, session,
                R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":")" + tool + R"(","arguments":{}}})");
  REQUIRE_MESSAGE(r.contains("error"), json::serialize(r));
  CHECK(r.at("error").at("code") == -32602);
  return std::string(r.at("error").at("message").as_string());
}

// The toolset of each listed tool, from --toolsets all.
const Names kListsToolset = {"add_profiles_to_list",
                             "create_list",
                             "delete_list",
                             "get_flows_triggered_by_list",
                             "get_ids_for_flows_triggered_by_list",
                             "get_list",
                             "get_lists",
                             "get_profile_ids_for_list",
                             "get_profiles_for_list",
                             "get_tag_ids_for_list",
                             "get_tags_for_list",
                             "remove_profiles_from_list",
                             "update_list"};

}  // namespace

TEST_CASE("by default only the core set is listed: at most 40 tools; others are refused, naming the switch") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  const auto listed = server.list_tools();
  CHECK(listed.size() <= 40);
  CHECK(listed.size() >= 30);
  const auto names = names_of(server.tool_names());
  for (const char* core : {"get_profiles", "create_or_update_profile", "add_profiles_to_list", "bulk_subscribe_profiles",
                           "get_segments", "create_event", "query_metric_aggregates", "query_campaign_values",
                           "send_campaign", "get_templates", "render_template", "update_flow"})
    CHECK_MESSAGE(names.count(core) == 1, core);
  CHECK(names.count("delete_list") == 0);
  CHECK(names.count("get_coupons") == 0);

  const auto message = refused_call(server, "delete_list");
  CHECK(contains(message, "Tool 'delete_list' exists but is not enabled"));
  CHECK(contains(message, "--toolsets lists"));
  CHECK(contains(message, "--tools delete_list"));
  // An alias of a hidden tool is refused the same way; a name that is no tool stays unknown.
  CHECK(contains(refused_call(server, "KLAVIYO_GET_COUPONS"), "Tool 'get_coupons' exists but is not enabled"));
  CHECK(refused_call(server, "no_such_tool") == "Unknown tool: no_such_tool");
  CHECK(upstream.requests().empty());
}

TEST_CASE("--toolsets all lists all 345 tools; KLAVIYO_MCP_TOOLSETS does the same") {
  FakeUpstream upstream;
  StdioServer flag(server_env(upstream.base_url()), {"--toolsets", "all"});
  flag.initialize();
  CHECK(flag.list_tools().size() == 345);
  auto env = server_env(upstream.base_url());
  env["KLAVIYO_MCP_TOOLSETS"] = "all";
  StdioServer variable(env);
  variable.initialize();
  CHECK(variable.list_tools().size() == 345);
}

TEST_CASE("--toolsets, --tools (names or aliases) and --exclude-tools combine; so do their variables") {
  FakeUpstream upstream;
  Names want = kListsToolset;
  want.erase("delete_list");
  want.insert({"get_reviews", "get_review", "update_review", "bulk_create_catalog_items"});

  StdioServer flags(server_env(upstream.base_url()), {"--toolsets", "lists, reviews", "--tools", "spawn_create_items_job",
                                                     "--exclude-tools", "delete_list"});
  flags.initialize();
  CHECK(names_of(flags.tool_names()) == want);
  CHECK(contains(refused_call(flags, "delete_list"), "excluded it (--exclude-tools"));

  auto env = server_env(upstream.base_url());
  env["KLAVIYO_MCP_TOOLSETS"] = "lists,reviews";
  env["KLAVIYO_MCP_TOOLS"] = "spawn_create_items_job";
  env["KLAVIYO_MCP_EXCLUDE_TOOLS"] = "delete_list";
  StdioServer variables(env);
  variables.initialize();
  CHECK(names_of(variables.tool_names()) == want);
}

TEST_CASE("--read-only hides every write tool, even one named by --tools, and wins over every switch") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()),
                     {"--read-only", "--toolsets", "lists", "--tools", "bulk_create_catalog_items,get_coupons"});
  server.initialize();
  for (const auto& tool : server.list_tools()) CHECK(tool.at("annotations").at("readOnlyHint") == true);
  const auto names = names_of(server.tool_names());
  CHECK(names.count("get_lists") == 1);
  CHECK(names.count("get_coupons") == 1);
  CHECK(names.count("bulk_create_catalog_items") == 0);
  CHECK(names.count("add_profiles_to_list") == 0);
  const auto message = refused_call(server, "bulk_create_catalog_items");
  CHECK(contains(message, "writes to Klaviyo"));
  CHECK(contains(message, "read-only (--read-only"));
  CHECK_FALSE(contains(message, "--tools"));
  CHECK(upstream.requests().empty());

  auto env = server_env(upstream.base_url());
  env["KLAVIYO_MCP_READ_ONLY"] = "true";
  StdioServer variable(env);
  variable.initialize();
  for (const auto& tool : variable.list_tools()) CHECK(tool.at("annotations").at("readOnlyHint") == true);
  CHECK(contains(refused_call(variable, "create_list"), "read-only"));
}

TEST_CASE("--hide-customer-content hides the tools whose results carry customer-written text") {
  FakeUpstream upstream;
  auto env = server_env(upstream.base_url());
  StdioServer server(env, {"--hide-customer-content", "--toolsets", "all"});
  server.initialize();
  const auto names = names_of(server.tool_names());
  for (const char* hidden : {"get_profiles", "get_profile", "get_reviews", "get_forms", "get_events",
                             "get_conversations_for_profile", "get_profiles_for_list"})
    CHECK_MESSAGE(names.count(hidden) == 0, hidden);
  CHECK(names.count("get_lists") == 1);
  CHECK(names.count("create_event") == 1);
  CHECK(contains(refused_call(server, "get_profiles"), "--hide-customer-content"));

  env["KLAVIYO_MCP_HIDE_CUSTOMER_CONTENT"] = "1";
  StdioServer variable(env);
  variable.initialize();
  CHECK(names_of(variable.tool_names()).count("get_profiles") == 0);
}

TEST_CASE("http: a session narrows by headers at initialize; asking for more adds nothing") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()), {"--toolsets", "lists"});
  const auto port = server.port();

  const auto all = open_session(port, "/mcp");
  CHECK(session_tools(port, all) == kListsToolset);

  // get_profiles and the profiles toolset are not the operator's: asking does not add them.
  const auto narrowed = open_session(port, "/mcp", {{"X-MCP-Toolsets", "profiles"},
                                                    {"X-MCP-Tools", "get_lists,get_list,get_profiles"},
                                                    {"X-MCP-Exclude-Tools", "get_list"}});
  CHECK(session_tools(port, narrowed) == Names{"get_lists"});
  CHECK(contains(call_error(port, narrowed, "get_profiles"), "exists but is not enabled on this server"));
  CHECK(contains(call_error(port, narrowed, "get_list"), "this session excluded it (X-MCP-Exclude-Tools"));
  CHECK(contains(call_error(port, narrowed, "create_list"), "is not in this session's tools"));

  // The operator's choice still holds for other sessions.
  CHECK(session_tools(port, all) == kListsToolset);
}

TEST_CASE("http: query parameters narrow like headers; read_only wins over tools") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  const auto port = server.port();
  const auto session = open_session(port, "/mcp?toolsets=lists&tools=delete_coupon&read_only=true");
  const auto names = session_tools(port, session);
  CHECK(names.count("get_lists") == 1);
  CHECK(names.count("create_list") == 0);
  CHECK(names.count("delete_coupon") == 0);
  CHECK(names.size() == 8);  // the lists toolset's readers
  CHECK(contains(call_error(port, session, "create_list"), "this session was started read-only"));

  const auto header_ro = open_session(port, "/mcp", {{"X-MCP-Readonly", "true"}, {"X-MCP-Tools", "create_list,get_list"}});
  CHECK(session_tools(port, header_ro) == Names{"get_list"});
  CHECK(upstream.requests().empty());
}

TEST_CASE("http: unknown names and bad values are 400 naming the setting; no session starts") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  const auto port = server.port();
  auto headers = mcp_headers();
  headers["X-MCP-Tools"] = "get_profils";
  auto typo = http_request(port, "POST", "/mcp", headers, kInitialize);
  CHECK(typo.status == 400);
  CHECK(typo.header("mcp-session-id").empty());
  CHECK(contains(typo.body, "X-MCP-Tools: unknown tool 'get_profils' (did you mean get_profile or get_profiles?)"));

  auto toolset = http_request(port, "POST", "/mcp?toolsets=list", mcp_headers(), kInitialize);
  CHECK(toolset.status == 400);
  CHECK(contains(toolset.body, "?toolsets=: unknown toolset 'list' (the toolsets are core, all, accounts"));

  auto flag = http_request(port, "POST", "/mcp?read_only=perhaps", mcp_headers(), kInitialize);
  CHECK(flag.status == 400);
  CHECK(contains(flag.body, "?read_only=: expected true or false"));
}

TEST_CASE("http: the session's tools are fixed at initialize; a later request may repeat them, not change them") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  const auto port = server.port();
  const auto session = open_session(port, "/mcp?toolsets=lists");
  const auto before = session_tools(port, session);
  CHECK(before.size() == 6);  // the core tools of lists

  // The same choice again (clients send their configured headers on every request) is fine.
  auto same = http_request(port, "POST", "/mcp?toolsets=lists", mcp_headers(session),
                           R"({"jsonrpc":"2.0","id":5,"method":"ping"})");
  CHECK(same.status == 200);
  auto headers = mcp_headers(session);
  headers["X-MCP-Toolsets"] = "core";
  auto changed = http_request(port, "POST", "/mcp", headers, R"({"jsonrpc":"2.0","id":6,"method":"ping"})");
  CHECK(changed.status == 400);
  CHECK(contains(changed.body, "chosen when it started"));
  CHECK(session_tools(port, session) == before);
}
