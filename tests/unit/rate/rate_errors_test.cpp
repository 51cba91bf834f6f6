#include <doctest/doctest.h>

#include "server/rate/rate_errors.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;

TEST_CASE("retry_after_seconds rounds up to the next tenth of a second") {
  CHECK(retry_after_seconds(0ns) == 0.0);
  CHECK(retry_after_seconds(1ns) == 0.1);
  CHECK(retry_after_seconds(100ms) == 0.1);
  CHECK(retry_after_seconds(100ms + 1ns) == 0.2);
  CHECK(retry_after_seconds(2500ms) == 2.5);
  CHECK(retry_after_seconds(86'030'970ms) == 86031.0);
}

TEST_CASE("rate_limited_error names the bucket, the limit and when to retry") {
  const SteadyTime now = ManualClock().now();
  const Holdup holdup{now + 1234ms, LimitKind::per_minute, "get_lists", WindowLimits{10, 150}};
  const ToolError error = rate_limited_error(holdup, now);
  CHECK(error.kind == "rate_limited");
  CHECK(error.details.at("retry_after_seconds").as_double() == 1.3);
  CHECK(error.details.at("bucket").as_string() == "get_lists");
  CHECK(error.details.at("limit").as_string() == "per_minute");
  CHECK(error.message.find("get_lists") != std::string::npos);
  CHECK(error.message.find("150 calls per minute") != std::string::npos);
  CHECK(error.message.find("Retry after 1.3 s") != std::string::npos);
}

TEST_CASE("each limit has its own wording") {
  const SteadyTime now = ManualClock().now();
  const WindowLimits limits{1, 15, 100};
  const auto message = [&](LimitKind cause) {
    return rate_limited_error(Holdup{now + 1s, cause, "get_segments", limits}, now).message;
  };
  CHECK(message(LimitKind::per_second).find("1 calls per second") != std::string::npos);
  CHECK(message(LimitKind::per_day).find("Daily cap") != std::string::npos);
  CHECK(message(LimitKind::per_day).find("100 calls per 24 hours") != std::string::npos);
  CHECK(message(LimitKind::retry_after).find("Retry-After") != std::string::npos);
  CHECK(message(LimitKind::queue).find("Earlier calls") != std::string::npos);
  CHECK(message(LimitKind::reported).find("RateLimit-Remaining") != std::string::npos);
  CHECK(to_string(LimitKind::reported) == "reported_quota");
}

TEST_CASE("a cancelled wait is its own kind") {
  CHECK(rate_wait_cancelled_error().kind == "cancelled");
}

}  // namespace
}  // namespace kmcp
