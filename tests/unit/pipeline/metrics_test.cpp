// The Prometheus text the metrics render, and the misuse they refuse.
#include <doctest/doctest.h>

#include <stdexcept>

#include "server/core/metrics.hpp"
#include "server/core/server_metrics.hpp"

namespace kmcp {

TEST_CASE("metrics: counters, gauges and cumulative histogram buckets in the text format") {
  Metrics m;
  m.declare_counter("calls_total", "Calls by tool");
  m.declare_gauge("in_flight", "Under way");
  m.declare_histogram("seconds", "Durations", {0.1, 1});
  m.add("calls_total", {{"tool", "get_profiles"}, {"outcome", "ok"}});
  m.add("calls_total", {{"tool", "get_profiles"}, {"outcome", "ok"}}, 2);
  m.add("in_flight", {}, 1);
  m.add("in_flight", {}, -1);
  m.observe("seconds", {}, 0.05);
  m.observe("seconds", {}, 0.5);
  m.observe("seconds", {}, 7);
  const std::string text = m.render();
  CHECK(text.find("# HELP calls_total Calls by tool\n# TYPE calls_total counter\n") != std::string::npos);
  CHECK(text.find("calls_total{tool=\"get_profiles\",outcome=\"ok\"} 3\n") != std::string::npos);
  CHECK(text.find("# TYPE in_flight gauge\nin_flight 0\n") != std::string::npos);
  CHECK(text.find("seconds_bucket{le=\"0.1\"} 1\nseconds_bucket{le=\"1\"} 2\nseconds_bucket{le=\"+Inf\"} 3\n"
                  "seconds_sum 7.55\nseconds_count 3\n") != std::string::npos);
  CHECK(m.value("calls_total", {{"tool", "get_profiles"}, {"outcome", "ok"}}) == 3);
  CHECK(m.value("seconds") == 3);
  CHECK(m.value("calls_total", {{"tool", "other"}}) == 0);
}

TEST_CASE("metrics: label values are escaped; misuse is a programming error") {
  Metrics m;
  m.declare_counter("c_total", "C");
  m.declare_gauge("g", "G");
  m.add("c_total", {{"tool", "a\"b\\c\nd"}});
  CHECK(m.render().find("c_total{tool=\"a\\\"b\\\\c\\nd\"} 1\n") != std::string::npos);
  CHECK_THROWS_AS(m.add("nope"), std::logic_error);
  CHECK_THROWS_AS(m.add("c_total", {}, -1), std::logic_error);
  CHECK_THROWS_AS(m.set("c_total", {}, 5), std::logic_error);
  CHECK_THROWS_AS(m.observe("g", {}, 1), std::logic_error);
  CHECK_THROWS_AS(m.declare_gauge("g", "again"), std::logic_error);
  m.set("g", {}, 4);
  CHECK(m.value("g") == 4);
}

TEST_CASE("metrics: the server's families are all declared, each with help text") {
  Metrics m;
  metric::declare_server_metrics(m);
  const std::string text = m.render();
  for (std::string_view name : {metric::kToolCalls, metric::kToolCallSeconds, metric::kToolCallsInFlight,
                                metric::kUpstreamRequests, metric::kUpstreamSeconds, metric::kUpstreamRateLimited,
                                metric::kUpstreamRetries, metric::kRateLimitWaitSeconds, metric::kHttpSessions,
                                metric::kHttpConnections})
    CHECK(text.find("# HELP " + std::string(name) + " ") != std::string::npos);
}

}  // namespace kmcp
