// Streamable HTTP against the real binary: sessions, JSON and SSE replies, Origin/Host checks.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/integration/http_client.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

TEST_CASE("a session: initialize, list, call, end") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  auto port = server.port();
  auto session = open_session(port);
  CHECK(session.size() >= 16);
  for (char c : session) CHECK((c >= 0x21 && c <= 0x7e));

  auto list = http_request(port, "POST", "/mcp", mcp_headers(session),
                           R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
  CHECK(list.status == 200);
  CHECK(list.header("content-type").rfind("application/json", 0) == 0);
  auto msgs = list.messages();
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].at("result").at("tools").as_array().size() > 0);

  auto call = http_request(port, "POST", "/mcp", mcp_headers(session),
                           R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_lists","arguments":{}}})");
  CHECK(call.status == 200);
  auto call_msgs = call.messages();
  REQUIRE(call_msgs.size() == 1);
  CHECK(call_msgs[0].at("result").at("isError") == false);
  CHECK(upstream.requests().size() == 1);

  auto del = http_request(port, "DELETE", "/mcp", mcp_headers(session));
  CHECK((del.status == 200 || del.status == 204));
  auto after = http_request(port, "POST", "/mcp", mcp_headers(session), R"({"jsonrpc":"2.0","id":4,"method":"ping"})");
  CHECK(after.status == 404);
}

TEST_CASE("progress turns the reply into an SSE stream with the progress before the result") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  auto session = open_session(server.port());
  auto r = http_request(server.port(), "POST", "/mcp", mcp_headers(session),
                        R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"get_lists",)"
                        R"("arguments":{},"_meta":{"progressToken":42}}})");
  CHECK(r.status == 200);
  CHECK(r.header("content-type").rfind("text/event-stream", 0) == 0);
  auto msgs = r.messages();
  REQUIRE(msgs.size() >= 2);
  CHECK(msgs.front().at("method") == "notifications/progress");
  CHECK(msgs.front().at("params").at("progressToken") == 42);
  CHECK(msgs.back().at("id") == 9);
  CHECK(msgs.back().at("result").at("isError") == false);
}

TEST_CASE("session and protocol headers are enforced") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  auto port = server.port();
  const std::string ping = R"({"jsonrpc":"2.0","id":5,"method":"ping"})";

  CHECK(http_request(port, "POST", "/mcp", mcp_headers(), ping).status == 400);
  CHECK(http_request(port, "POST", "/mcp", mcp_headers("no-such-session"), ping).status == 404);

  auto session = open_session(port);
  auto headers = mcp_headers(session);
  headers["MCP-Protocol-Version"] = "1999-01-01";
  CHECK(http_request(port, "POST", "/mcp", headers, ping).status == 400);

  auto text = mcp_headers(session);
  text["Content-Type"] = "text/plain";
  CHECK(http_request(port, "POST", "/mcp", text, ping).status == 415);

  CHECK(http_request(port, "PUT", "/mcp", mcp_headers(session), ping).status == 405);
  CHECK(http_request(port, "POST", "/elsewhere", mcp_headers(session), ping).status == 404);

  auto get = mcp_headers(session);
  get["Accept"] = "application/json";
  CHECK(http_request(port, "GET", "/mcp", get).status == 405);
}

TEST_CASE("Origin and Host are checked against DNS rebinding") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  auto port = server.port();

  auto evil_origin = mcp_headers();
  evil_origin["Origin"] = "https://evil.example";
  CHECK(http_request(port, "POST", "/mcp", evil_origin, kInitialize).status == 403);

  auto evil_host = mcp_headers();
  evil_host["Host"] = "evil.example:" + std::to_string(port);
  CHECK(http_request(port, "POST", "/mcp", evil_host, kInitialize).status == 403);

  auto local_origin = mcp_headers();
  local_origin["Origin"] = "http://localhost:" + std::to_string(port);
  CHECK(http_request(port, "POST", "/mcp", local_origin, kInitialize).status == 200);
}

TEST_CASE("an allowed extra origin and host can be configured") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()),
                    {"--allowed-origin", "https://app.example", "--allowed-host", "mcp.example"});
  auto headers = mcp_headers();
  headers["Origin"] = "https://app.example";
  headers["Host"] = "mcp.example";
  CHECK(http_request(server.port(), "POST", "/mcp", headers, kInitialize).status == 200);
}

TEST_CASE("many sessions at once") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i)
    clients.emplace_back([&] {
      auto r = http_request(server.port(), "POST", "/mcp", mcp_headers(), kInitialize);
      auto id = r.header("mcp-session-id");
      auto call = http_request(server.port(), "POST", "/mcp", mcp_headers(id),
                               R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_lists","arguments":{}}})");
      if (call.status == 200 && call.messages().size() == 1) ++ok;
    });
  for (auto& t : clients) t.join();
  CHECK(ok == 16);
  CHECK(upstream.requests().size() == 16);
}

TEST_CASE("/healthz and /readyz answer probes with any Host; other methods are refused") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  const auto port = server.port();
  const std::map<std::string, std::string> probe_host{{"Host", "10.1.2.3:" + std::to_string(port)}};
  for (const char* path : {"/healthz", "/readyz"}) {
    CAPTURE(path);
    const auto reply = http_request(port, "GET", path, probe_host);
    CHECK(reply.status == 200);
    CHECK(reply.body.find("\"ok\"") != std::string::npos);
    CHECK(http_request(port, "HEAD", path, probe_host).status == 200);
    const auto post = http_request(port, "POST", path, probe_host, "{}");
    CHECK(post.status == 405);
    CHECK(post.header("allow") == "GET, HEAD");
  }
  CHECK(http_request(port, "GET", "/healthzz", {}).status == 404);
  CHECK(upstream.requests().empty());
}

TEST_CASE("a client that can elicit but takes only JSON replies gets the token path at once, not a wait") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  const auto port = server.port();
  const std::string initialize =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
      R"("capabilities":{"elicitation":{}},"clientInfo":{"name":"t","version":"1"}}})";
  const auto opened = http_request(port, "POST", "/mcp", mcp_headers(), initialize);
  REQUIRE(opened.status == 200);
  const std::string session = opened.header("mcp-session-id");
  auto json_only = mcp_headers(session);
  json_only["Accept"] = "application/json";
  const auto started = std::chrono::steady_clock::now();
  const auto call = http_request(
      port, "POST", "/mcp", json_only,
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_list","arguments":{"list_id":"Y6nRLr"}}})");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));  // not the 60 s call deadline
  REQUIRE(call.status == 200);
  const auto messages = call.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].at("result").at("isError") == true);
  CHECK(boost::json::serialize(messages[0]).find("confirmation_token") != std::string::npos);
  CHECK(upstream.requests().empty());
}
