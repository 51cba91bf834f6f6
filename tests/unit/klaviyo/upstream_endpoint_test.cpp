#include <doctest/doctest.h>

#include <string>

#include "server/klaviyo/upstream_endpoint.hpp"

namespace kmcp {

TEST_CASE("https without a port: 443, Host is the bare name") {
  const auto endpoint = parse_upstream_endpoint("https://a.klaviyo.com");
  REQUIRE(endpoint.has_value());
  CHECK(endpoint->tls);
  CHECK(endpoint->host == "a.klaviyo.com");
  CHECK_FALSE(endpoint->host_is_ip);
  CHECK(endpoint->port == "443");
  CHECK(endpoint->host_header == "a.klaviyo.com");
}

TEST_CASE("http with a port and a trailing slash") {
  const auto endpoint = parse_upstream_endpoint("http://127.0.0.1:8081/");
  REQUIRE(endpoint.has_value());
  CHECK_FALSE(endpoint->tls);
  CHECK(endpoint->host == "127.0.0.1");
  CHECK(endpoint->host_is_ip);
  CHECK(endpoint->port == "8081");
  CHECK(endpoint->host_header == "127.0.0.1:8081");
}

TEST_CASE("an explicit default port is left out of Host") {
  const auto endpoint = parse_upstream_endpoint("https://a.klaviyo.com:443");
  REQUIRE(endpoint.has_value());
  CHECK(endpoint->port == "443");
  CHECK(endpoint->host_header == "a.klaviyo.com");
}

TEST_CASE("IPv6 literals lose their brackets for connecting but keep them in Host") {
  const auto endpoint = parse_upstream_endpoint("https://[::1]:8443");
  REQUIRE(endpoint.has_value());
  CHECK(endpoint->host == "::1");
  CHECK(endpoint->host_is_ip);
  CHECK(endpoint->host_header == "[::1]:8443");
}

TEST_CASE("everything but scheme, host and port is refused") {
  for (const char* url : {"", "a.klaviyo.com", "ftp://a.klaviyo.com", "https://user:pw@a.klaviyo.com",
                          "https://a.klaviyo.com/api", "https://a.klaviyo.com?x=1", "https://a.klaviyo.com#f",
                          "https://a.klaviyo.com:0", "https://a.klaviyo.com:99999", "https://:443", "https:///"}) {
    const std::string text = url;
    CAPTURE(text);
    const auto endpoint = parse_upstream_endpoint(url);
    CHECK(endpoint.has_error());
    if (endpoint.has_error()) CHECK_FALSE(endpoint.error().empty());
  }
}

}  // namespace kmcp
