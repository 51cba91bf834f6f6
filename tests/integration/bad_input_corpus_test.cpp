// The bad-input corpus (data/bad_inputs/messages.json) replayed over stdio and HTTP: each input
// gets the expected error (or no reply), Klaviyo sees only what it should, and the server
// answers a valid request right after.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "tests/integration/http_client.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

struct BadInput {
  std::string name;
  std::string text;
  json::object expect;  // {"error": code} | {"tool_error": kind} | {"none": true}
  std::size_t upstream = 0;
  unsigned http_status = 0;  // when HTTP answers otherwise than the JSON-RPC rule below
  std::optional<json::object> http_expect;  // when HTTP's reply differs from stdio's
  // HTTP refuses it before reading it whole (413, unit-tested), so a client may not even finish
  // sending it.
  bool stdio_only = false;
};

// ${repeat:TEXT:N} (TEXT may escape ':' as '\:') and ${hex:AA BB} expand to bytes JSON could
// not hold literally.
std::string expand(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    const auto end = text.find('}', i + 2);
    // A '}' may be the repeated text itself: "${repeat:}:N}".
    std::size_t close = end;
    if (text.compare(i, 9, "${repeat:") == 0) {
      std::string what;
      std::size_t j = i + 9;
      for (; j < text.size() && text[j] != ':'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size()) ++j;
        what += text[j];
      }
      close = text.find('}', j);
      const std::size_t count = std::stoul(text.substr(j + 1, close - j - 1));
      for (std::size_t k = 0; k < count; ++k) out += what;
    } else if (text.compare(i, 6, "${hex:") == 0) {
      std::istringstream bytes(text.substr(i + 6, end - i - 6));
      std::string byte;
      while (bytes >> byte) out += static_cast<char>(std::stoi(byte, nullptr, 16));
    } else {
      FAIL("unknown placeholder in " << text.substr(i, 40));
    }
    i = close + 1;
  }
  return out;
}

std::vector<BadInput> load_corpus() {
  std::ifstream in(std::string(KMCP_TEST_DATA) + "/bad_inputs/messages.json");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<BadInput> corpus;
  const json::value document = json::parse(text.str());
  for (const auto& entry : document.as_array()) {
    const auto& o = entry.as_object();
    BadInput input{std::string(o.at("name").as_string()), expand(std::string(o.at("send").as_string())),
                   o.at("expect").as_object()};
    if (const auto* u = o.if_contains("upstream")) input.upstream = u->to_number<std::size_t>();
    if (const auto* s = o.if_contains("http_status")) input.http_status = s->to_number<unsigned>();
    if (const auto* e = o.if_contains("http_expect")) input.http_expect = e->as_object();
    if (const auto* only = o.if_contains("stdio_only")) input.stdio_only = only->as_bool();
    corpus.push_back(std::move(input));
  }
  return corpus;
}

// Whether `reply` (nullopt: none came) is what `input` expects; `why` says what differed.
bool as_expected(const BadInput& input, const std::optional<json::object>& reply, std::string& why) {
  if (input.expect.contains("none")) {
    if (reply) why = "expected no reply, got " + json::serialize(*reply);
    return !reply;
  }
  if (!reply) {
    why = "no reply";
    return false;
  }
  if (input.expect.contains("result")) {
    // Harmless input that goes to Klaviyo as it is (percent-encoded); the fake answers 200.
    const auto* result = reply->if_contains("result");
    if (!result || result->at("isError") != false) why = "expected a result, got " + json::serialize(*reply);
    return result && result->at("isError") == false;
  }
  if (const auto* code = input.expect.if_contains("error")) {
    const auto* error = reply->if_contains("error");
    if (!error || error->at("code") != *code || error->at("message").as_string().empty()) {
      why = "expected error " + json::serialize(*code) + ", got " + json::serialize(*reply);
      return false;
    }
    return true;
  }
  const auto* result = reply->if_contains("result");
  const std::string kind(input.expect.at("tool_error").as_string());
  if (!result || !result->as_object().contains("isError") || result->at("isError") != true ||
      result->at("_meta").at("klaviyo-mcp/error").at("kind") != kind.c_str()) {
    why = "expected a " + kind + " tool error, got " + json::serialize(*reply).substr(0, 600);
    return false;
  }
  return true;
}

constexpr std::string_view kPing = R"({"jsonrpc":"2.0","id":"after","method":"ping"})";

}  // namespace

TEST_CASE("bad input corpus: at least 100 inputs, each with an expectation") {
  const auto corpus = load_corpus();
  CHECK(corpus.size() >= 100);
  for (const auto& input : corpus) CHECK_MESSAGE(!input.expect.empty(), input.name);
}

TEST_CASE("bad input corpus over stdio: the expected error, nothing sent to Klaviyo, and a ping answered after") {
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  for (const auto& input : load_corpus()) {
    CAPTURE(input.name);
    upstream.clear();
    REQUIRE(server.process().write_line(input.text, std::chrono::seconds(20)));
    REQUIRE(server.process().write_line(std::string(kPing)));
    // Calls run concurrently: the ping's answer may come before or after this input's.
    const bool wants_reply = !input.expect.contains("none");
    std::optional<json::object> reply;
    bool pinged = false;
    while (!pinged || (wants_reply && !reply)) {
      auto next = server.next_message(std::chrono::seconds(20));
      REQUIRE_MESSAGE(next, "the server stopped answering");
      if (next->contains("method")) continue;  // a notification
      if (next->contains("id") && next->at("id") == "after") {
        CHECK(next->contains("result"));
        pinged = true;
      } else {
        CHECK_MESSAGE(!reply, "a second reply: " << json::serialize(*next));
        reply = std::move(next);
      }
    }
    std::string why;
    CHECK_MESSAGE(as_expected(input, reply, why), why);
    CHECK(upstream.requests().size() == input.upstream);
  }
}

TEST_CASE("bad input corpus over HTTP: the expected status and error, nothing sent to Klaviyo, and a ping after") {
  FakeUpstream upstream;
  HttpServer server(server_env(upstream.base_url()));
  const std::string session = open_session(server.port());
  for (auto input : load_corpus()) {
    CAPTURE(input.name);
    if (input.stdio_only) continue;
    if (input.http_expect) input.expect = *input.http_expect;
    upstream.clear();
    HttpReply reply = http_request(server.port(), "POST", "/mcp", mcp_headers(session), input.text);
    const bool none = input.expect.contains("none");
    const auto* code = input.expect.if_contains("error");
    unsigned status = none ? 202 : 200;
    if (code && (*code == -32700 || *code == -32600)) status = 400;
    if (input.http_status) status = input.http_status;
    CHECK(reply.status == status);
    {
      const auto messages = reply.messages();
      std::optional<json::object> answer;
      if (!messages.empty()) answer = messages.back();
      std::string why;
      CHECK_MESSAGE(as_expected(input, answer, why), why);
    }
    CHECK(upstream.requests().size() == input.upstream);
    HttpReply ping = http_request(server.port(), "POST", "/mcp", mcp_headers(session), std::string(kPing));
    CHECK(ping.status == 200);
  }
}
