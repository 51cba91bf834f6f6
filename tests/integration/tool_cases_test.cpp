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

#include "server/registry/schema_validator.hpp"
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

// Each listed tool's outputSchema, compiled, by name.
std::map<std::string, std::shared_ptr<SchemaValidator>> output_validators(StdioServer& server) {
  std::map<std::string, std::shared_ptr<SchemaValidator>> out;
  for (const auto& t : server.list_tools())
    out.emplace(std::string(t.at("name").as_string()),
                std::make_shared<SchemaValidator>(t.at("outputSchema").as_object()));
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// The value of `key="..."` in a Content-Disposition header, "" when absent.
std::string disposition_param(std::string_view header, std::string_view key) {
  const std::string needle = "; " + std::string(key) + "=\"";
  auto at = header.find(needle);
  if (at == std::string_view::npos) return "";
  auto start = at + needle.size();
  return std::string(header.substr(start, header.find('"', start) - start));
}

// A recorded multipart/form-data body as {"fields": {name: value}, "files": {name: {filename,
// content_type, content_base64}}}; the boundary comes from the request's Content-Type.
json::object parse_multipart(const std::string& content_type, const std::string& body) {
  const std::string marker = "boundary=";
  const auto at = content_type.find(marker);
  REQUIRE_MESSAGE(at != std::string::npos, content_type);
  const std::string delimiter = "--" + content_type.substr(at + marker.size());
  json::object fields, files;
  std::size_t pos = body.find(delimiter);
  REQUIRE(pos == 0);
  while (true) {
    pos += delimiter.size();
    if (body.compare(pos, 4, "--\r\n") == 0) {
      CHECK(pos + 4 == body.size());
      break;
    }
    REQUIRE(body.compare(pos, 2, "\r\n") == 0);
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    REQUIRE(headers_end != std::string::npos);
    const auto next = body.find("\r\n" + delimiter, headers_end);
    REQUIRE(next != std::string::npos);
    const std::string headers = body.substr(pos, headers_end - pos);
    const std::string value = body.substr(headers_end + 4, next - headers_end - 4);
    std::string disposition, type;
    std::istringstream lines(headers);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind("Content-Disposition: form-data", 0) == 0) disposition = line;
      else if (line.rfind("Content-Type: ", 0) == 0) type = line.substr(14);
    }
    const std::string name = disposition_param(disposition, "name");
    const std::string filename = disposition_param(disposition, "filename");
    if (filename.empty()) {
      fields[name] = value;
    } else {
      files[name] = json::object{{"filename", filename}, {"content_type", type}, {"content_base64", base64(value)}};
    }
    pos = next + 2;
  }
  return json::object{{"fields", std::move(fields)}, {"files", std::move(files)}};
}

}  // namespace

TEST_CASE("each tool sends exactly the request Klaviyo expects") {
  const auto cases = load_cases("tool_cases");
  FakeUpstream upstream;
  auto env = server_env(upstream.base_url());
  env["KLAVIYO_PUBLIC_KEY"] = kPublicKey;
  StdioServer server(env, {"--toolsets", "all", "--no-confirm"});  // the request, not the confirmation
  server.initialize();

  const auto validators = output_validators(server);
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
    } else if (const auto* multipart = expect.at("body").as_object().if_contains("multipart")) {
      REQUIRE_FALSE(sent.body.empty());
      const std::string type = sent.headers.at("content-type");
      CHECK(lower(type).rfind("multipart/form-data; boundary=", 0) == 0);
      CHECK(json::value(parse_multipart(type, sent.body)) == *multipart);
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
    if (!want_error) {
      // Structured content matches the tool's outputSchema, as MCP clients check it.
      REQUIRE(result.contains("structuredContent"));
      auto violations = validators.at(tool)->validate(result.at("structuredContent"));
      CHECK_MESSAGE(violations.empty(), json::serialize(result.at("structuredContent")));
      CHECK(json::parse(result.at("content").at(0).at("text").as_string()) == result.at("structuredContent"));
    }
  }

  // One case per listed tool, and no case for a tool that does not exist.
  std::set<std::string> listed;
  for (const auto& [name, validator] : validators) listed.insert(name);
  CHECK(covered == listed);
}

TEST_CASE("invalid arguments are refused with an actionable error and nothing is sent") {
  const auto cases = load_cases("precondition_cases");
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
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
