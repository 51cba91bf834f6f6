// What a reply's RateLimit-Remaining teaches a bucket: no more than that many further calls
// until the reported window ends, counting ours made since the reported call.
#include <doctest/doctest.h>

#include <vector>

#include "server/rate/sliding_window_bucket.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;

const WindowLimits kTierM{10, 150};

QuotaReport report(int remaining, std::chrono::seconds reset, SteadyTime admitted_at) {
  return QuotaReport{remaining, reset, admitted_at};
}

// When one more call may go at `now`, or `now` itself when it may go at once.
SteadyTime next_slot(const SlidingWindowBucket& bucket, SteadyTime now) {
  const auto wait = bucket.wait_needed(now);
  return wait ? now + wait->duration : now;
}

TEST_CASE("nothing remaining holds every call until the window's end plus the margin") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket bucket(kTierM, 50ms);
  bucket.charge(t0);  // the call the reply answers
  bucket.learn(report(0, 20s, t0), t0 + 300ms);
  const auto wait = bucket.wait_needed(t0 + 300ms);
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::reported);
  CHECK(t0 + 300ms + wait->duration == t0 + 20s + 50ms);
  CHECK(bucket.wait_needed(t0 + 20s + 50ms - 1ns));
  CHECK_FALSE(bucket.wait_needed(t0 + 20s + 50ms));
}

TEST_CASE("what remains is spent by our calls admitted since the reported one, ties included") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket bucket(kTierM);
  bucket.charge(t0);  // reported
  bucket.charge(t0 + 10ms);
  bucket.charge(t0 + 20ms);
  bucket.learn(report(3, 30s, t0), t0 + 30ms);  // 3 left when the reported call was counted
  CHECK_FALSE(bucket.wait_needed(t0 + 30ms));
  bucket.charge(t0 + 30ms);
  CHECK(next_slot(bucket, t0 + 30ms) == t0 + 30s);

  // Calls admitted at the very moment of the reported one may have reached Klaviyo after it.
  SlidingWindowBucket tied(kTierM);
  for (int i = 0; i < 3; ++i) tied.charge(t0);
  tied.learn(report(2, 30s, t0), t0);
  CHECK(next_slot(tied, t0) == t0 + 30s);
}

TEST_CASE("a report never loosens the bucket's own limits") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket plain(kTierM), taught(kTierM);
  plain.charge(t0);
  taught.charge(t0);
  taught.learn(report(1000, 59s, t0), t0);
  SteadyTime now = t0;
  for (int i = 0; i < 400; ++i) {
    const SteadyTime slot = next_slot(plain, now);
    REQUIRE(next_slot(taught, now) == slot);
    now = slot;
    plain.charge(now);
    taught.charge(now);
  }
}

TEST_CASE("a newer report on the same window replaces the older; an older one arriving late is ignored") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket bucket(kTierM);
  bucket.charge(t0);       // call A
  bucket.charge(t0 + 1s);  // call B
  bucket.learn(report(0, 30s, t0), t0 + 1s);  // A's reply: the window is spent
  CHECK(next_slot(bucket, t0 + 1s) == t0 + 30s);
  bucket.learn(report(5, 29s, t0 + 1s), t0 + 1s);  // B's reply, same window: room again
  CHECK(next_slot(bucket, t0 + 1s) == t0 + 1s);
  bucket.learn(report(0, 30s, t0), t0 + 1s);  // A's reply, late: B's is newer
  CHECK(next_slot(bucket, t0 + 1s) == t0 + 1s);
  // Of two replies to calls admitted together, the lower count was made later.
  bucket.learn(report(0, 29s, t0 + 1s), t0 + 1s);
  CHECK(next_slot(bucket, t0 + 1s) == t0 + 30s);
  bucket.learn(report(4, 29s, t0 + 1s), t0 + 1s);
  CHECK(next_slot(bucket, t0 + 1s) == t0 + 30s);
}

TEST_CASE("reports on different windows both hold: a call freed by one may be held by the next") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket bucket(kTierM);
  bucket.charge(t0);
  bucket.charge(t0 + 5s);
  bucket.learn(report(0, 10s, t0), t0 + 5s);
  bucket.learn(report(0, 55s, t0 + 5s), t0 + 5s);  // ends 50 s later: another window
  const auto wait = bucket.wait_needed(t0 + 5s);
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::reported);
  CHECK(t0 + 5s + wait->duration == t0 + 60s);
}

TEST_CASE("queued calls are planned around a learned quota") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket bucket(kTierM);
  bucket.charge(t0);
  bucket.learn(report(2, 40s, t0), t0);
  const std::vector<SteadyTime> one{t0}, two{t0, t0};
  CHECK(bucket.earliest_admission(t0, one).at == t0);
  const Admission third = bucket.earliest_admission(t0, two);
  CHECK(third.at == t0 + 40s);
  CHECK(third.cause == LimitKind::reported);
  CHECK(bucket.admits_now_without_delaying(t0, one));
  CHECK_FALSE(bucket.admits_now_without_delaying(t0, two));  // it would push the second waiter
  // The same when a third waiter, planned at the end already, stands behind them.
  const std::vector<SteadyTime> three{t0, t0, t0 + 40s};
  CHECK_FALSE(bucket.admits_now_without_delaying(t0, three));
}

TEST_CASE("an expired report is ignored; one whose calls the logs lost is taken as spent") {
  const SteadyTime t0 = ManualClock().now();
  SlidingWindowBucket bucket(kTierM);
  bucket.charge(t0);
  bucket.learn(report(0, 10s, t0), t0 + 10s);  // its window is over by the time it is learned
  CHECK_FALSE(bucket.wait_needed(t0 + 10s));

  // Two a minute, no burst window: the log keeps two calls, and a report on a call more
  // than a minute back cannot count what came since; it must not count too few.
  SlidingWindowBucket small(WindowLimits{0, 2});
  small.charge(t0);  // reported
  small.charge(t0 + 61s);
  small.charge(t0 + 62s);
  small.learn(report(5, 200s, t0), t0 + 63s);
  const auto wait = small.wait_needed(t0 + 125s);  // past the minute window's own wait
  REQUIRE(wait);
  CHECK(wait->cause == LimitKind::reported);
  CHECK(t0 + 125s + wait->duration == t0 + 200s);
}

}  // namespace
}  // namespace kmcp
