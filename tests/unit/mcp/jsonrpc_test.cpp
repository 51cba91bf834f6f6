// JSON-RPC framing: every way a message can be malformed, and what (if anything) is answered.
#include <doctest/doctest.h>

#include <string>

#include "server/mcp/jsonrpc.hpp"

namespace kmcp {
namespace {

using Kind = jsonrpc::Message::Kind;

struct ErrorCase {
  const char* text;
  int code;
  json::value id;  // the id the error reply must carry
};

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("malformed messages are answered with the right code and id") {
  const ErrorCase cases[] = {
      {"not json", jsonrpc::kParseError, nullptr},
      {"", jsonrpc::kParseError, nullptr},
      {R"({"jsonrpc":"2.0","id":1,"method":"ping"} trailing)", jsonrpc::kParseError, nullptr},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\"}", jsonrpc::kParseError, nullptr},  // bad UTF-8
      {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", jsonrpc::kInvalidRequest, nullptr},
      {"[]", jsonrpc::kInvalidRequest, nullptr},
      {"42", jsonrpc::kInvalidRequest, nullptr},
      {R"("ping")", jsonrpc::kInvalidRequest, nullptr},
      {"null", jsonrpc::kInvalidRequest, nullptr},
      {"{}", jsonrpc::kInvalidRequest, nullptr},
      {R"({"id":1,"method":"ping"})", jsonrpc::kInvalidRequest, 1},
      {R"({"jsonrpc":"1.0","id":"a","method":"ping"})", jsonrpc::kInvalidRequest, "a"},
      {R"({"jsonrpc":2.0,"id":2,"method":"ping"})", jsonrpc::kInvalidRequest, 2},
      {R"({"jsonrpc":"2.0","id":null,"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":true,"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":[1],"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":1e400,"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":3,"method":5})", jsonrpc::kInvalidRequest, 3},
      {R"({"jsonrpc":"2.0","id":4})", jsonrpc::kInvalidRequest, 4},
      {R"({"jsonrpc":"2.0","method":1})", jsonrpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":5,"method":"tools/list","params":[1,2]})", jsonrpc::kInvalidParams, 5},
      {R"({"jsonrpc":"2.0","id":"p","method":"tools/list","params":"x"})", jsonrpc::kInvalidParams, "p"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const jsonrpc::Message m = jsonrpc::parse(c.text);
    REQUIRE(m.kind == Kind::invalid);
    REQUIRE_FALSE(m.error_reply.empty());
    CHECK(m.error_reply.at("jsonrpc") == "2.0");
    CHECK(m.error_reply.at("id") == c.id);
    CHECK(m.error_reply.at("error").at("code") == c.code);
    CHECK(m.error_reply.at("error").at("message").is_string());
    CHECK_FALSE(m.error_reply.contains("result"));
  }
}

TEST_CASE("batches are refused by name") {
  const jsonrpc::Message m = jsonrpc::parse(R"([{"jsonrpc":"2.0","method":"notifications/initialized"}])");
  CHECK(m.error_reply.at("error").at("message") == "batches are not supported");
}

TEST_CASE("malformed notifications and responses get no reply") {
  const char* texts[] = {
      R"({"jsonrpc":"1.0","method":"notifications/initialized"})",
      R"({"method":"notifications/initialized"})",
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":[1]})",
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":7})",
      R"({"jsonrpc":"1.0","id":1,"result":{}})",
      R"({"jsonrpc":"2.0","result":{}})",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    const jsonrpc::Message m = jsonrpc::parse(text);
    CHECK(m.kind == Kind::invalid);
    CHECK(m.error_reply.empty());
  }
}

TEST_CASE("well-formed requests keep their id, method and params") {
  SUBCASE("string id") {
    const auto m = jsonrpc::parse(R"({"jsonrpc":"2.0","id":"abc","method":"tools/list","params":{"cursor":"100"}})");
    REQUIRE(m.kind == Kind::request);
    CHECK(m.id == "abc");
    CHECK(m.method == "tools/list");
    CHECK(m.params.at("cursor") == "100");
    CHECK(m.raw.at("id") == "abc");
    CHECK(m.raw.at("params").at("cursor") == "100");
  }
  SUBCASE("negative integer id") {
    const auto m = jsonrpc::parse(R"({"jsonrpc":"2.0","id":-7,"method":"ping"})");
    REQUIRE(m.kind == Kind::request);
    CHECK(m.id == -7);
    CHECK(m.params.empty());
  }
  SUBCASE("the largest unsigned 64-bit id") {
    const auto m = jsonrpc::parse(R"({"jsonrpc":"2.0","id":18446744073709551615,"method":"ping"})");
    REQUIRE(m.kind == Kind::request);
    CHECK(m.id.is_uint64());
    CHECK(m.id.get_uint64() == 18446744073709551615ull);
  }
  SUBCASE("null params read as none") {
    const auto m = jsonrpc::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":null})");
    REQUIRE(m.kind == Kind::request);
    CHECK(m.params.empty());
  }
  SUBCASE("huge numbers inside params do not spoil the message") {
    const auto m = jsonrpc::parse(
        R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"n":1e400,"m":123456789012345678901234567890}}})");
    REQUIRE(m.kind == Kind::request);
    CHECK(m.params.at("arguments").at("m").is_double());
  }
}

TEST_CASE("notifications and responses are classified") {
  const auto n = jsonrpc::parse(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})");
  CHECK(n.kind == Kind::notification);
  CHECK(n.id.is_null());
  CHECK(n.method == "notifications/cancelled");
  CHECK(n.params.at("requestId") == 3);

  const auto r = jsonrpc::parse(R"({"jsonrpc":"2.0","id":9,"result":{"ok":true}})");
  CHECK(r.kind == Kind::response);
  CHECK(r.id == 9);
  CHECK(r.raw.at("result").at("ok") == true);

  const auto e = jsonrpc::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-1,"message":"x"}})");
  CHECK(e.kind == Kind::response);
  CHECK(e.id.is_null());
}

TEST_CASE("nesting deeper than max_depth is a parse error") {
  const std::string shallow = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":)" + nested(10) + "}}";
  CHECK(jsonrpc::parse(shallow).kind == Kind::request);

  const std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":)" + nested(100) + "}}";
  const auto m = jsonrpc::parse(deep);  // default bound: 64
  REQUIRE(m.kind == Kind::invalid);
  CHECK(m.error_reply.at("error").at("code") == jsonrpc::kParseError);
  CHECK(m.error_reply.at("id").is_null());

  CHECK(jsonrpc::parse(shallow, 4).kind == Kind::invalid);
  CHECK(jsonrpc::parse(std::string(100000, '[')).kind == Kind::invalid);
}

TEST_CASE("builders produce JSON-RPC 2.0 envelopes") {
  CHECK(jsonrpc::make_result(7, json::object{{"a", 1}}) ==
        json::parse(R"({"jsonrpc":"2.0","id":7,"result":{"a":1}})"));
  CHECK(jsonrpc::make_error("x", -32601, "Method not found") ==
        json::parse(R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"Method not found"}})"));
  CHECK(jsonrpc::make_error(nullptr, -32602, "bad", json::value{{"argument", "a"}}) ==
        json::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32602,"message":"bad","data":{"argument":"a"}}})"));
  CHECK(jsonrpc::make_notification("notifications/progress", {{"progress", 1}}) ==
        json::parse(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})"));
}

}  // namespace kmcp

namespace kmcp {

TEST_CASE("a result kept serialized is written as the JSON-RPC response it stands for") {
  const std::string result = R"({"tools":[{"name":"get_lists"}],"nextCursor":"1"})";
  const auto numbered = jsonrpc::serialize(jsonrpc::make_serialized_result(7, result));
  CHECK(json::parse(numbered) == json::parse(R"({"jsonrpc":"2.0","id":7,"result":)" + result + "}"));
  const auto named = jsonrpc::serialize(jsonrpc::make_serialized_result("req-\"1\"", result));
  CHECK(json::parse(named).at("id") == json::value("req-\"1\""));
  CHECK(json::parse(named).at("result") == json::parse(result));
  // Every other message is written as it is.
  const json::object plain = jsonrpc::make_result(1, json::object{{"ok", true}});
  CHECK(jsonrpc::serialize(plain) == json::serialize(plain));
}

}  // namespace kmcp
