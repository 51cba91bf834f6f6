// Lean results through the real binary against the fake Klaviyo: max_items paging with the right
// cursors sent, a result cut to the character budget that continues exactly where it stopped,
// typed errors, and structured content that validates against each tool's outputSchema.
#include <doctest/doctest.h>

#include <mutex>
#include <set>

#include "server/registry/schema_validator.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

// Profiles P<first>..P<first+count-1>, each with a `note_size`-character note, and a next link to
// `next` (none when empty).
std::string profiles_page(int first, int count, const std::string& next, std::size_t note_size = 20) {
  json::array data;
  for (int i = first; i < first + count; ++i)
    data.push_back(json::object{
        {"type", "profile"},
        {"id", "P" + std::to_string(i)},
        {"attributes", json::object{{"email", "p" + std::to_string(i) + "@example.com"},
                                    {"first_name", "Ada"},
                                    {"properties", json::object{{"note", std::string(note_size, 'n')}}}}},
        {"relationships", json::object{{"lists", json::object{{"links", json::object{{"self", "https://x/"}}}}}}},
        {"links", json::object{{"self", "https://a.klaviyo.com/api/profiles/P" + std::to_string(i) + "/"}}}});
  json::object links{{"self", "https://a.klaviyo.com/api/profiles/"}, {"prev", nullptr}};
  links["next"] = next.empty() ? json::value(nullptr)
                               : json::value("https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=" + next);
  return json::serialize(json::object{{"data", std::move(data)}, {"links", std::move(links)}});
}

// Answers /api/profiles by page[cursor]: no cursor -> P1..P100 (next K2), K2 -> P101..P200
// (next K3), K3 -> P201..P300 (next K4), K4 -> P301..P310 (last).
ScriptedResponse three_and_a_bit_pages(const RecordedRequest& request) {
  const std::string cursor = request.query_value("page[cursor]");
  if (cursor.empty()) return ScriptedResponse::json(200, profiles_page(1, 100, "K2"));
  if (cursor == "K2") return ScriptedResponse::json(200, profiles_page(101, 100, "K3"));
  if (cursor == "K3") return ScriptedResponse::json(200, profiles_page(201, 100, "K4"));
  if (cursor == "K4") return ScriptedResponse::json(200, profiles_page(301, 10, ""));
  return ScriptedResponse::json(400, R"({"errors":[{"code":"invalid","detail":"Bad cursor."}]})");
}

json::object tool_entry(StdioServer& server, const std::string& name) {
  for (const auto& t : server.list_tools())
    if (t.at("name").as_string() == name) return t;
  FAIL("no tool " << name);
  return {};
}

std::vector<std::string> ids_of(const json::object& structured) {
  std::vector<std::string> ids;
  for (const auto& record : structured.at("data").as_array()) ids.emplace_back(record.at("id").as_string());
  return ids;
}

void check_matches_output_schema(StdioServer& server, const std::string& tool, const json::object& result) {
  REQUIRE(result.at("isError") == false);
  const SchemaValidator validator(tool_entry(server, tool).at("outputSchema").as_object());
  auto violations = validator.validate(result.at("structuredContent"));
  std::string listed;
  for (const auto& v : violations) listed += v.pointer + ": " + v.message + "\n";
  CHECK_MESSAGE(violations.empty(), listed);
}

}  // namespace

TEST_CASE("list tools offer max_items; max_items reads three pages with the right cursors") {
  FakeUpstream upstream;
  upstream.set_handler(three_and_a_bit_pages);
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--max-result-chars", "200000"});
  server.initialize();

  const auto schema = tool_entry(server, "get_profiles").at("inputSchema");
  CHECK(schema.at("properties").at("max_items").at("maximum") == 1000);
  CHECK_FALSE(tool_entry(server, "get_profile").at("inputSchema").at("properties").as_object().contains("max_items"));

  auto result = server.call_tool("get_profiles", json::object{{"max_items", 250}});
  REQUIRE_MESSAGE(result.at("isError") == false, json::serialize(result));
  const auto& structured = result.at("structuredContent").as_object();
  auto requests = upstream.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].query_value("page[cursor]").empty());
  CHECK(requests[1].query_value("page[cursor]") == "K2");
  CHECK(requests[2].query_value("page[cursor]") == "K3");
  for (const auto& r : requests) CHECK(r.query_value("page[size]") == "100");

  const auto ids = ids_of(structured);
  REQUIRE(ids.size() == 250);
  CHECK(ids.front() == "P1");
  CHECK(ids.back() == "P250");
  CHECK(structured.at("pages_read") == 3);
  CHECK(structured.at("has_more") == true);
  const std::string cursor(structured.at("next_cursor").as_string());
  CHECK(cursor.size() <= 16);
  check_matches_output_schema(server, "get_profiles", result);

  // The rest: P251.. from page K3, then on through K4 to the end.
  upstream.clear();
  auto rest = server.call_tool("get_profiles", json::object{{"page_cursor", cursor}, {"max_items", 1000}});
  REQUIRE_MESSAGE(rest.at("isError") == false, json::serialize(rest));
  requests = upstream.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].query_value("page[cursor]") == "K3");
  CHECK(requests[1].query_value("page[cursor]") == "K4");
  const auto rest_ids = ids_of(rest.at("structuredContent").as_object());
  REQUIRE(rest_ids.size() == 60);
  CHECK(rest_ids.front() == "P251");
  CHECK(rest_ids.back() == "P310");
  CHECK(rest.at("structuredContent").at("has_more") == false);
}

TEST_CASE("a result over --max-result-chars is cut at a record, says so, and its cursor continues exactly") {
  FakeUpstream upstream;
  // Two Klaviyo pages of 30 profiles, each profile about 300 characters.
  upstream.set_handler([](const RecordedRequest& request) {
    if (request.query_value("page[cursor]") == "K2") return ScriptedResponse::json(200, profiles_page(31, 30, "", 200));
    return ScriptedResponse::json(200, profiles_page(1, 30, "K2", 200));
  });
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--max-result-chars", "3000"});
  server.initialize();

  std::vector<std::string> seen;
  std::set<std::string> cursors_sent;
  json::object args;
  int calls = 0;
  for (; calls < 40; ++calls) {
    upstream.clear();
    auto result = server.call_tool("get_profiles", args);
    REQUIRE_MESSAGE(result.at("isError") == false, json::serialize(result));
    const std::string text(result.at("content").at(0).at("text").as_string());
    CHECK(text.size() <= 3000);
    for (const auto& r : upstream.requests()) cursors_sent.insert(r.query_value("page[cursor]"));
    const auto& structured = result.at("structuredContent").as_object();
    for (const auto& id : ids_of(structured)) seen.push_back(id);
    if (calls == 0) {
      check_matches_output_schema(server, "get_profiles", result);
      const std::string notice(structured.at("notice").as_string());
      CHECK(notice.find(" of 30 records shown") != std::string::npos);
      CHECK(structured.at("untrusted_content").at("fields") ==
            json::array{"profile.first_name", "profile.properties"});
    }
    if (!structured.at("has_more").as_bool()) break;
    args = json::object{{"page_cursor", structured.at("next_cursor")}};
  }
  CHECK(calls > 2);  // it was really cut
  REQUIRE(seen.size() == 60);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == "P" + std::to_string(i + 1));
  CHECK(cursors_sent == std::set<std::string>{"", "K2"});
}

TEST_CASE("single and job results validate against their outputSchema") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all", "--job-poll-interval-ms", "20"});
  server.initialize();

  upstream.enqueue(ScriptedResponse::json(200, R"({"data":{"type":"profile","id":"P1",
      "attributes":{"email":"a@b.co","organization":null},"links":{"self":"s"}}})"));
  auto single = server.call_tool("get_profile", json::object{{"profile_id", "P1"}});
  check_matches_output_schema(server, "get_profile", single);
  CHECK(single.at("structuredContent").at("data") == json::parse(R"({"type":"profile","id":"P1","email":"a@b.co"})"));

  upstream.enqueue(ScriptedResponse::json(200, R"({"data":{"type":"profile-bulk-import-job","id":"J1",
      "attributes":{"status":"processing","completed_count":3}}})"));
  auto job = server.call_tool("get_bulk_import_profiles_job", json::object{{"job_id", "J1"}});
  check_matches_output_schema(server, "get_bulk_import_profiles_job", job);
  CHECK(job.at("structuredContent").at("job") == json::parse(R"({"id":"J1","status":"processing"})"));

  // A started job, and the same job waited for to its end.
  upstream.set_handler([](const RecordedRequest& r) {
    const std::string status = r.method == "POST" ? "queued" : "complete";
    return ScriptedResponse::json(r.method == "POST" ? 202 : 200,
                                  R"({"data":{"type":"profile-bulk-import-job","id":"J2","attributes":{"status":")" +
                                      status + R"(","completed_count":1,"total_count":1,"failed_count":0}}})");
  });
  const json::object profiles{{"profiles", json::array{json::object{{"email", "ada@example.com"}}}}};
  auto started = server.call_tool("bulk_import_profiles", profiles);
  check_matches_output_schema(server, "bulk_import_profiles", started);
  CHECK(started.at("structuredContent").at("job") == json::parse(R"({"id":"J2","status":"queued"})"));
  json::object waiting = profiles;
  waiting["wait"] = true;
  auto waited = server.call_tool("bulk_import_profiles", waiting);
  check_matches_output_schema(server, "bulk_import_profiles", waited);
  CHECK(waited.at("structuredContent").at("job") == json::parse(R"({"id":"J2","status":"complete"})"));
  CHECK(waited.at("structuredContent").at("still_running") == false);
}

TEST_CASE("Klaviyo's errors arrive typed: missing_scope names the scope, conflict the existing id") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  server.initialize();

  upstream.enqueue(ScriptedResponse::json(403, R"({"errors":[{"code":"permission_denied","title":"Forbidden",
      "detail":"You do not have permission to perform this action."}]})"));
  auto forbidden = server.call_tool("get_profiles", {});
  CHECK(forbidden.at("isError") == true);
  CHECK_FALSE(forbidden.contains("structuredContent"));
  const auto& scope_error = forbidden.at("_meta").at("klaviyo-mcp/error");
  CHECK(scope_error.at("kind") == "missing_scope");
  CHECK(scope_error.at("required_scopes") == json::array{"profiles:read"});

  upstream.enqueue(ScriptedResponse::json(409, R"({"errors":[{"id":"e","status":409,"code":"duplicate_profile",
      "title":"Conflict.","detail":"A profile already exists with one of these identifiers.",
      "source":{"pointer":"/data/attributes"},"meta":{"duplicate_profile_id":"01HEXISTING"}}]})"));
  auto conflict = server.call_tool("create_profile", json::object{{"email", "ada@example.com"}});
  const auto& conflict_error = conflict.at("_meta").at("klaviyo-mcp/error");
  CHECK(conflict_error.at("kind") == "conflict");
  CHECK(conflict_error.at("existing_id") == "01HEXISTING");
  CHECK(std::string(conflict.at("content").at(0).at("text").as_string()).find("01HEXISTING") != std::string::npos);
}
