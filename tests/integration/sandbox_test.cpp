// --sandbox end to end: the real binary, its simulated Klaviyo on loopback, driven through MCP
// the way an agent would, and every tool called once against it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/integration/server_process.hpp"

namespace kmcp::test {
namespace {

const json::object& structured(const json::object& result) { return result.at("structuredContent").as_object(); }

std::string text_of(const json::object& result) {
  std::string all;
  for (const auto& item : result.at("content").as_array()) all += std::string(item.at("text").as_string()) + "\n";
  return all;
}

bool is_error(const json::object& result) { return result.at("isError").as_bool(); }

// A sandbox server over stdio with no Klaviyo credentials at all.
StdioServer sandbox_server(std::vector<std::string> extra = {}, bool confirm = false) {
  std::vector<std::string> args{"--sandbox", "--toolsets", "all", "--job-poll-interval-ms", "200"};
  if (!confirm) args.push_back("--no-confirm");
  args.insert(args.end(), extra.begin(), extra.end());
  return StdioServer(Env{}, args);
}

json::array tool_cases() {
  json::array all;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KMCP_TEST_DATA) + "/tool_cases")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const json::value parsed = json::parse(text.str());
    for (const auto& item : parsed.as_array()) all.push_back(item);
  }
  return all;
}

}  // namespace

TEST_CASE("sandbox: an agent builds a list, subscribes people, records events, pages and sends a campaign") {
  StdioServer server = sandbox_server({}, true);  // destructive calls ask first, as by default
  const json::object init = server.initialize();
  CHECK(std::string(init.at("serverInfo").at("title").as_string()).find("sandbox") != std::string::npos);

  const json::object list = server.call_tool("create_list", {{"name", "Scenario Subscribers"}});
  REQUIRE_MESSAGE(!is_error(list), text_of(list));
  CHECK(text_of(list).find("SANDBOX") == 0);
  CHECK(list.at("_meta").at("klaviyo-mcp/sandbox").as_bool());
  const std::string list_id(structured(list).at("data").at("id").as_string());

  std::vector<std::string> emails;
  for (int i = 0; i < 50; ++i) {
    emails.push_back("scenario" + std::to_string(i) + "@example.com");
    const json::object upserted =
        server.call_tool("create_or_update_profile", {{"email", emails.back()}, {"first_name", "Person" + std::to_string(i)}});
    REQUIRE_MESSAGE(!is_error(upserted), text_of(upserted));
  }
  // The same email again updates the one profile rather than making a second.
  const json::object again = server.call_tool("create_or_update_profile", {{"email", "SCENARIO0@example.com"}, {"last_name", "Again"}});
  REQUIRE_MESSAGE(!is_error(again), text_of(again));
  CHECK(structured(again).at("data").at("first_name") == "Person0");

  json::array rows;
  for (const auto& email : emails)
    rows.push_back(json::object{{"email", email}, {"subscriptions", {{"email", {{"marketing", {{"consent", "SUBSCRIBED"}}}}}}}});
  const json::object subscribed = server.call_tool("bulk_subscribe_profiles", {{"list_id", list_id}, {"profiles", rows}});
  REQUIRE_MESSAGE(!is_error(subscribed), text_of(subscribed));

  for (int i = 0; i < 5; ++i) {
    const json::object event = server.call_tool(
        "create_event", {{"metric", {{"data", {{"type", "metric"}, {"attributes", {{"name", "Scenario Purchase"}}}}}}},
                         {"profile", {{"data", {{"type", "profile"}, {"attributes", {{"email", emails[i]}}}}}}},
                         {"properties", {{"OrderId", "s-" + std::to_string(i)}}},
                         {"value", 10 + i}});
    REQUIRE_MESSAGE(!is_error(event), text_of(event));
  }
  // The events made their metric, once.
  const json::object metrics = server.call_tool("get_metrics", {{"filter", "equals(integration.name,\"API\")"}});
  REQUIRE_MESSAGE(!is_error(metrics), text_of(metrics));
  int scenario_metrics = 0;
  for (const auto& metric : structured(metrics).at("data").as_array())
    if (metric.at("name") == "Scenario Purchase") ++scenario_metrics;
  CHECK(scenario_metrics == 1);

  // Found by filter, with consent as the subscription left it.
  const json::object found = server.call_tool(
      "get_profiles", {{"filter", "equals(email,\"scenario7@example.com\")"}, {"additional_fields_profile", {"subscriptions"}}});
  REQUIRE_MESSAGE(!is_error(found), text_of(found));
  REQUIRE(structured(found).at("data").as_array().size() == 1);
  CHECK(json::serialize(structured(found).at("data").at(0)).find("SUBSCRIBED") != std::string::npos);

  // Paged through the list, 20 at a time, every member once.
  std::set<std::string> members;
  json::object page_args{{"list_id", list_id}, {"page_size", 20}};
  int pages = 0;
  for (;; ++pages) {
    REQUIRE(pages < 10);
    const json::object page = server.call_tool("get_profiles_for_list", page_args);
    REQUIRE_MESSAGE(!is_error(page), text_of(page));
    for (const auto& profile : structured(page).at("data").as_array()) members.insert(std::string(profile.at("email").as_string()));
    const auto* next = structured(page).if_contains("next_cursor");
    if (!next || next->is_null()) break;
    page_args["page_cursor"] = *next;
  }
  CHECK(pages == 2);
  CHECK(members.size() == 50);

  const json::object campaign = server.call_tool(
      "create_campaign",
      {{"name", "Scenario Launch"},
       {"audiences", {{"included", {list_id}}, {"excluded", json::array{}}}},
       {"send_strategy", {{"method", "immediate"}}},
       {"campaign_messages", {{{"definition", {{"channel", "email"}, {"label", "Launch"},
                                               {"content", {{"subject", "Hello"}, {"from_email", "hi@example.com"}}}}}}}}});
  REQUIRE_MESSAGE(!is_error(campaign), text_of(campaign));
  const std::string campaign_id(structured(campaign).at("data").at("id").as_string());
  CHECK(structured(campaign).at("data").at("status") == "Draft");

  // A send asks first: the answer carries a token for exactly this call, and nothing is sent.
  json::object send_args{{"campaign_id", campaign_id}, {"wait", true}, {"wait_timeout_seconds", 30}};
  const json::object asked = server.call_tool("send_campaign", send_args);
  REQUIRE(is_error(asked));
  const auto& question = asked.at("_meta").at("klaviyo-mcp/error").as_object();
  REQUIRE(question.at("kind") == "confirmation_required");
  const json::object still_draft = server.call_tool("get_campaign", {{"campaign_id", campaign_id}});
  CHECK(structured(still_draft).at("data").at("status") == "Draft");
  send_args["confirmation_token"] = question.at("confirmation_token");
  const json::object sent = server.call_tool("send_campaign", send_args, {{"progressToken", "send-1"}});
  REQUIRE_MESSAGE(!is_error(sent), text_of(sent));
  CHECK(json::serialize(structured(sent)).find("complete") != std::string::npos);
  bool progressed = false;
  for (const auto& note : server.notifications)
    if (note.at("method") == "notifications/progress") progressed = true;
  CHECK(progressed);
  const json::object after = server.call_tool("get_campaign", {{"campaign_id", campaign_id}});
  REQUIRE_MESSAGE(!is_error(after), text_of(after));
  CHECK(structured(after).at("data").at("status") == "Sent");
  // Sending it twice is refused as Klaviyo would refuse it: a 400 the model can read.
  const json::object ask_again = server.call_tool("send_campaign", {{"campaign_id", campaign_id}});
  const json::object twice = server.call_tool(
      "send_campaign",
      {{"campaign_id", campaign_id},
       {"confirmation_token", ask_again.at("_meta").at("klaviyo-mcp/error").at("confirmation_token")}});
  CHECK(is_error(twice));
  CHECK(text_of(twice).find("draft") != std::string::npos);
}

TEST_CASE("sandbox: Klaviyo's errors come back as Klaviyo sends them") {
  StdioServer server = sandbox_server();
  server.initialize();
  const json::object missing = server.call_tool("get_list", {{"list_id", "NoSuch"}});
  CHECK(is_error(missing));
  CHECK(text_of(missing).find("404") != std::string::npos);
  const json::object profile = server.call_tool("create_profile", {{"email", "dup@example.com"}});
  REQUIRE_MESSAGE(!is_error(profile), text_of(profile));
  const json::object duplicate = server.call_tool("create_profile", {{"email", "dup@example.com"}});
  CHECK(is_error(duplicate));
  CHECK(text_of(duplicate).find("409") != std::string::npos);
  const json::object orphan_code =
      server.call_tool("create_coupon_code", {{"unique_code", "ORPHAN-1"}, {"coupon_id", "NOSUCHCOUPON"}});
  CHECK(is_error(orphan_code));
}

TEST_CASE("sandbox: every tool can be called with valid arguments and none gets a 5xx") {
  StdioServer server = sandbox_server();
  server.initialize();
  std::size_t called = 0;
  for (const auto& item : tool_cases()) {
    const auto& c = item.as_object();
    const std::string tool(c.at("tool").as_string());
    CAPTURE(tool);
    const json::object result = server.call_tool(tool, c.at("args").as_object());
    ++called;
    const std::string text = text_of(result);
    CAPTURE(text);
    CHECK(text.find("SANDBOX") == 0);
    if (is_error(result)) {
      const auto& error = result.at("_meta").at("klaviyo-mcp/error").as_object();
      const auto* status = error.if_contains("status");
      CHECK_FALSE((status && status->is_number() && status->to_number<int>() >= 500));
      CHECK(error.at("kind") != "upstream_unavailable");
      CHECK(error.at("kind") != "internal");
    }
  }
  CHECK(called >= 345);
}

TEST_CASE("sandbox: --sandbox-state keeps the account between runs") {
  const auto dir = std::filesystem::temp_directory_path() / ("kmcp-sandbox-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "state.db").string();
  {
    StdioServer server = sandbox_server({"--sandbox-state", file});
    server.initialize();
    const json::object list = server.call_tool("create_list", {{"name", "Kept Between Runs"}});
    REQUIRE_MESSAGE(!is_error(list), text_of(list));
  }
  {
    StdioServer server = sandbox_server({"--sandbox-state", file});
    server.initialize();
    const json::object lists = server.call_tool("get_lists", {{"filter", "equals(name,\"Kept Between Runs\")"}});
    REQUIRE_MESSAGE(!is_error(lists), text_of(lists));
    CHECK(structured(lists).at("data").as_array().size() == 1);
  }
  const BinaryRun needs_sandbox = run_binary({"--sandbox-state", file, "tools", "list"});
  CHECK(needs_sandbox.status == 2);
  CHECK(needs_sandbox.err.find("--sandbox") != std::string::npos);
  const BinaryRun not_a_db = run_binary({"--sandbox", "--sandbox-state", dir.string()}, {}, "");
  CHECK(not_a_db.status == 2);
  std::filesystem::remove_all(dir);
}

}  // namespace kmcp::test
