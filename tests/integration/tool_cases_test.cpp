// Every tool against the fake upstream: the exact request it sends for valid arguments, and
// the refusal (with nothing sent) for arguments that break a schema or a precondition.
// The cases are data (data/tool_cases/<toolset>.json, data/precondition_cases/<toolset>.json),
// written by hand from Klaviyo's API reference, not derived from our specs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

// The public key (company id) client-side cases expect as company_id.
constexpr const char* kPublicKey = "PubK3y";

// Large arguments are written compactly in the case files: {"$repeat": N, "item": X} stands for
// an array of N copies of X, and {"$repeat": N, "text": "ab"} for "ab" written N times.
json::value expand(const json::value& v) {
  if (v.is_array()) {
    json::array out;
    for (const auto& item : v.get_array()) out.push_back(expand(item));
    return out;
  }
  if (!v.is_object()) return v;
  const auto& obj = v.get_object();
  if (const auto* n = obj.if_contains("$repeat")) {
    const auto count = n->to_number<std::size_t>();
    if (const auto* text = obj.if_contains("text")) {
      std::string out;
      for (std::size_t i = 0; i < count; ++i) out += text->get_string();
      return json::value(out);
    }
    json::array out;
    const json::value item = expand(obj.at("item"));
    for (std::size_t i = 0; i < count; ++i) out.push_back(item);
    return out;
  }
  json::object out;
  for (const auto& [k, member] : obj) out[k] = expand(member);
  return out;
}

// Every case of one kind, from all the toolsets' files.
json::array load_cases(const std::string& kind) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KMCP_TEST_DATA) + "/" + kind))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE_MESSAGE(!files.empty(), kind);
  json::array cases;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    json::value file_cases = json::parse(text.str());
    for (auto& c : file_cases.as_array()) cases.push_back(expand(c));
  }
  return cases;
}

std::set<std::string> listed_tools(StdioServer& server) {
  std::set<std::string> names;
  std::string cursor;
  do {
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    auto r = server.request("tools/list", params).at("result").as_object();
    for (auto& t : r.at("tools").as_array()) names.insert(std::string(t.at("name").as_string()));
    cursor = r.contains("nextCursor") ? std::string(r.at("nextCursor").as_string()) : "";
  } while (!cursor.empty());
  return names;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("each tool sends exactly the request Klaviyo expects") {
  const auto cases = load_cases("tool_cases");
  FakeUpstream upstream;
  auto env = server_env(upstream.base_url());
  env["KLAVIYO_PUBLIC_KEY"] = kPublicKey;
  StdioServer server(env);
  server.initialize();

  std::set<std::string> covered;
  for (const auto& item : cases) {
    const auto& c = item.as_object();
    const std::string tool(c.at("tool").as_string());
    CAPTURE(tool);
    covered.insert(tool);

    upstream.clear();
    const auto& reply = c.at("reply").as_object();
    ScriptedResponse scripted;
    scripted.status = static_cast<unsigned>(reply.at("status").to_number<int>());
    if (!reply.at("body").is_null()) {
      scripted.body = json::serialize(reply.at("body"));
      scripted.headers.push_back({"Content-Type", "application/vnd.api+json"});
    }
    upstream.enqueue(scripted);

    auto result = server.call_tool(tool, c.at("args").as_object());
    const auto& expect = c.at("expect").as_object();
    auto requests = upstream.requests();
    if (requests.size() != 1) {
      FAIL_CHECK("expected one upstream request, got " << requests.size() << ": " << json::serialize(result));
      continue;
    }
    const auto& sent = requests.front();

    CHECK(sent.method == std::string(expect.at("method").as_string()));
    CHECK(sent.path == std::string(expect.at("path").as_string()));

    std::multimap<std::string, std::string> want_query;
    if (expect.contains("query"))
      for (const auto& [k, v] : expect.at("query").as_object())
        want_query.emplace(std::string(k), v.is_string() ? std::string(v.as_string()) : json::serialize(v));
    CHECK(sent.query == want_query);

    if (expect.at("body").is_null()) {
      CHECK(sent.body.empty());
    } else {
      REQUIRE_FALSE(sent.body.empty());
      CHECK(json::parse(sent.body) == expect.at("body"));
      CHECK(lower(sent.headers.at("content-type")) == "application/vnd.api+json");
    }

    // Headers every Klaviyo call carries. Client-side operations name the account by its
    // public key in the query and carry no secret at all.
    if (want_query.count("company_id"))
      CHECK(sent.headers.count("authorization") == 0);
    else
      CHECK(sent.headers.at("authorization") == "Klaviyo-API-Key pk_test_0123456789abcdef");
    CHECK(sent.headers.at("revision") == "2026-07-15");
    CHECK(sent.headers.at("accept") == "application/vnd.api+json");
    CHECK(sent.headers.at("user-agent").rfind("klaviyo-mcp/", 0) == 0);

    bool want_error = c.contains("result") && c.at("result").as_object().contains("isError") &&
                      c.at("result").at("isError").as_bool();
    CHECK_MESSAGE(result.at("isError").as_bool() == want_error, json::serialize(result));
    if (!want_error) CHECK(result.contains("structuredContent"));
  }

  // One case per listed tool, and no case for a tool that does not exist.
  CHECK(covered == listed_tools(server));
}

TEST_CASE("invalid arguments are refused with an actionable error and nothing is sent") {
  const auto cases = load_cases("precondition_cases");
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  for (const auto& item : cases) {
    const auto& c = item.as_object();
    const std::string tool(c.at("tool").as_string());
    const std::string mentions(c.at("mentions").as_string());
    CAPTURE(tool);
    CAPTURE(mentions);
    auto result = server.call_tool(tool, c.at("args").as_object());
    CHECK(result.at("isError") == true);
    const auto& error = result.at("_meta").at("klaviyo-mcp/error").as_object();
    CHECK(error.at("kind") == c.at("error_kind"));
    const std::string text(result.at("content").at(0).at("text").as_string());
    CHECK_MESSAGE(text.find(mentions) != std::string::npos, text);
  }
  CHECK(upstream.requests().empty());
}
