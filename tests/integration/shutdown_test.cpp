// Graceful shutdown of the real binary: SIGTERM over HTTP and stdio, the grace period, a second
// signal, and clients that hold connections open or stop reading. Every wait is bounded.
#include <doctest/doctest.h>

#include <future>
#include <sstream>

#include "tests/integration/http_client.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

const std::string kCall =
    R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_lists","arguments":{}}})";
const std::string kPing = R"({"jsonrpc":"2.0","id":8,"method":"ping"})";

// Every upstream request is answered after `delay`.
void answer_after(FakeUpstream& upstream, std::chrono::milliseconds delay) {
  upstream.set_handler([delay](const RecordedRequest&) {
    ScriptedResponse r = ScriptedResponse::json(200, R"({"data":[]})");
    r.delay = delay;
    return r;
  });
}

// A tools/call on its own thread; the reply, or an exception when the server hung up. Declare
// the future before the server: its destructor waits for the thread, which ends once the
// server is gone.
std::future<HttpReply> call_in_background(unsigned short port, const std::string& session) {
  return std::async(std::launch::async, [port, session] {
    return http_request(port, "POST", "/mcp", mcp_headers(session), kCall, 30s);
  });
}

// initialize, then a tools/call that has reached the upstream; its id.
std::int64_t start_call(StdioServer& server, const FakeUpstream& upstream) {
  server.initialize();
  const auto id = server.send_request("tools/call", {{"name", "get_lists"}, {"arguments", json::object{}}});
  REQUIRE(upstream.wait_for_requests(1, 10s));
  return id;
}

// The server's {"event":"stopped",...} log line, once it has exited.
json::object stopped_entry(Subprocess& process) {
  std::istringstream lines(process.stderr_text());
  for (std::string line; std::getline(lines, line);) {
    json::object entry = json::parse(line).as_object();
    if (entry.at("event") == "stopped") return entry;
  }
  FAIL("no \"stopped\" in the log: " << process.stderr_text());
  return {};
}

bool ready_within(std::future<HttpReply>& reply, std::chrono::milliseconds bound) {
  return reply.wait_for(bound) == std::future_status::ready;
}

}  // namespace

TEST_CASE("SIGTERM over HTTP: the call under way is answered, new work is refused, then exit 0") {
  FakeUpstream upstream;
  answer_after(upstream, 1500ms);
  std::future<HttpReply> call;
  HttpServer server(server_env(upstream.base_url()));
  const auto port = server.port();
  const std::string session = open_session(port);
  KeptConnection kept(port);
  CHECK(kept.exchange("POST", mcp_headers(session), kPing).status == 200);
  call = call_in_background(port, session);
  REQUIRE(upstream.wait_for_requests(1, 10s));

  server.process().terminate();
  REQUIRE_MESSAGE(server.process().wait_stderr_contains("\"draining\"", 10s), server.process().stderr_text());
  CHECK(connection_refused(port));
  const HttpReply refused = kept.exchange("POST", mcp_headers(session), kPing);
  CHECK(refused.status == 503);
  CHECK_FALSE(refused.header("retry-after").empty());
  CHECK(refused.header("connection") == "close");
  REQUIRE(refused.messages().size() == 1);
  CHECK(refused.messages()[0].contains("error"));
  CHECK(kept.closed_by_server());

  REQUIRE(ready_within(call, 15s));
  const HttpReply answer = call.get();
  CHECK(answer.status == 200);
  REQUIRE(answer.messages().size() == 1);
  CHECK(answer.messages()[0].at("id") == 7);
  CHECK(answer.messages()[0].at("result").at("isError") == false);
  CHECK(server.process().wait_exit(10s) == std::optional<int>(0));
  CHECK(stopped_entry(server.process()).at("requests_cancelled") == 0);
}

TEST_CASE("SIGTERM over HTTP: a call longer than the grace period is cancelled and the server exits 0") {
  FakeUpstream upstream;
  answer_after(upstream, 60s);
  auto env = server_env(upstream.base_url());
  env["KLAVIYO_MCP_SHUTDOWN_GRACE"] = "1";
  std::future<HttpReply> call;
  HttpServer server(env);
  const std::string session = open_session(server.port());
  call = call_in_background(server.port(), session);
  REQUIRE(upstream.wait_for_requests(1, 10s));

  server.process().terminate();
  // The grace period (1 s) and a generous margin: far less than the upstream's delay.
  CHECK(server.process().wait_exit(8s) == std::optional<int>(0));
  CHECK(stopped_entry(server.process()).at("requests_cancelled").to_number<int>() >= 1);
  REQUIRE(ready_within(call, 10s));  // the client was let go, with no answer
}

TEST_CASE("SIGTERM over HTTP: idle keep-alive connections and an open event stream do not delay exit") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()), {"--shutdown-grace", "60"});
  const auto port = server.port();
  const std::string session = open_session(port);
  KeptConnection idle(port);
  CHECK(idle.exchange("POST", mcp_headers(session), kPing).status == 200);
  KeptConnection stream(port);
  auto get = mcp_headers(session);
  get["Accept"] = "text/event-stream";
  CHECK(stream.open_stream(get).status == 200);

  server.process().terminate();
  CHECK(server.process().wait_exit(10s) == std::optional<int>(0));
  CHECK(idle.closed_by_server(5s));
  CHECK(stream.closed_by_server(5s));
}

TEST_CASE("a second SIGTERM cancels the calls under way at once") {
  FakeUpstream upstream;
  answer_after(upstream, 60s);
  std::future<HttpReply> call;
  HttpServer server(server_env(upstream.base_url()), {"--shutdown-grace", "60"});
  const std::string session = open_session(server.port());
  call = call_in_background(server.port(), session);
  REQUIRE(upstream.wait_for_requests(1, 10s));

  server.process().terminate();
  REQUIRE(server.process().wait_stderr_contains("\"draining\"", 10s));
  server.process().terminate();
  CHECK(server.process().wait_exit(10s) == std::optional<int>(0));
  REQUIRE(ready_within(call, 10s));
}

TEST_CASE("stdio: closing stdin with a call under way cancels it and exits 0 promptly") {
  FakeUpstream upstream;
  answer_after(upstream, 60s);
  StdioServer server(server_env(upstream.base_url()));
  const auto id = start_call(server, upstream);
  server.process().close_stdin();
  CHECK(server.process().wait_exit(10s) == std::optional<int>(0));
  // Whatever stdout still carries is complete lines; the call, if answered, was cancelled.
  if (auto answer = server.wait_response(id, 1s)) CHECK(answer->at("result").at("isError") == true);
}

TEST_CASE("stdio: a client that never reads stdout cannot keep the server alive after stdin closes") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  // Each first page of tools/list is about 100 KB: more than a pipe holds, and nobody reads.
  for (int i = 0; i < 4; ++i) server.send_request("tools/list");
  server.process().close_stdin();
  CHECK(server.process().wait_exit(15s) == std::optional<int>(0));
  CHECK(server.process().stderr_text().find("\"stdout_flush_timeout\"") != std::string::npos);
}

TEST_CASE("SIGTERM over stdio: the call under way is answered, then exit 0 with stdin still open") {
  FakeUpstream upstream;
  answer_after(upstream, 1500ms);
  StdioServer server(server_env(upstream.base_url()));
  const auto id = start_call(server, upstream);
  server.process().terminate();
  const auto answer = server.wait_response(id, 15s);
  REQUIRE(answer.has_value());
  CHECK(answer->at("result").at("isError") == false);
  CHECK(server.process().wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("--shutdown-grace is documented and checked") {
  {
    Subprocess help({KMCP_BINARY, "--help"});
    std::string out;
    while (auto line = help.read_line(5s)) out += *line + "\n";
    CHECK(out.find("--shutdown-grace") != std::string::npos);
    CHECK(out.find("KLAVIYO_MCP_SHUTDOWN_GRACE") != std::string::npos);
    CHECK(help.wait_exit(10s) == std::optional<int>(0));
  }
  Subprocess bad({KMCP_BINARY, "--shutdown-grace", "-1"});
  bad.close_stdin();
  CHECK(bad.wait_exit(10s) == std::optional<int>(2));
}
