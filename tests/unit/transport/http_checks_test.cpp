#include <doctest/doctest.h>

#include "server/transport/http_checks.hpp"

namespace kmcp {

TEST_CASE("origin: loopback over http(s) with any port is allowed, anything else only when listed") {
  const std::vector<std::string> none;
  CHECK(origin_allowed("http://localhost", none));
  CHECK(origin_allowed("http://localhost:6274", none));
  CHECK(origin_allowed("https://127.0.0.1:8443", none));
  CHECK(origin_allowed("http://[::1]:3000", none));
  CHECK(origin_allowed("HTTP://LOCALHOST:1", none));

  CHECK_FALSE(origin_allowed("http://evil.example", none));
  CHECK_FALSE(origin_allowed("http://localhost.evil.example", none));
  CHECK_FALSE(origin_allowed("http://127.0.0.1.nip.io", none));
  CHECK_FALSE(origin_allowed("http://localhost@evil.example", none));
  CHECK_FALSE(origin_allowed("null", none));
  CHECK_FALSE(origin_allowed("", none));
  CHECK_FALSE(origin_allowed("file://localhost", none));
  CHECK_FALSE(origin_allowed("http://localhost:99999", none));

  const std::vector<std::string> extra{"https://app.example.com", "http://tool.example:8080/"};
  CHECK(origin_allowed("https://app.example.com", extra));
  CHECK(origin_allowed("https://APP.example.com/", extra));
  CHECK(origin_allowed("http://tool.example:8080", extra));
  CHECK_FALSE(origin_allowed("http://app.example.com", extra));
  CHECK_FALSE(origin_allowed("http://tool.example:8081", extra));
}

TEST_CASE("host: loopback names with any port are allowed; listed names with or without port") {
  const std::vector<std::string> none;
  CHECK(host_allowed("localhost", none));
  CHECK(host_allowed("127.0.0.1:8080", none));
  CHECK(host_allowed("[::1]:8080", none));
  CHECK(host_allowed("LocalHost:1", none));

  CHECK_FALSE(host_allowed("", none));
  CHECK_FALSE(host_allowed("evil.example", none));
  CHECK_FALSE(host_allowed("evil.example:8080", none));
  CHECK_FALSE(host_allowed("localhost:port", none));
  CHECK_FALSE(host_allowed("localhost:", none));
  CHECK_FALSE(host_allowed("[::1", none));
  CHECK_FALSE(host_allowed("127.0.0.1:8080:1", none));

  const std::vector<std::string> extra{"mcp.internal", "box.lan:9000"};
  CHECK(host_allowed("mcp.internal", extra));
  CHECK(host_allowed("mcp.internal:8080", extra));
  CHECK(host_allowed("box.lan:9000", extra));
  CHECK_FALSE(host_allowed("box.lan:9001", extra));
  CHECK_FALSE(host_allowed("other.internal", extra));
}

TEST_CASE("accept: media ranges, wildcards on request, q=0 refuses") {
  CHECK(accepts("application/json, text/event-stream", "application/json"));
  CHECK(accepts("application/json, text/event-stream", "text/event-stream"));
  CHECK(accepts("text/event-stream;q=0.9", "text/event-stream"));
  CHECK(accepts("TEXT/Event-Stream", "text/event-stream"));
  CHECK(accepts("*/*", "application/json"));
  CHECK(accepts("application/*", "application/json"));
  CHECK_FALSE(accepts("*/*", "text/event-stream", false));
  CHECK_FALSE(accepts("text/*", "text/event-stream", false));
  CHECK_FALSE(accepts("text/html", "application/json"));
  CHECK_FALSE(accepts("application/json;q=0", "application/json"));
  CHECK_FALSE(accepts("application/json; q=0.0, text/html", "application/json"));
  CHECK_FALSE(accepts("", "application/json"));
  CHECK_FALSE(accepts("application/jsonx", "application/json"));
}

TEST_CASE("content type: application/json with any parameters") {
  CHECK(is_json_content_type("application/json"));
  CHECK(is_json_content_type("application/json; charset=utf-8"));
  CHECK(is_json_content_type("Application/JSON"));
  CHECK_FALSE(is_json_content_type(""));
  CHECK_FALSE(is_json_content_type("text/plain"));
  CHECK_FALSE(is_json_content_type("application/json-patch+json"));
}

TEST_CASE("protocol version header: the revisions the server speaks") {
  CHECK(protocol_version_supported("2025-11-25"));
  CHECK(protocol_version_supported("2025-06-18"));
  CHECK(protocol_version_supported("2025-03-26"));
  CHECK_FALSE(protocol_version_supported("2024-11-05"));
  CHECK_FALSE(protocol_version_supported("banana"));
}

}  // namespace kmcp
