// initialize negotiation, notifications/initialized, ping, and what handle() does with
// messages that are not requests.
#include <doctest/doctest.h>

#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {
namespace {

json::object init_params(std::string_view version) {
  return {{"protocolVersion", version},
          {"capabilities", {{"roots", {{"listChanged", true}}}}},
          {"clientInfo", {{"name", "test-client"}, {"version", "1.2.3"}}}};
}

}  // namespace

TEST_CASE("initialize echoes a supported protocol version and describes the server") {
  for (const std::string& version : kSupportedProtocolVersions) {
    CAPTURE(version);
    DispatcherOptions options;
    options.instructions = "Use the list tools first.";
    Harness h(3, options);
    const auto reply = h.send(request(1, "initialize", init_params(version)));
    REQUIRE(reply);
    const json::object& result = reply->at("result").as_object();
    CHECK(reply->at("id") == 1);
    CHECK(result.at("protocolVersion").as_string() == version);
    CHECK(result.at("capabilities") == json::parse(
                                               R"({"tools":{"listChanged":false},"resources":{"subscribe":true,"listChanged":false},)"
                                               R"("prompts":{"listChanged":false},"completions":{},"logging":{}})"));
    CHECK(result.at("serverInfo").at("name") == "klaviyo-mcp");
    CHECK(result.at("serverInfo").at("title") == "Klaviyo");
    CHECK(result.at("serverInfo").at("version") == KMCP_VERSION);
    CHECK(result.at("instructions") == "Use the list tools first.");
    CHECK(h.session.protocol_version == version);
    CHECK(h.session.client_info.at("name") == "test-client");
    CHECK(h.session.client_capabilities.at("roots").at("listChanged") == true);
    CHECK_FALSE(h.session.initialized);
  }
}

TEST_CASE("initialize answers an unknown protocol version with the newest it speaks") {
  Harness h;
  const auto reply = h.send(request("init", "initialize", init_params("2024-11-05")));
  REQUIRE(reply);
  CHECK(reply->at("result").at("protocolVersion") == "2025-11-25");
  CHECK(h.session.protocol_version == "2025-11-25");
  CHECK_FALSE(reply->at("result").as_object().contains("instructions"));  // none configured
}

TEST_CASE("initialize without a protocol version is invalid params") {
  Harness h;
  CHECK(error_code(h.send(request(1, "initialize", {{"capabilities", json::object{}}}))) == jsonrpc::kInvalidParams);
  CHECK(error_code(h.send(request(2, "initialize", {{"protocolVersion", 20250618}}))) == jsonrpc::kInvalidParams);
  CHECK(h.session.protocol_version.empty());
}

TEST_CASE("a second initialize on the same session is an invalid request") {
  Harness h;
  REQUIRE(h.send(request(1, "initialize", init_params("2025-06-18")))->contains("result"));
  const auto again = h.send(request(2, "initialize", init_params("2025-11-25")));
  CHECK(error_code(again) == jsonrpc::kInvalidRequest);
  CHECK(again->at("id") == 2);
  CHECK(h.session.protocol_version == "2025-06-18");
}

TEST_CASE("notifications/initialized marks the session and is never answered") {
  Harness h;
  REQUIRE(h.send(request(1, "initialize", init_params("2025-11-25"))));
  CHECK_FALSE(h.send(notification("notifications/initialized")).has_value());
  CHECK(h.session.initialized);
  CHECK(h.sink.messages.empty());
}

TEST_CASE("ping answers an empty object, before and after initialize") {
  Harness h;
  const auto before = h.send(request("p1", "ping"));
  REQUIRE(before);
  CHECK(before->at("id") == "p1");
  CHECK(before->at("result") == json::object{});
  REQUIRE(h.send(request(1, "initialize", init_params("2025-11-25"))));
  CHECK(h.send(request("p2", "ping"))->at("result") == json::object{});
}

TEST_CASE("requests before initialize are served and noted at debug level") {
  Harness h;
  const auto reply = h.send(request(1, "tools/list"));
  REQUIRE(reply);
  CHECK(reply->contains("result"));
  CHECK(h.log_text.str().find("request_before_initialize") != std::string::npos);
}

TEST_CASE("unknown methods: -32601 for requests, silence for notifications") {
  Harness h;
  const auto reply = h.send(request(5, "sampling/createMessage"));
  CHECK(error_code(reply) == jsonrpc::kMethodNotFound);
  CHECK(reply->at("id") == 5);
  CHECK_FALSE(h.send(notification("notifications/roots/list_changed")).has_value());
  // A known method sent as the wrong kind is unknown for that kind.
  CHECK_FALSE(h.send(notification("ping")).has_value());
  CHECK(error_code(h.send(request(6, "notifications/initialized"))) == jsonrpc::kMethodNotFound);
  CHECK_FALSE(h.session.initialized);
}

TEST_CASE("responses from the client and malformed messages") {
  Harness h;
  CHECK_FALSE(h.send(R"({"jsonrpc":"2.0","id":1,"result":{}})").has_value());
  const auto bad = h.send("{oops");
  CHECK(error_code(bad) == jsonrpc::kParseError);
  CHECK(bad->at("id").is_null());
  CHECK_FALSE(h.send(R"({"jsonrpc":"2.0","method":"notifications/initialized","params":[]})").has_value());
  CHECK(h.sink.messages.empty());
}

}  // namespace kmcp::test
