#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "server/rate/sliding_window_bucket.hpp"
#include "tests/unit/rate/window_check.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using test::busiest_span;
using test::respects;
using test::would_overfill;

const WindowLimits kTierXS{1, 15};
const WindowLimits kTierS{3, 60};
const WindowLimits kTierM{10, 150};
const WindowLimits kTierL{75, 750};

// Serves arrivals one at a time, each at the earliest moment the bucket admits it, and checks
// after every admission that no sliding span (lengthened by the bucket's margin) overflows and
// that every wait was needed (a nanosecond sooner would have overfilled a span). Returns the
// admission times.
std::vector<SteadyTime> serve(SlidingWindowBucket& bucket, ManualClock& clock,
                              const std::vector<SteadyTime>& arrivals) {
  const WindowLimits& limits = bucket.limits();
  const auto margin = bucket.margin();
  std::vector<SteadyTime> admitted;
  for (const SteadyTime arrival : arrivals) {
    if (arrival > clock.now()) clock.set(arrival);
    if (const auto wait = bucket.wait_needed(clock.now())) {
      REQUIRE(wait->duration > 0ns);
      REQUIRE(would_overfill(admitted, clock.now() + wait->duration - 1ns, limits, margin));
      clock.advance(wait->duration);
      REQUIRE_FALSE(bucket.wait_needed(clock.now()));
    }
    REQUIRE_FALSE(would_overfill(admitted, clock.now(), limits, margin));
    bucket.charge(clock.now());
    admitted.push_back(clock.now());
  }
  REQUIRE(respects(admitted, limits, margin));
  return admitted;
}

TEST_CASE("a burst is paced at the theoretical rate of tier M, to the nanosecond; a margin lengthens each window") {
  for (const auto margin : {0ms, 50ms}) {
    CAPTURE(margin.count());
    ManualClock clock;
    const SteadyTime t0 = clock.now();
    SlidingWindowBucket bucket(kTierM, margin);
    const std::vector<SteadyTime> admitted = serve(bucket, clock, std::vector<SteadyTime>(300, t0));
    // 10 per second until 150 in the minute, then the next minute opens; each window is
    // `margin` longer.
    for (std::size_t i = 0; i < admitted.size(); ++i) {
      const auto expected = t0 + (i / 150) * (60s + margin) + ((i % 150) / 10) * (1s + margin);
      REQUIRE(admitted[i] == expected);
    }
    CHECK(busiest_span(admitted, 1s + margin) == 10);
    CHECK(busiest_span(admitted, 60s + margin) == 150);
  }
}

TEST_CASE("a margin lengthens the daily window too") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  SlidingWindowBucket bucket(WindowLimits{5, 100, 5}, 20ms);
  serve(bucket, clock, std::vector<SteadyTime>(5, t0));
  const auto wait = bucket.wait_needed(t0);
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::per_day);
  CHECK(wait->duration == 24h + 20ms);
}

TEST_CASE("bursts straddling second and minute edges never overfill a sliding span") {
  for (const WindowLimits& limits : {kTierXS, kTierS, kTierM, kTierL}) {
    CAPTURE(limits.per_second);
    ManualClock clock;
    const SteadyTime t0 = clock.now();
    std::vector<SteadyTime> arrivals;
    // Clumps just before, on and just after each edge, the way fixed windows are gamed; about
    // 2000 arrivals, several minutes of backlog for every tier.
    const int edges = std::clamp(2000 / (4 * limits.per_second), 10, 150);
    for (int edge = 1; edge <= edges; ++edge) {
      const SteadyTime at = t0 + edge * 1s;
      for (const auto offset : {-1ns, 0ns, 1ns, 999'999'999ns}) {
        for (int n = 0; n < limits.per_second; ++n) arrivals.push_back(at + offset);
      }
    }
    for (const auto margin : {0ms, 50ms, 1000ms}) {
      CAPTURE(margin.count());
      ManualClock fresh;
      SlidingWindowBucket bucket(limits, margin);
      const auto admitted = serve(bucket, fresh, arrivals);
      CHECK(busiest_span(admitted, 1s + margin) == std::size_t(limits.per_second));
      CHECK(busiest_span(admitted, 60s + margin) == std::size_t(limits.per_minute));
    }
  }
}

TEST_CASE("a steady trickle just over the burst rate runs into the minute limit") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  std::vector<SteadyTime> arrivals;
  for (int i = 0; i < 2000; ++i) arrivals.push_back(t0 + i * 90ms);  // 11.1 per second
  SlidingWindowBucket bucket(kTierM);
  const auto admitted = serve(bucket, clock, arrivals);
  CHECK(busiest_span(admitted, 60s) == 150);
  // Long-run pace is the minute limit: 2000 calls need 13 full minutes and part of a 14th.
  CHECK(admitted.back() - t0 >= 13min);
  CHECK(admitted.back() - t0 < 14min);
}

TEST_CASE("random arrivals over simulated minutes keep every sliding span within limits") {
  std::mt19937_64 rng(20260715);
  for (const WindowLimits& limits :
       {kTierXS, kTierS, kTierM, kTierL, WindowLimits{3, 20, 50}, WindowLimits{350, 750}}) {
    CAPTURE(limits.per_second);
    CAPTURE(limits.per_minute);
    ManualClock clock;
    SteadyTime t = clock.now();
    std::vector<SteadyTime> arrivals;
    std::uniform_int_distribution<int> pick(0, 9);
    for (int i = 0; i < 1500; ++i) {
      switch (pick(rng)) {
        case 0: case 1: case 2: break;  // same instant: part of a burst
        case 3: case 4: t += std::chrono::microseconds(rng() % 5000); break;
        case 5: case 6: t += std::chrono::milliseconds(rng() % 400); break;
        case 7: {  // land right at (or a hair off) a whole-second edge
          const auto since = t.time_since_epoch();
          t = SteadyTime{} + std::chrono::ceil<std::chrono::seconds>(since) +
              std::chrono::nanoseconds(int(rng() % 3) - 1);
          break;
        }
        case 8: t += std::chrono::seconds(rng() % 20); break;
        default: t += std::chrono::seconds(30 + rng() % 90); break;  // idle spell
      }
      if (!arrivals.empty() && t < arrivals.back()) t = arrivals.back();
      arrivals.push_back(t);
    }
    for (const auto margin : {0ms, 50ms}) {
      CAPTURE(margin.count());
      ManualClock fresh;
      SlidingWindowBucket bucket(limits, margin);
      const auto admitted = serve(bucket, fresh, arrivals);
      CHECK(admitted.size() == arrivals.size());
    }
  }
}

TEST_CASE("the daily cap holds the next call until its oldest admission is 24 hours old") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  const WindowLimits limits{1, 15, 100};
  SlidingWindowBucket bucket(limits);
  const auto admitted = serve(bucket, clock, std::vector<SteadyTime>(100, t0));
  CHECK(admitted.back() == t0 + 6min + 9s);  // 15 a minute, one a second

  const auto wait = bucket.wait_needed(clock.now());
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::per_day);
  CHECK(clock.now() + wait->duration == t0 + 24h);

  clock.set(t0 + 24h);
  CHECK_FALSE(bucket.wait_needed(clock.now()));
  bucket.charge(clock.now());
  // The next one waits for the per-second span, then for the second-oldest to age out.
  const auto next = bucket.wait_needed(clock.now());
  REQUIRE(next);
  CHECK(clock.now() + next->duration == t0 + 24h + 1s);
}

TEST_CASE("the wait names the limit that binds") {
  ManualClock clock;
  SlidingWindowBucket bucket(kTierM);
  for (int i = 0; i < 10; ++i) bucket.charge(clock.now());
  auto wait = bucket.wait_needed(clock.now());
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::per_second);
  CHECK(wait->duration == 1s);

  const SteadyTime t0 = clock.now();
  for (int s = 1; s < 15; ++s) {
    clock.set(t0 + s * 1s);
    for (int i = 0; i < 10; ++i) bucket.charge(clock.now());
  }
  wait = bucket.wait_needed(clock.now());
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::per_minute);
  CHECK(clock.now() + wait->duration == t0 + 60s);
}

TEST_CASE("block_until holds every call until the pause ends and never shortens it") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  SlidingWindowBucket bucket(kTierM);
  bucket.block_until(t0 + 2500ms);
  bucket.block_until(t0 + 1s);  // an earlier, shorter pause does not cut the longer one
  auto wait = bucket.wait_needed(t0);
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::retry_after);
  CHECK(wait->duration == 2500ms);
  CHECK(bucket.wait_needed(t0 + 2499ms));
  CHECK_FALSE(bucket.wait_needed(t0 + 2500ms));
}

TEST_CASE("a window left at zero is not enforced") {
  ManualClock clock;
  SlidingWindowBucket bucket(WindowLimits{0, 2});
  bucket.charge(clock.now());
  CHECK_FALSE(bucket.wait_needed(clock.now()));  // no per-second window
  bucket.charge(clock.now());
  const auto wait = bucket.wait_needed(clock.now());
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::per_minute);
  CHECK(wait->duration == 60s);
}

TEST_CASE("a call lines up behind the calls queued ahead of it") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  SlidingWindowBucket bucket(kTierXS);
  bucket.charge(t0);
  const std::vector<SteadyTime> one_waiting{t0 + 1s};

  const Admission alone = bucket.earliest_admission(t0);
  CHECK(alone.at == t0 + 1s);
  CHECK(alone.cause == LimitKind::per_second);
  // Behind a waiter planned for t0+1s, the next slot of a 1-per-second bucket is t0+2s.
  const Admission behind = bucket.earliest_admission(t0, one_waiting);
  CHECK(behind.at == t0 + 2s);
  CHECK(behind.cause == LimitKind::per_second);
  // A waiter planned late (held by another bucket) holds the ones behind it too.
  const std::vector<SteadyTime> held{t0 + 5s};
  const Admission behind_held = bucket.earliest_admission(t0, held);
  CHECK(behind_held.at == t0 + 6s);
  CHECK(behind_held.cause == LimitKind::per_second);
  const Admission queue_bound = SlidingWindowBucket(kTierL).earliest_admission(t0, held);
  CHECK(queue_bound.at == t0 + 5s);
  CHECK(queue_bound.cause == LimitKind::queue);

  // At t0+1s the slot belongs to the waiter: a newcomer may not take it.
  CHECK_FALSE(bucket.admits_now_without_delaying(t0 + 1s, one_waiting));
  CHECK(bucket.admits_now_without_delaying(t0 + 1s, {}));
}

TEST_CASE("a newcomer may use spare room that no waiter needs") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  SlidingWindowBucket bucket(kTierM);  // 10/s: room for the newcomer and the waiter
  bucket.charge(t0);
  const std::vector<SteadyTime> waiter_held_elsewhere{t0 + 3s};
  CHECK(bucket.admits_now_without_delaying(t0, waiter_held_elsewhere));

  // With exactly one slot left in the minute, taking it would push the waiter back.
  SlidingWindowBucket tight(WindowLimits{10, 2});
  tight.charge(t0);
  CHECK_FALSE(tight.admits_now_without_delaying(t0, waiter_held_elsewhere));
  CHECK(tight.admits_now_without_delaying(t0, {}));
}

}  // namespace
}  // namespace kmcp

namespace kmcp {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a refund after Klaviyo's 429 frees the minute window, not only the second") {
  const SteadyTime t0 = SteadyTime{} + 1h;
  SlidingWindowBucket bucket(WindowLimits{10, 2});
  bucket.charge(t0);
  bucket.charge(t0 + 1ms);
  REQUIRE(bucket.wait_needed(t0 + 2s));  // the minute is spent
  bucket.refund(t0 + 1ms);                // Klaviyo refused the second call
  CHECK_FALSE(bucket.wait_needed(t0 + 2s));
}

TEST_CASE("restamp moves a charge to the moment the request is written") {
  const SteadyTime t0 = SteadyTime{} + 1h;
  SlidingWindowBucket bucket(WindowLimits{1, 10});
  bucket.charge(t0);
  REQUIRE(bucket.restamp(t0, t0 + 700ms));  // it waited 700 ms for a connection
  // Counted from its write: the window frees a second after that, not after the admission.
  CHECK(bucket.wait_needed(t0 + 1s + 100ms));
  CHECK_FALSE(bucket.wait_needed(t0 + 1s + 700ms));
  // The restamped charge is the one a refund names.
  bucket.refund(t0 + 700ms);
  CHECK_FALSE(bucket.wait_needed(t0 + 700ms));
}

TEST_CASE("restamp keeps learned quotas and other charges exact") {
  const SteadyTime t0 = SteadyTime{} + 1h;
  SlidingWindowBucket bucket(WindowLimits{10, 3});
  bucket.charge(t0);
  bucket.charge(t0 + 10ms);
  CHECK(bucket.restamp(t0 + 10ms, t0 + 10ms));  // written at once: nothing moves
  REQUIRE(bucket.restamp(t0, t0 + 20ms));
  bucket.charge(t0 + 20ms);
  CHECK(bucket.wait_needed(t0 + 30ms));  // still three in the minute: nothing lost or doubled
  CHECK_FALSE(bucket.restamp(t0 - 1s, t0 + 30ms));  // no charge that old: nothing charged
  // The oldest charge is the one at 10 ms: the minute frees a slot when it leaves.
  CHECK(bucket.wait_needed(t0 + 60s + 5ms));
  CHECK_FALSE(bucket.wait_needed(t0 + 60s + 10ms));
}

}  // namespace
}  // namespace kmcp
