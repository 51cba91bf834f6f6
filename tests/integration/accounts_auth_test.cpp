// Several accounts in one HTTP server, clients authenticated by bearer tokens, and the rule
// that no secret leaves the process: run with known keys and search every byte it wrote.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/integration/http_client.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

const std::string kDefaultKey = "pk_default_secret_000111";
const std::string kAcmeKey = "pk_acme_secret_000222";
const std::string kGlobexToken = "oauth_globex_secret_000333";
const std::string kAlpha = "alpha-client-token-000444";
const std::string kBeta = "beta-client-token-000555";

struct Fixture {
  Fixture() {
    std::ofstream(dir.path() / "tokens") << "# clients\n" << kAlpha << " acme,globex\n" << kBeta << "\n";
    Env env = server_env(upstream.base_url(), kDefaultKey);
    env["ACME_KEY"] = kAcmeKey;
    std::ofstream(dir.path() / "globex") << kGlobexToken << "\n";
    server.emplace(env, std::vector<std::string>{"--account", "acme=key-env:ACME_KEY", "--account",
                                                 "globex=oauth-file:" + (dir.path() / "globex").string(),
                                                 "--http-token-file", (dir.path() / "tokens").string(),
                                                 "--log-level", "debug"});
  }
  std::map<std::string, std::string> headers(const std::string& token, const std::string& session = {}) {
    auto h = mcp_headers(session);
    h["Authorization"] = "Bearer " + token;
    return h;
  }
  HttpReply post(const std::string& token, const std::string& session, const std::string& body,
                 const std::string& account = {}) {
    auto h = headers(token, session);
    if (!account.empty()) h["X-Klaviyo-Account"] = account;
    HttpReply reply = http_request(server->port(), "POST", "/mcp", h, body);
    written += reply.body;
    for (const auto& [name, value] : reply.headers) written += name + ": " + value + "\n";
    return reply;
  }
  std::string open(const std::string& token) {
    HttpReply init = post(token, "", kInitialize);
    REQUIRE(init.status == 200);
    const std::string session = init.header("mcp-session-id");
    post(token, session, R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    return session;
  }
  // The Authorization header Klaviyo saw for one get_lists call.
  std::string authorization_for(const std::string& token, const std::string& session, const std::string& account) {
    upstream.clear();
    HttpReply reply =
        post(token, session, R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_lists","arguments":{}}})",
             account);
    REQUIRE(reply.status == 200);
    const auto requests = upstream.requests();
    REQUIRE(requests.size() == 1);
    return requests[0].header("authorization");
  }

  TempDir dir;
  FakeUpstream upstream;
  std::optional<HttpServer> server;
  std::string written;  // every byte the server sent back
};

}  // namespace

TEST_CASE("accounts: each request acts for the account its token and X-Klaviyo-Account choose") {
  Fixture f;
  const std::string alpha = f.open(kAlpha);
  CHECK(f.authorization_for(kAlpha, alpha, "") == "Klaviyo-API-Key " + kAcmeKey);
  CHECK(f.authorization_for(kAlpha, alpha, "globex") == "Bearer " + kGlobexToken);
  const std::string beta = f.open(kBeta);
  CHECK(f.authorization_for(kBeta, beta, "") == "Klaviyo-API-Key " + kDefaultKey);
  CHECK(f.authorization_for(kBeta, beta, "acme") == "Klaviyo-API-Key " + kAcmeKey);

  // Refusals send nothing upstream.
  f.upstream.clear();
  CHECK(f.post(kAlpha, alpha, R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"get_lists"}})",
               "default")
            .status == 403);
  CHECK(http_request(f.server->port(), "POST", "/mcp", mcp_headers(alpha), kInitialize).status == 401);
  CHECK(f.post(kBeta, alpha, R"({"jsonrpc":"2.0","id":9,"method":"ping"})").status == 404);
  CHECK(f.upstream.requests().empty());
}

TEST_CASE("secrets: no key or token appears in anything the server writes, even when Klaviyo echoes one") {
  Fixture f;
  const std::string alpha = f.open(kAlpha);
  // An upstream error and a record that quote the key back.
  f.upstream.enqueue(ScriptedResponse::json(
      400, R"({"errors":[{"status":400,"code":"invalid","title":"Bad","detail":"key )" + kAcmeKey + R"( is odd"}]})"));
  f.post(kAlpha, alpha, R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_lists","arguments":{}}})");
  f.upstream.enqueue(ScriptedResponse::json(
      200, R"({"data":[{"type":"list","id":"L1","attributes":{"name":")" + kAcmeKey + R"("}}]})"));
  HttpReply listed = f.post(
      kAlpha, alpha, R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_lists","arguments":{}}})");
  CHECK(listed.body.find("[redacted]") != std::string::npos);
  // Bad arguments, an unknown tool, a bad token, a malformed body.
  f.post(kAlpha, alpha, R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_list","arguments":{"id":7}}})");
  f.post(kAlpha, alpha, R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"nope"}})");
  f.post(kAlpha + "x", alpha, R"({"jsonrpc":"2.0","id":6,"method":"ping"})");
  f.post(kAlpha, alpha, "{not json");
  // The metrics saw those calls, and no secret either.
  HttpReply scraped = http_request(f.server->port(), "GET", "/metrics", {{"Authorization", "Bearer " + kBeta}}, "");
  CHECK(scraped.status == 200);
  CHECK(scraped.body.find("kmcp_tool_calls_total{tool=\"get_lists\",outcome=\"ok\"} 1\n") != std::string::npos);
  CHECK(scraped.body.find("kmcp_upstream_requests_total{status=\"400\"} 1\n") != std::string::npos);
  CHECK(scraped.body.find("kmcp_http_sessions 1\n") != std::string::npos);
  f.written += scraped.body;
  f.server->process().terminate();
  REQUIRE(f.server->process().wait_exit(std::chrono::seconds(20)));
  const std::string log = f.server->process().stderr_text();
  CHECK(log.find("\"secret_redacted\"") != std::string::npos);
  // Each call's log line names its request, JSON-RPC id, session, account and Klaviyo's answer.
  std::set<std::string> request_ids;
  std::size_t call_lines = 0;
  bool found = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    json::value entry = json::parse(line, ec);
    if (ec || !entry.is_object() || entry.as_object().if_contains("event") == nullptr ||
        entry.at("event") != "tool_call")
      continue;
    const json::object& call = entry.as_object();
    REQUIRE(call.if_contains("request_id"));
    request_ids.insert(std::string(call.at("request_id").as_string()));
    ++call_lines;
    if (call.at("rpc_id") != 3) continue;
    found = true;
    CHECK(call.at("tool") == "get_lists");
    CHECK(call.at("account") == "acme");
    CHECK(call.at("status") == 200);
    CHECK(call.at("session").as_string() == alpha.substr(0, 8));
    CHECK(call.at("upstream_ms").is_number());
    CHECK(call.at("duration_ms").is_number());
  }
  CHECK(found);
  CHECK(call_lines >= 2);
  CHECK(request_ids.size() == call_lines);  // one per call, none repeated
  for (const std::string& secret : {kDefaultKey, kAcmeKey, kGlobexToken, kAlpha, kBeta}) {
    CHECK_MESSAGE(log.find(secret) == std::string::npos, secret);
    CHECK_MESSAGE(f.written.find(secret) == std::string::npos, secret);
  }
  // What Klaviyo received did carry the keys: the search above could have found them.
  CHECK(f.upstream.requests().size() >= 2);
}

TEST_CASE("secrets: --help and startup refusals show no key") {
  auto help = run_binary({"--help"}, {{"KLAVIYO_API_KEY", kDefaultKey}, {"KLAVIYO_OAUTH_TOKEN", kGlobexToken}});
  CHECK(help.out.find(kDefaultKey) == std::string::npos);
  CHECK(help.out.find(kGlobexToken) == std::string::npos);
  auto refused = run_binary({"--account", kAcmeKey}, {});
  CHECK(refused.status == 2);
  CHECK(refused.err.find(kAcmeKey) == std::string::npos);
  auto pasted = run_binary({"--account", "acme=" + kAcmeKey}, {});
  CHECK(pasted.status == 2);
  CHECK(pasted.err.find(kAcmeKey) == std::string::npos);
}
