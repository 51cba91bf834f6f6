// MCP over stdio against the real binary: lifecycle, JSON-RPC errors, progress, logging,
// cancellation, and exiting when stdin closes.
#include <doctest/doctest.h>

#include <set>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {
json::object error_of(const json::object& response) {
  REQUIRE(response.contains("error"));
  return response.at("error").as_object();
}
}  // namespace

TEST_CASE("initialize negotiates the protocol version") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  auto r = server.request("initialize", {{"protocolVersion", "2025-06-18"},
                                         {"capabilities", json::object{}},
                                         {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
  auto& result = r.at("result").as_object();
  CHECK(result.at("protocolVersion") == "2025-06-18");
  CHECK(result.at("serverInfo").at("name") == "klaviyo-mcp");
  CHECK(result.at("capabilities").as_object().contains("tools"));
  CHECK(result.at("capabilities").as_object().contains("logging"));

  StdioServer other(server_env(upstream.base_url()));
  auto r2 = other.request("initialize", {{"protocolVersion", "1999-01-01"},
                                         {"capabilities", json::object{}},
                                         {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
  CHECK(r2.at("result").at("protocolVersion") == "2025-11-25");
}

TEST_CASE("JSON-RPC faults get the right error codes and the server keeps serving") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();

  server.send_line("{not json");
  auto parse = server.next_message(10s);
  REQUIRE(parse);
  CHECK(error_of(*parse).at("code") == -32700);
  CHECK(parse->at("id").is_null());

  server.send_line(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  auto batch = server.next_message(10s);
  REQUIRE(batch);
  CHECK(error_of(*batch).at("code") == -32600);

  server.send_line(R"({"jsonrpc":"1.0","id":7,"method":"ping"})");
  auto version = server.next_message(10s);
  REQUIRE(version);
  CHECK(error_of(*version).at("code") == -32600);

  CHECK(error_of(server.request("no/such/method")).at("code") == -32601);
  CHECK(error_of(server.request("tools/call", {{"name", "no_such_tool"}, {"arguments", json::object{}}}))
            .at("code") == -32602);
  CHECK(error_of(server.request("tools/call", {{"name", "get_lists"}, {"arguments", "nope"}})).at("code") ==
        -32602);
  CHECK(error_of(server.request("logging/setLevel", {{"level", "loud"}})).at("code") == -32602);

  // A notification is never answered: the next message is the ping's reply.
  server.notify("notifications/initialized");
  auto ping = server.request("ping");
  CHECK(ping.at("result").as_object().empty());
}

TEST_CASE("every line on stdout is a JSON-RPC message, and the server exits when stdin closes") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--log-level", "debug"});
  server.initialize();
  server.call_tool("get_lists", {});
  server.process().close_stdin();
  while (auto line = server.process().read_line(5s)) {
    auto v = json::parse(*line);
    CHECK(v.as_object().at("jsonrpc") == "2.0");
  }
  auto status = server.process().wait_exit(10s);
  REQUIRE(status.has_value());
  CHECK(*status == 0);
  // Logs went to stderr, as JSON lines.
  CHECK(server.process().stderr_text().find("\"event\"") != std::string::npos);
}

TEST_CASE("tools/list pages through every tool with cursors") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  server.initialize();
  std::set<std::string> names;
  std::string cursor;
  int pages = 0;
  do {
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    auto r = server.request("tools/list", params).at("result").as_object();
    for (auto& t : r.at("tools").as_array()) {
      auto& tool = t.as_object();
      CHECK(tool.at("inputSchema").at("type") == "object");
      CHECK(tool.contains("title"));
      CHECK(tool.contains("annotations"));
      CHECK(names.insert(std::string(tool.at("name").as_string())).second);
    }
    cursor = r.contains("nextCursor") ? std::string(r.at("nextCursor").as_string()) : "";
  } while (!cursor.empty() && ++pages < 50);
  CHECK(names.size() >= 51);
  CHECK(names.count("get_profiles") == 1);
  CHECK(names.count("add_profiles_to_list") == 1);
  CHECK(names.count("create_or_update_profile") == 1);

  CHECK(error_of(server.request("tools/list", {{"cursor", "not-a-cursor"}})).at("code") == -32602);
}

TEST_CASE("without a key, a tool call names the variable to set and sends nothing") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url(), ""));
  server.initialize();
  auto result = server.call_tool("get_lists", {});
  CHECK(result.at("isError") == true);
  CHECK(json::serialize(result).find("KLAVIYO_API_KEY") != std::string::npos);
  CHECK(upstream.requests().empty());
}

TEST_CASE("progress notifications flow when the caller sends a progressToken") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  auto result = server.call_tool("get_lists", {}, {{"progressToken", "tok-1"}});
  CHECK(result.at("isError") == false);
  int progress = 0;
  for (auto& n : server.notifications)
    if (n.at("method") == "notifications/progress") {
      CHECK(n.at("params").at("progressToken") == "tok-1");
      ++progress;
    }
  CHECK(progress >= 1);
}

TEST_CASE("logging/setLevel turns on log notifications for tool calls") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  server.call_tool("get_lists", {});
  auto count_logs = [&] {
    int n = 0;
    for (auto& m : server.notifications) n += m.at("method") == "notifications/message";
    return n;
  };
  CHECK(count_logs() == 0);
  CHECK(server.request("logging/setLevel", {{"level", "debug"}}).contains("result"));
  server.call_tool("get_lists", {});
  CHECK(count_logs() >= 1);
  for (auto& m : server.notifications)
    if (m.at("method") == "notifications/message")
      CHECK(json::serialize(m).find("pk_test_0123456789abcdef") == std::string::npos);
}

TEST_CASE("notifications/cancelled stops the call and its outbound request") {
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) {
    ScriptedResponse r;
    r.delay = std::chrono::milliseconds(8000);
    r.body = R"({"data":[]})";
    return r;
  });
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  auto start = std::chrono::steady_clock::now();
  auto id = server.send_request("tools/call", {{"name", "get_lists"}, {"arguments", json::object{}}});
  REQUIRE(upstream.wait_for_requests(1, 5s));
  server.notify("notifications/cancelled", {{"requestId", id}, {"reason", "user gave up"}});
  // The server stays responsive and never answers the cancelled call.
  CHECK(server.request("ping").contains("result"));
  CHECK_FALSE(server.wait_response(id, 1500ms).has_value());
  CHECK(std::chrono::steady_clock::now() - start < 6s);
}

TEST_CASE("the API key never appears in anything the server writes") {
  const std::string key = "pk_SECRET_f00dfeed4242";
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest& r) {
    if (r.path == "/api/lists") return ScriptedResponse::json(200, R"({"data":[]})");
    return ScriptedResponse::json(403, R"({"errors":[{"status":"403","code":"permission_denied","detail":"nope"}]})");
  });
  std::string everything;
  {
    StdioServer server(server_env(upstream.base_url(), key), {"--log-level", "debug"});
    server.initialize();
    server.request("logging/setLevel", {{"level", "debug"}});
    everything += json::serialize(server.call_tool("get_lists", {}));
    everything += json::serialize(server.call_tool("get_list", {{"list_id", "Y6nRLr"}}));
    everything += json::serialize(server.call_tool("add_profiles_to_list", {{"list_id", "x"}, {"profile_ids", json::array{}}}));
    for (auto& n : server.notifications) everything += json::serialize(n);
    server.process().close_stdin();
    while (auto line = server.process().read_line(5s)) everything += *line;
    server.process().wait_exit(10s);
    everything += server.process().stderr_text();
  }
  REQUIRE(upstream.requests().size() == 2);
  CHECK(upstream.requests()[0].headers.at("authorization") == "Klaviyo-API-Key " + key);
  CHECK(everything.find("SECRET_f00dfeed") == std::string::npos);
  CHECK(everything.find("permission_denied") != std::string::npos);  // the error itself does show
}

TEST_CASE("the original action names and older operationIds call the same tool, unlisted") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  for (const char* alias : {"add_profile_to_list", "KLAVIYO_ADD_PROFILE_TO_LIST", "create_list_relationships"}) {
    CAPTURE(alias);
    upstream.clear();
    upstream.enqueue(ScriptedResponse{.status = 204});
    auto result = server.call_tool(alias, {{"list_id", "Y6nRLr"}, {"profile_ids", json::array{"01GDDKASAP8TKDDA2GRZDSVP4H"}}});
    CHECK_MESSAGE(result.at("isError") == false, json::serialize(result));
    REQUIRE(upstream.requests().size() == 1);
    CHECK(upstream.requests()[0].path == "/api/lists/Y6nRLr/relationships/profiles");
  }
  std::string listing;
  std::string cursor;
  do {
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    auto page = server.request("tools/list", params).at("result").as_object();
    listing += json::serialize(page.at("tools"));
    cursor = page.contains("nextCursor") ? std::string(page.at("nextCursor").as_string()) : "";
  } while (!cursor.empty());
  CHECK(listing.find("\"add_profile_to_list\"") == std::string::npos);
  CHECK(listing.find("Add Profile To List") != std::string::npos);  // the action's name is the title
}
