// The outbound client over TLS: a CA made at test time is trusted only when given.
#include <doctest/doctest.h>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

TEST_CASE("calls reach an HTTPS upstream whose CA is given with --ca-file") {
  FakeUpstream upstream(FakeUpstreamOptions{.tls = true});
  StdioServer server(server_env(upstream.base_url()), {"--ca-file", upstream.ca_file()});
  server.initialize();
  auto result = server.call_tool("get_lists", {});
  CHECK_MESSAGE(result.at("isError") == false, json::serialize(result));
  REQUIRE(upstream.requests().size() == 1);
  CHECK(upstream.requests()[0].headers.at("authorization") == "Klaviyo-API-Key pk_test_0123456789abcdef");
}

TEST_CASE("an upstream certificate nobody vouches for is refused") {
  FakeUpstream upstream(FakeUpstreamOptions{.tls = true});
  StdioServer server(server_env(upstream.base_url()));
  server.initialize();
  auto result = server.call_tool("get_lists", {});
  CHECK(result.at("isError") == true);
  CHECK(upstream.requests().empty());
  CHECK(json::serialize(result).find("pk_test_0123456789abcdef") == std::string::npos);
}
