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

namespace kmcp {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a refused call's admission is forgotten: the newest at or before the given time, full ring or not") {
  const SteadyTime t0 = SteadyTime{} + 1h;
  SlidingWindowLog log(1s, 3);
  log.record(t0);
  log.record(t0 + 10ms);
  log.record(t0 + 20ms);  // full
  CHECK(log.remove_latest_at_or_before(t0 + 15ms) == t0 + 10ms);
  CHECK(log.size() == 2);
  CHECK(log.recent(0) == t0 + 20ms);
  CHECK(log.recent(1) == t0);
  log.record(t0 + 30ms);  // takes the freed place; the oldest is kept
  CHECK(log.size() == 3);
  CHECK(log.recent(0) == t0 + 30ms);
  CHECK(log.recent(2) == t0);
  CHECK_FALSE(log.remove_latest_at_or_before(t0 - 1ms));
  CHECK(log.remove_latest_at_or_before(t0 + 1s) == t0 + 30ms);
  CHECK(log.remove_latest_at_or_before(t0 + 1s) == t0 + 20ms);
  CHECK(log.remove_latest_at_or_before(t0 + 1s) == t0);
  CHECK(log.size() == 0);
  CHECK_FALSE(log.remove_latest_at_or_before(t0 + 1s));
}

}  // namespace
}  // namespace kmcp
