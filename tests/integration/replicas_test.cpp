// Several replicas of the real binary sharing one real redis-server (started by the test on a
// free loopback port): calls spread over them are paced as one against a fake Klaviyo that
// keeps fixed windows, a session or a confirmation token begun on one is continued on another,
// when Redis stops mid-run the calls go on at each replica's share of the quota, and the same
// works with Redis over TLS (rediss://).
#include <doctest/doctest.h>

#include <thread>

#include "tests/integration/http_client.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"
#include "tests/support/klaviyo_windows.hpp"
#include "tests/support/redis_server.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

constexpr int kReplicas = 3;

std::vector<std::string> replica_args(const RedisServer& redis, std::vector<std::string> more = {}) {
  std::vector<std::string> args{"--redis", redis.url(), "--redis-fallback-replicas", std::to_string(kReplicas),
                                "--rate-margin-ms", "50"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string call_body(int id, const std::string& tool, json::object arguments = {}) {
  return json::serialize(json::object{{"jsonrpc", "2.0"},
                                      {"id", id},
                                      {"method", "tools/call"},
                                      {"params", {{"name", tool}, {"arguments", std::move(arguments)}}}});
}

// The one JSON-RPC answer of a POST (JSON or SSE); empty when there is none.
json::object answer_of(const HttpReply& reply) {
  for (auto& message : reply.messages())
    if (message.contains("id")) return message;
  return {};
}

bool succeeded(const json::object& answer) {
  const auto* result = answer.if_contains("result");
  return result && result->is_object() && result->as_object().contains("isError") &&
         result->as_object().at("isError") == false;
}

double metric_value(unsigned short port, const std::string& series) {
  const HttpReply scraped = http_request(port, "GET", "/metrics", {});
  const auto at = scraped.body.find(series + " ");
  if (at == std::string::npos) return 0;
  return std::stod(scraped.body.substr(at + series.size() + 1));
}

}  // namespace

TEST_CASE("calls spread round-robin over three replicas on one account meet no 429 and take the least time") {
  RedisServer redis;
  FakeUpstream upstream;
  KlaviyoWindows klaviyo({.routes = {{"GET", "/api/metrics", klaviyo_tiers::M, "get_metrics"}}});
  INFO("Klaviyo-like windows: ", klaviyo.describe());
  upstream.set_handler(klaviyo.handler());
  std::vector<std::unique_ptr<StdioServer>> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.push_back(std::make_unique<StdioServer>(server_env(upstream.base_url()), replica_args(redis)));
    replicas.back()->initialize();
  }

  // 50 calls at 10/s: the last can go 4 s after the first at the soonest (sliding windows).
  constexpr int kCalls = 50;
  const double least_seconds = kCalls / klaviyo_tiers::M.per_second - 1;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::pair<int, std::int64_t>> sent;
  for (int i = 0; i < kCalls; ++i) {
    const int replica = i % kReplicas;
    sent.emplace_back(replica, replicas[replica]->send_request("tools/call", {{"name", "get_metrics"}, {"arguments", json::object{}}}));
  }
  for (const auto& call : sent) {
    const int replica = call.first;
    const auto response = replicas[replica]->wait_response(call.second, 30s);
    REQUIRE_MESSAGE(response.has_value(), replicas[replica]->process().stderr_text());
    CHECK_MESSAGE(succeeded(*response), json::serialize(*response));
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("3 replicas, ", kCalls, " calls: ", took, " s against the least possible ", least_seconds,
          " s (ratio ", took / least_seconds, "); 429s: ", klaviyo.totals().rejected);
  CHECK(klaviyo.totals().rejected == 0);
  CHECK(klaviyo.totals().admitted == kCalls);
  CHECK(took <= 1.15 * least_seconds);
}

TEST_CASE("a session begun on one replica continues on the others, and a DELETE through one ends it on all") {
  RedisServer redis;
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) { return ScriptedResponse::json(200, R"({"data":[]})"); });
  std::vector<std::unique_ptr<HttpServer>> replicas;
  for (int i = 0; i < kReplicas; ++i)
    replicas.push_back(std::make_unique<HttpServer>(server_env(upstream.base_url()), replica_args(redis)));

  const std::string session = open_session(replicas[0]->port());
  const HttpReply listed = http_request(replicas[1]->port(), "POST", "/mcp", mcp_headers(session),
                                        R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
  REQUIRE(listed.status == 200);
  const auto tools = answer_of(listed);
  REQUIRE_MESSAGE(tools.contains("result"), listed.body);
  CHECK_FALSE(tools.at("result").at("tools").as_array().empty());

  const HttpReply called = http_request(replicas[2]->port(), "POST", "/mcp", mcp_headers(session), call_body(3, "get_metrics"));
  REQUIRE(called.status == 200);
  CHECK_MESSAGE(succeeded(answer_of(called)), called.body);
  // A session nobody began is not found anywhere.
  CHECK(http_request(replicas[2]->port(), "POST", "/mcp", mcp_headers("no-such-session"), call_body(4, "get_metrics"))
            .status == 404);

  CHECK(http_request(replicas[1]->port(), "DELETE", "/mcp", mcp_headers(session)).status == 200);
  for (int i = 0; i < kReplicas; ++i)
    CHECK(http_request(replicas[i]->port(), "POST", "/mcp", mcp_headers(session), call_body(5, "get_metrics")).status ==
          404);
}

TEST_CASE("a confirmation token issued by one replica is honoured once, by another") {
  RedisServer redis;
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) { return ScriptedResponse{.status = 204}; });
  std::vector<std::unique_ptr<StdioServer>> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.push_back(
        std::make_unique<StdioServer>(server_env(upstream.base_url()), replica_args(redis, {"--toolsets", "all"})));
    replicas.back()->initialize();
  }
  const auto kind_of = [](const json::object& result) {
    return std::string(result.at("_meta").at("klaviyo-mcp/error").at("kind").as_string());
  };
  const auto preview = replicas[0]->call_tool("delete_list", {{"list_id", "L1"}});
  REQUIRE(kind_of(preview) == "confirmation_required");
  const std::string token(preview.at("_meta").at("klaviyo-mcp/error").at("confirmation_token").as_string());
  CHECK(upstream.requests().empty());

  CHECK(replicas[1]->call_tool("delete_list", {{"list_id", "L1"}, {"confirmation_token", token}}).at("isError") == false);
  REQUIRE(upstream.requests().size() == 1);
  CHECK(upstream.requests()[0].path == "/api/lists/L1");

  for (int i : {2, 0, 1}) {
    const auto again = replicas[i]->call_tool("delete_list", {{"list_id", "L1"}, {"confirmation_token", token}});
    CHECK(kind_of(again) == "confirmation_required");  // used up: a fresh preview instead
  }
  CHECK(upstream.requests().size() == 1);
}

TEST_CASE("when Redis stops mid-run, calls go on at each replica's share, nothing hangs, and metrics show it") {
  RedisServer redis;
  FakeUpstream upstream;
  KlaviyoWindows klaviyo({.routes = {{"GET", "/api/metrics", klaviyo_tiers::M, "get_metrics"}}});
  upstream.set_handler(klaviyo.handler());
  std::vector<std::unique_ptr<HttpServer>> replicas;
  std::vector<std::string> sessions;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.push_back(std::make_unique<HttpServer>(server_env(upstream.base_url()), replica_args(redis)));
    sessions.push_back(open_session(replicas.back()->port()));
  }

  constexpr int kCallsEach = 12;
  std::vector<std::vector<std::string>> failures(kReplicas);
  std::vector<std::thread> clients;
  const auto started = std::chrono::steady_clock::now();
  for (int r = 0; r < kReplicas; ++r) {
    clients.emplace_back([&, r] {
      for (int i = 0; i < kCallsEach; ++i) {
        const HttpReply reply = http_request(replicas[r]->port(), "POST", "/mcp", mcp_headers(sessions[r]),
                                             call_body(10 + i, "get_metrics"), std::chrono::seconds(20));
        if (reply.status != 200 || !succeeded(answer_of(reply))) failures[r].push_back(std::to_string(reply.status) + " " + reply.body);
      }
    });
  }
  // About a third of the calls have gone by then (10/s shared).
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  redis.stop();
  for (auto& client : clients) client.join();
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (int r = 0; r < kReplicas; ++r) CHECK_MESSAGE(failures[r].empty(), failures[r].front());
  CHECK(klaviyo.totals().admitted == kReplicas * kCallsEach);
  // Without Redis each replica makes 3 calls a second; well under the 20 s a stuck call would take.
  CHECK(took < 12);
  double fallbacks = 0;
  for (int r = 0; r < kReplicas; ++r) {
    const double counted = metric_value(replicas[r]->port(), "kmcp_redis_fallbacks_total{use=\"rate\"}");
    CHECK(counted > 0);
    fallbacks += counted;
  }
  MESSAGE("Redis stopped after 1.2 s: ", took, " s for ", kReplicas * kCallsEach, " calls, ", fallbacks,
          " paced by the fallback, 429s (retried): ", klaviyo.totals().rejected);
}

TEST_CASE("replicas reach Redis over rediss:// with --redis-ca-file: a session and shared pacing cross them") {
  RedisServer redis(RedisServer::tls);
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) { return ScriptedResponse::json(200, R"({"data":[]})"); });
  std::vector<std::unique_ptr<HttpServer>> replicas;
  for (int i = 0; i < 2; ++i)
    replicas.push_back(std::make_unique<HttpServer>(server_env(upstream.base_url()),
                                                    replica_args(redis, {"--redis-ca-file", redis.ca_file()})));

  const std::string session = open_session(replicas[0]->port());
  for (int i = 0; i < 3; ++i) {
    const HttpReply called =
        http_request(replicas[1]->port(), "POST", "/mcp", mcp_headers(session), call_body(2 + i, "get_metrics"));
    REQUIRE(called.status == 200);
    CHECK_MESSAGE(succeeded(answer_of(called)), called.body);
  }
  // Every acquisition went through Redis: none fell back to the local share.
  for (auto& replica : replicas)
    CHECK(metric_value(replica->port(), "kmcp_redis_fallbacks_total{use=\"rate\"}") == 0);

  // A replica without the CA cannot trust the server: the session lives in a Redis it cannot
  // reach, so it is not found there (404, the client starts anew), and the miss is counted.
  HttpServer untrusting(server_env(upstream.base_url()), replica_args(redis));
  const HttpReply lost = http_request(untrusting.port(), "POST", "/mcp", mcp_headers(session), call_body(9, "get_metrics"));
  CHECK(lost.status == 404);
  CHECK(metric_value(untrusting.port(), "kmcp_redis_fallbacks_total{use=\"session\"}") > 0);
}
