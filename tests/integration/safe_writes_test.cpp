// Safe writes through the real binary over stdio: a destructive call needs a confirmation token
// the server issued for exactly that call (nothing reaches Klaviyo before), --no-confirm runs it
// at once, and dry_run describes the request without sending it.
#include <doctest/doctest.h>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

const std::string kKey = "pk_test_0123456789abcdef";

const json::object& error_of(const json::object& result) {
  REQUIRE(result.at("isError") == true);
  return result.at("_meta").at("klaviyo-mcp/error").as_object();
}

std::string text_of(const json::object& result) {
  return std::string(result.at("content").at(0).at("text").as_string());
}

std::string token_of(const json::object& result) {
  const auto& error = error_of(result);
  REQUIRE(error.at("kind") == "confirmation_required");
  return std::string(error.at("confirmation_token").as_string());
}

json::object delete_args(std::string list_id, std::string token = "") {
  json::object args{{"list_id", std::move(list_id)}};
  if (!token.empty()) args["confirmation_token"] = std::move(token);
  return args;
}

}  // namespace

TEST_CASE("a destructive call runs only with the token its preview gave, once, for the same arguments") {
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) { return ScriptedResponse{.status = 204}; });
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  server.initialize();

  const auto preview = server.call_tool("delete_list", delete_args("L1"));
  const auto token = token_of(preview);
  CHECK(error_of(preview).at("method") == "DELETE");
  CHECK(error_of(preview).at("path") == "/api/lists/L1");
  CHECK(text_of(preview).find(token) != std::string::npos);
  CHECK(upstream.requests().empty());

  CHECK(server.call_tool("delete_list", delete_args("L1", token)).at("isError") == false);
  REQUIRE(upstream.requests().size() == 1);
  CHECK(upstream.requests()[0].method == "DELETE");
  CHECK(upstream.requests()[0].path == "/api/lists/L1");

  const auto reused = server.call_tool("delete_list", delete_args("L1", token));
  CHECK(token_of(reused) != token);
  CHECK(error_of(reused).at("argument") == "confirmation_token");

  const auto other = token_of(server.call_tool("delete_list", delete_args("L1")));
  const auto altered = server.call_tool("delete_list", delete_args("L2", other));
  CHECK(text_of(altered).find("other arguments") != std::string::npos);
  CHECK(upstream.requests().size() == 1);

  const auto made_up = server.call_tool("delete_list", delete_args("L1", "confirm-0123"));
  CHECK(error_of(made_up).at("kind") == "confirmation_required");
  CHECK(upstream.requests().size() == 1);
}

TEST_CASE("--no-confirm (or KLAVIYO_MCP_NO_CONFIRM) runs destructive tools at once") {
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest&) { return ScriptedResponse{.status = 204}; });
  SUBCASE("flag") {
    StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--no-confirm"});
    server.initialize();
    CHECK(server.call_tool("delete_list", delete_args("L1")).at("isError") == false);
  }
  SUBCASE("variable") {
    auto env = server_env(upstream.base_url());
    env["KLAVIYO_MCP_NO_CONFIRM"] = "true";
    StdioServer server(env, {"--toolsets", "all"});
    server.initialize();
    CHECK(server.call_tool("delete_list", delete_args("L1")).at("isError") == false);
  }
  CHECK(upstream.requests().size() == 1);
}

TEST_CASE("dry_run describes the exact request and sends nothing, without the key") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  server.initialize();

  const auto result = server.call_tool("create_list", {{"name", "VIP"}, {"dry_run", true}});
  const auto& error = error_of(result);
  CHECK(error.at("kind") == "dry_run");
  const auto& request = error.at("request");
  CHECK(request.at("method") == "POST");
  CHECK(request.at("url").as_string() == upstream.base_url() + "/api/lists");
  CHECK(request.at("headers").at("Authorization") == "Klaviyo-API-Key ***");
  CHECK(request.at("headers").at("revision") == "2026-07-15");
  CHECK(request.at("headers").at("Content-Type") == "application/vnd.api+json");
  CHECK(request.at("body").at("data").at("type") == "list");
  CHECK(request.at("body").at("data").at("attributes").at("name") == "VIP");
  CHECK(json::serialize(result).find(kKey) == std::string::npos);

  // A destructive tool's dry run needs no token.
  CHECK(error_of(server.call_tool("delete_list", {{"list_id", "L1"}, {"dry_run", true}})).at("kind") == "dry_run");
  CHECK(upstream.requests().empty());
}

TEST_CASE("send_campaign's preview carries the recipient estimate, or says it is unavailable") {
  FakeUpstream upstream;
  upstream.set_handler([](const RecordedRequest& r) {
    if (r.method == "GET" && r.path == "/api/campaign-recipient-estimations/C1")
      return ScriptedResponse::json(
          200, R"({"data":{"type":"campaign-recipient-estimation","id":"C1","attributes":{"estimated_recipient_count":1234}}})");
    return ScriptedResponse::json(404, R"({"errors":[{"status":"404","code":"not_found","detail":"Not found."}]})");
  });
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();

  const auto preview = server.call_tool("send_campaign", {{"campaign_id", "C1"}});
  token_of(preview);
  CHECK(error_of(preview).at("recipient_estimate") == 1234);
  CHECK(text_of(preview).find("Estimated recipients: 1234") != std::string::npos);

  const auto unknown = server.call_tool("send_campaign", {{"campaign_id", "C2"}});
  token_of(unknown);
  CHECK(error_of(unknown).at("recipient_estimate").is_null());
  CHECK(text_of(unknown).find("recipient estimate is unavailable") != std::string::npos);

  // Only the estimation reads reached Klaviyo: no send.
  for (const auto& r : upstream.requests()) CHECK(r.method == "GET");
  CHECK(upstream.requests().size() == 2);
}
