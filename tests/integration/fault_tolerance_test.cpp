// The real binary against a faulty Klaviyo: 5xx answers, dropped connections and a stalled
// upstream. Safe calls ride them out, creates are never sent twice, and a call never outlives
// its deadline by more than a small bound.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <set>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

std::string error_kind(const json::object& result) {
  REQUIRE(result.at("isError") == true);
  return std::string(result.at("_meta").at("klaviyo-mcp/error").at("kind").as_string());
}

// Every `n`th request gets `fault`, the others the default answer for their method.
FakeUpstream::Handler every_nth(int n, ScriptedResponse fault, std::shared_ptr<std::atomic<int>> counter) {
  return [n, fault = std::move(fault), counter](const RecordedRequest& request) {
    if (++*counter % n == 0) return fault;
    if (request.path == "/api/events") return ScriptedResponse::json(202, "");
    if (request.method == "POST") return ScriptedResponse::json(201, R"({"data":{"type":"list","id":"X","attributes":{}}})");
    if (request.method == "DELETE") return ScriptedResponse::json(204, "");
    return ScriptedResponse::json(200, R"({"data":[]})");
  };
}

json::object event_args(int i) {
  return json::object{
      {"properties", {{"order", i}}},
      {"metric", {{"data", {{"type", "metric"}, {"attributes", {{"name", "Placed Order"}}}}}}},
      {"profile", {{"data", {{"type", "profile"}, {"attributes", {{"email", "p" + std::to_string(i) + "@example.com"}}}}}}},
  };
}

// delete_list is outside the default core set, and runs here without the human's confirmation.
const std::vector<std::string> kDeletesAtOnce = {"--toolsets", "all", "--no-confirm"};

// Reads and deletes, which may be repeated: each must succeed.
void call_safe_tools(StdioServer& server, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    CAPTURE(i);
    CHECK(server.call_tool("get_lists", {}).at("isError") == false);
    CHECK(server.call_tool("delete_list", {{"list_id", "L" + std::to_string(i)}}).at("isError") == false);
  }
}

// Plain creates, which must not be repeated: each either succeeds or is outcome_unknown naming
// the list tool to check with. Returns how many were outcome_unknown.
int create_lists(StdioServer& server, int count) {
  int unknown = 0;
  for (int i = 0; i < count; ++i) {
    auto result = server.call_tool("create_list", {{"name", "List " + std::to_string(i)}});
    if (result.at("isError") == false) continue;
    CHECK(error_kind(result) == "outcome_unknown");
    CHECK(result.at("_meta").at("klaviyo-mcp/error").at("check_with") == "get_lists");
    ++unknown;
  }
  return unknown;
}

std::string unique_id_of(const RecordedRequest& request) {
  return std::string(json::parse(request.body).at("data").at("attributes").at("unique_id").as_string());
}

}  // namespace

TEST_CASE("an upstream answering 503 every third request: safe calls succeed, creates are never repeated") {
  FakeUpstream upstream;
  auto counter = std::make_shared<std::atomic<int>>(0);
  upstream.set_handler(every_nth(3, ScriptedResponse::json(503, R"({"errors":[{"detail":"Unavailable"}]})"), counter));
  StdioServer server(server_env(upstream.base_url()), kDeletesAtOnce);
  server.initialize();

  call_safe_tools(server, 6);

  // create_event carries a unique_id (generated when the caller gives none): safe to repeat.
  upstream.clear();
  std::set<std::string> ids;
  for (int i = 0; i < 6; ++i) CHECK(server.call_tool("create_event", event_args(i)).at("isError") == false);
  for (const auto& request : upstream.requests()) ids.insert(unique_id_of(request));
  CHECK(ids.size() == 6);                         // one key per call, shared by its retries
  CHECK(upstream.requests().size() > ids.size());  // some were retried

  // create_list has no such key: a 503 may hide a created list, so it is never sent again.
  upstream.clear();
  CHECK(create_lists(server, 6) >= 1);
  CHECK(upstream.requests().size() == 6);  // exactly one send each
}

TEST_CASE("dropped connections: reads and deletes are retried, a create is reported as outcome_unknown") {
  FakeUpstream upstream;
  auto counter = std::make_shared<std::atomic<int>>(0);
  ScriptedResponse reset;
  reset.reset_connection = true;
  auto answer = every_nth(2, reset, counter);
  // Connection: close keeps every request on a fresh connection, so what is tested is the
  // pipeline's retry decision, not the client's keep-alive race (a reused connection closed
  // under a request is retried once by the client itself).
  upstream.set_handler([answer](const RecordedRequest& request) {
    ScriptedResponse response = answer(request);
    response.headers.emplace_back("Connection", "close");
    return response;
  });
  StdioServer server(server_env(upstream.base_url()), kDeletesAtOnce);
  server.initialize();

  call_safe_tools(server, 4);

  upstream.clear();
  CHECK(create_lists(server, 4) >= 1);
  CHECK(upstream.requests().size() == 4);  // exactly one send each
}

TEST_CASE("a stalled upstream: the call ends as timeout by its deadline and the server stays responsive") {
  FakeUpstream upstream;
  std::atomic<bool> stall{true};
  upstream.set_handler([&stall](const RecordedRequest&) {
    ScriptedResponse response = ScriptedResponse::json(200, R"({"data":[]})");
    if (stall) response.delay = std::chrono::milliseconds(20000);
    return response;
  });
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--call-timeout", "1.5"});
  server.initialize();

  const auto started = std::chrono::steady_clock::now();
  const auto id = server.send_request("tools/call", {{"name", "get_lists"}, {"arguments", json::object{}}});
  REQUIRE(upstream.wait_for_requests(1, 5s));
  CHECK(server.request("ping").contains("result"));  // answered while the call is stalled

  auto response = server.wait_response(id, 10s);
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(response.has_value());
  const auto& result = response->at("result").as_object();
  CHECK(error_kind(result) == "timeout");
  const std::string message(result.at("_meta").at("klaviyo-mcp/error").at("message").as_string());
  CHECK(message.find("deadline") != std::string::npos);
  CHECK(took >= 1400ms);
  CHECK(took < 1500ms + 2s);  // the deadline plus a generous bound for a loaded machine
  // The first attempt's share of the time ran out, leaving time for one retry.
  CHECK(upstream.wait_for_requests(2, 2s));
  CHECK(upstream.requests().size() == 2);

  stall = false;
  CHECK(server.call_tool("get_lists", {}).at("isError") == false);
  CHECK(server.request("ping").contains("result"));
}

TEST_CASE("_meta klaviyo-mcp/timeout_seconds shortens one call; a bad value is invalid params") {
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) {
    ScriptedResponse response = ScriptedResponse::json(200, R"({"data":[]})");
    response.delay = std::chrono::milliseconds(20000);
    return response;
  });
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--call-timeout", "60"});
  server.initialize();

  const auto started = std::chrono::steady_clock::now();
  auto result = server.call_tool("get_lists", {}, {{"klaviyo-mcp/timeout_seconds", 1}});
  CHECK(error_kind(result) == "timeout");
  CHECK(std::chrono::steady_clock::now() - started < 1s + 2s);

  auto refused = server.request("tools/call", {{"name", "get_lists"},
                                               {"arguments", json::object{}},
                                               {"_meta", {{"klaviyo-mcp/timeout_seconds", "soon"}}}});
  REQUIRE(refused.contains("error"));
  CHECK(refused.at("error").at("code") == -32602);
  CHECK(std::string(refused.at("error").at("message").as_string()).find("klaviyo-mcp/timeout_seconds") !=
        std::string::npos);
}

TEST_CASE("a create that stalls is never repeated: outcome_unknown at the deadline") {
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) {
    ScriptedResponse response = ScriptedResponse::json(201, R"({"data":{"type":"list","id":"X"}})");
    response.delay = std::chrono::milliseconds(20000);
    return response;
  });
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--call-timeout", "1"});
  server.initialize();
  auto result = server.call_tool("create_list", {{"name", "VIP"}});
  CHECK(error_kind(result) == "outcome_unknown");
  CHECK(upstream.requests().size() == 1);
}
