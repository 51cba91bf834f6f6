#include <doctest/doctest.h>

#include "server/rate/local_rate_limiter.hpp"
#include "server/rate/scaled_rate_limiter.hpp"
#include "tests/support/simulated_sleeper.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using test::SimulatedSleeper;

const BucketRef kOnePerSecond{"get_lists", {1, 15}};

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

// A local limiter on simulated time behind the scaling one; `admitted` gets each call's time.
struct Scaled {
  explicit Scaled(double factor)
      : sleeper(std::make_unique<SimulatedSleeper>(io, clock)),
        time(*sleeper),
        local(clock, std::move(sleeper), RateLimiterOptions{.margin = 0ms}),
        limiter(local, factor) {}

  void call(std::vector<SteadyTime>& admitted) {
    asio::co_spawn(
        io,
        [this, &admitted]() -> asio::awaitable<void> {
          const std::vector<BucketRef> buckets{kOnePerSecond};  // g++ 12: no braced list across co_await
          auto refused = co_await limiter.acquire("default", buckets, t0 + 1h);
          if (refused) ++refusals;
          else admitted.push_back(clock.now());
        },
        rethrow);
  }

  asio::io_context io;
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  std::unique_ptr<SimulatedSleeper> sleeper;
  SimulatedSleeper& time;
  LocalRateLimiter local;
  ScaledRateLimiter limiter;
  int refusals = 0;
};

TEST_CASE("scaling multiplies every window and never leaves one below a call") {
  const WindowLimits limits{.per_second = 10, .per_minute = 150, .per_day = 100};
  const WindowLimits doubled = ScaledRateLimiter::scale(limits, 2);
  CHECK(doubled.per_second == 20);
  CHECK(doubled.per_minute == 300);
  CHECK(doubled.per_day == 200);
  const WindowLimits tiny = ScaledRateLimiter::scale(limits, 0.01);
  CHECK(tiny.per_second == 1);
  CHECK(tiny.per_minute == 1);
  CHECK(tiny.per_day == 1);
  const WindowLimits off = ScaledRateLimiter::scale(limits, 0);
  CHECK(off.per_second == 0);
  CHECK(off.per_minute == 0);
  CHECK_FALSE(off.per_day);
}

TEST_CASE("factor 2 admits two calls a second where Klaviyo publishes one") {
  Scaled scaled(2);
  std::vector<SteadyTime> admitted;
  for (int i = 0; i < 4; ++i) scaled.call(admitted);
  REQUIRE(scaled.time.run());
  CHECK(scaled.refusals == 0);
  REQUIRE(admitted.size() == 4);
  CHECK(admitted[0] == scaled.t0);
  CHECK(admitted[1] == scaled.t0);
  CHECK(admitted[2] == scaled.t0 + 1s);
  CHECK(admitted[3] == scaled.t0 + 1s);
}

TEST_CASE("factor 0 paces nothing, yet a 429's Retry-After still holds the bucket") {
  Scaled scaled(0);
  std::vector<SteadyTime> admitted;
  for (int i = 0; i < 1000; ++i) scaled.call(admitted);
  REQUIRE(scaled.time.run());
  CHECK(scaled.refusals == 0);
  REQUIRE(admitted.size() == 1000);
  CHECK(admitted.back() == scaled.t0);  // a 1-per-second bucket, all at once

  // Klaviyo's 429 said Retry-After: 2 (penalize goes through the scaling limiter, as in the pipeline).
  const std::string account = "default";  // outlives the spawned coroutine, unlike a temporary
  const std::vector<BucketRef> buckets{kOnePerSecond};
  asio::co_spawn(scaled.io, scaled.limiter.penalize(account, buckets, 2s), rethrow);
  std::vector<SteadyTime> after;
  scaled.call(after);
  REQUIRE(scaled.time.run());
  REQUIRE(after.size() == 1);
  CHECK(after[0] == scaled.t0 + 2s);
}

TEST_CASE("factor 0 does not pace to a reported quota either") {
  Scaled scaled(0);
  // Klaviyo says nothing is left in this minute: a paced limiter would hold the next call a minute.
  scaled.limiter.learn("default", kOnePerSecond,
                       QuotaReport{.remaining = 0, .reset = std::chrono::seconds(60), .admitted_at = scaled.t0});
  std::vector<SteadyTime> admitted;
  scaled.call(admitted);
  REQUIRE(scaled.time.run());
  REQUIRE(admitted.size() == 1);
  CHECK(admitted[0] == scaled.t0);
}

}  // namespace
}  // namespace kmcp
