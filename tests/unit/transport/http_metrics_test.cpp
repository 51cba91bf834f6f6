// GET /metrics over the HTTP listener: Prometheus text with the HTTP gauges read at scrape time,
// a token when tokens are configured, nothing when the transport has no metrics.
#include <doctest/doctest.h>

#include "server/core/server_metrics.hpp"
#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
using test::HttpHarness;
using test::Response;

namespace {

std::shared_ptr<Metrics> server_metrics() {
  auto metrics = std::make_shared<Metrics>();
  metric::declare_server_metrics(*metrics);
  return metrics;
}

test::Request scrape(test::http::verb method = test::http::verb::get) {
  test::Request request(method, "/metrics", 11);
  request.set(test::http::field::host, "127.0.0.1");
  return request;
}

}  // namespace

TEST_CASE("metrics endpoint: Prometheus text with open sessions and connections counted at scrape time") {
  HttpOptions options;
  options.metrics = server_metrics();
  HttpHarness h(options);
  h.open_session();
  h.open_session();
  options.metrics->add(metric::kToolCalls, {{"tool", "get_profiles"}, {"outcome", "ok"}});
  Response reply = h.send(scrape());
  CHECK(reply.result_int() == 200);
  CHECK(reply[test::http::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(reply.body().find("\nkmcp_http_sessions 2\n") != std::string::npos);
  // The scrape's own connection at least; the sessions' may not be seen closed yet.
  const auto at = reply.body().find("\nkmcp_http_connections ");
  REQUIRE(at != std::string::npos);
  const double connections = std::stod(reply.body().substr(at + 23));
  CHECK(connections >= 1);
  CHECK(connections <= 3);
  CHECK(reply.body().find("kmcp_tool_calls_total{tool=\"get_profiles\",outcome=\"ok\"} 1\n") != std::string::npos);
  Response head = h.send(scrape(test::http::verb::head));
  CHECK(head.result_int() == 200);
  CHECK(head.body().empty());
  Response post = h.send(scrape(test::http::verb::post));
  CHECK(post.result_int() == 405);
  CHECK(post[test::http::field::allow] == "GET, HEAD");
}

TEST_CASE("metrics endpoint: needs a bearer token when tokens are configured; absent without metrics") {
  auto tokens = BearerTokens::parse("scrape-token-0123456789\n", "tokens.txt");
  REQUIRE(tokens.has_value());
  HttpOptions options;
  options.metrics = server_metrics();
  options.tokens = std::make_shared<const BearerTokens>(std::move(*tokens));
  HttpHarness h(options);
  CHECK(h.send(scrape()).result_int() == 401);
  auto with_token = scrape();
  with_token.set(test::http::field::authorization, "Bearer scrape-token-0123456789");
  CHECK(h.send(with_token).result_int() == 200);

  HttpHarness bare;
  CHECK(bare.send(scrape()).result_int() == 404);
}

}  // namespace kmcp
