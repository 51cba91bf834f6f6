#include <doctest/doctest.h>

#include "server/transport/health_endpoints.hpp"

namespace kmcp {
namespace {

HttpRequest get(std::string_view target, http::verb method = http::verb::get) {
  HttpRequest request{method, target, 11};
  request.set(http::field::host, "probe");
  return request;
}

}  // namespace

TEST_CASE("/readyz says draining with 503 once the server drains; /healthz stays ok") {
  CHECK(health_reply(get("/healthz"), false)->result() == http::status::ok);
  CHECK(health_reply(get("/healthz"), true)->result() == http::status::ok);
  CHECK(health_reply(get("/readyz"), false)->result() == http::status::ok);
  const auto draining = health_reply(get("/readyz?verbose=1"), true);
  REQUIRE(draining);
  CHECK(draining->result() == http::status::service_unavailable);
  CHECK(draining->body().find("draining") != std::string::npos);
  CHECK(health_reply(get("/readyz", http::verb::head), false)->body().empty());
  CHECK_FALSE(health_reply(get("/mcp"), false));
  CHECK_FALSE(health_reply(get("/healthz/x"), false));
}

}  // namespace kmcp
