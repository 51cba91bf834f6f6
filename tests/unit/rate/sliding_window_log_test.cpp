#include <doctest/doctest.h>

#include "server/rate/sliding_window_log.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a window log keeps only its last `limit` admissions, newest first") {
  SlidingWindowLog log(1s, 3);
  const SteadyTime t0 = SteadyTime{} + 1h;
  CHECK(log.enforced());
  CHECK(log.limit() == 3);
  for (int i = 0; i < 10; ++i) {
    log.record(t0 + i * 1ms);
    CHECK(log.size() == std::min<std::size_t>(i + 1, 3));  // memory bounded by the limit
  }
  CHECK(log.recent(0) == t0 + 9ms);
  CHECK(log.recent(1) == t0 + 8ms);
  CHECK(log.recent(2) == t0 + 7ms);
}

TEST_CASE("a window with no positive limit is not enforced and keeps nothing") {
  SlidingWindowLog log(1s, 0);
  log.record(SteadyTime{} + 1h);
  CHECK_FALSE(log.enforced());
  CHECK(log.size() == 0);
}

}  // namespace
}  // namespace kmcp
