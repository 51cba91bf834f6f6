#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "server/rate/local_rate_limiter.hpp"
#include "server/rate/timer_sleeper.hpp"
#include "tests/support/simulated_sleeper.hpp"
#include "tests/unit/rate/window_check.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using test::SimulatedSleeper;

const BucketRef kGetLists{"get_lists", {1, 15}};
const BucketRef kTierM{"get_profiles", {10, 150}};

struct Result {
  bool done = false;
  std::optional<ToolError> error;
  SteadyTime at{};
};

asio::awaitable<void> acquire_into(RateLimiter& limiter, const Clock& clock,
                                   std::vector<BucketRef> refs, SteadyTime deadline, Result& out) {
  out.error = co_await limiter.acquire("default", refs, deadline);
  out.at = clock.now();
  out.done = true;
}

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

void start(asio::io_context& io, RateLimiter& limiter, const Clock& clock,
           std::vector<BucketRef> refs, SteadyTime deadline, Result& out) {
  asio::co_spawn(io, acquire_into(limiter, clock, std::move(refs), deadline, out), rethrow);
}

void run_ready(asio::io_context& io) {
  io.restart();
  io.poll();
}

// A limiter on simulated time: its waits move the ManualClock instead of taking real time.
struct OnSimulatedTime {
  explicit OnSimulatedTime(RateLimiterOptions options = {})
      : sleeper(std::make_unique<SimulatedSleeper>(io, clock)), time(*sleeper), limiter(clock, std::move(sleeper), options) {}
  asio::io_context io;
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  std::unique_ptr<SimulatedSleeper> sleeper;  // moved into the limiter
  SimulatedSleeper& time;
  LocalRateLimiter limiter;
};

// The same without a margin, for exact window arithmetic.
struct OnExactSimulatedTime : OnSimulatedTime {
  OnExactSimulatedTime() : OnSimulatedTime(RateLimiterOptions{.margin = std::chrono::milliseconds(0)}) {}
};

// Starts one call per result, in order; `order` records the order in which they are admitted.
void start_all(asio::io_context& io, RateLimiter& limiter, const Clock& clock, const std::vector<BucketRef>& refs,
               SteadyTime deadline, std::vector<Result>& results, std::vector<std::size_t>& order) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    asio::co_spawn(
        io,
        [&, refs, deadline, i]() -> asio::awaitable<void> {
          co_await acquire_into(limiter, clock, refs, deadline, results[i]);
          order.push_back(i);
        },
        rethrow);
  }
}

TEST_CASE("a call with room is admitted without waiting") {
  asio::io_context io;
  ManualClock clock;
  LocalRateLimiter limiter(io.get_executor(), clock);
  Result r;
  start(io, limiter, clock, {kGetLists}, clock.now() + 1s, r);
  run_ready(io);  // runs what is ready, never a timer
  REQUIRE(r.done);
  CHECK_FALSE(r.error);
}

TEST_CASE("a deadline too short is refused at once with retry_after_seconds") {
  asio::io_context io;
  ManualClock clock;
  LocalRateLimiter limiter(io.get_executor(), clock);
  Result first, second;
  start(io, limiter, clock, {kGetLists}, clock.now() + 1s, first);
  start(io, limiter, clock, {kGetLists}, clock.now() + 500ms, second);
  run_ready(io);
  REQUIRE(first.done);
  REQUIRE(second.done);  // no timer ran: refused on the spot
  CHECK_FALSE(first.error);
  REQUIRE(second.error);
  CHECK(second.error->kind == "rate_limited");
  // The next slot is 1 s and the default 50 ms margin away: 1.05 s, rounded up to the tenth.
  CHECK(second.error->details.at("retry_after_seconds").as_double() == 1.1);
  CHECK(second.error->details.at("bucket").as_string() == "get_lists");
  CHECK(second.error->details.at("limit").as_string() == "per_second");
}

TEST_CASE("cancelling a waiting call returns cancelled and charges nothing") {
  asio::io_context io;
  ManualClock clock;
  // Real timers: the wait is cut short. No margin: the check below lands exactly 1 s on.
  LocalRateLimiter limiter(io.get_executor(), clock, RateLimiterOptions{.margin = 0ms});
  const BucketRef bucket{"get_lists", {1, 2}};
  Result first, waiting, after;
  start(io, limiter, clock, {bucket}, clock.now() + 1h, first);
  asio::cancellation_signal cancel;
  asio::co_spawn(io, acquire_into(limiter, clock, {bucket}, clock.now() + 1h, waiting),
                 asio::bind_cancellation_slot(cancel.slot(), rethrow));
  run_ready(io);
  REQUIRE(first.done);
  REQUIRE_FALSE(waiting.done);  // parked on its timer

  cancel.emit(asio::cancellation_type::terminal);
  io.restart();
  io.run_for(2s);  // bounded; returns as soon as the cancelled wait ends
  REQUIRE(waiting.done);
  REQUIRE(waiting.error);
  CHECK(waiting.error->kind == "cancelled");

  // Had the cancelled call been charged (2 per minute) or kept its place, this one would wait.
  clock.advance(1s);
  start(io, limiter, clock, {bucket}, clock.now(), after);
  run_ready(io);
  REQUIRE(after.done);
  CHECK_FALSE(after.error);
}

TEST_CASE("a short real wait completes once the window allows") {
  asio::io_context io;
  SystemClock clock;
  LocalRateLimiter limiter(io.get_executor(), clock);
  Result first, second;
  start(io, limiter, clock, {kGetLists}, clock.now() + 5s, first);
  start(io, limiter, clock, {kGetLists}, clock.now() + 5s, second);
  io.run_for(3s);
  REQUIRE(first.done);
  REQUIRE(second.done);
  CHECK_FALSE(first.error);
  CHECK_FALSE(second.error);
  CHECK(second.at - first.at >= 1s);
  CHECK(second.at - first.at < 2s);
}

TEST_CASE("a clock that stands still across a real wait ends the call instead of looping") {
  asio::io_context io;
  ManualClock clock;
  LocalRateLimiter limiter(io.get_executor(), clock);
  limiter.block("default", {kGetLists}, 30ms);
  Result r;
  start(io, limiter, clock, {kGetLists}, clock.now() + 1h, r);
  io.run_for(2s);
  REQUIRE(r.done);
  REQUIRE(r.error);
  CHECK(r.error->kind == "rate_limited");
  CHECK(r.error->details.at("limit").as_string() == "retry_after");
}

TEST_CASE_FIXTURE(OnSimulatedTime, "concurrent callers are served in arrival order at the theoretical pace") {

  std::vector<Result> results(40);
  std::vector<std::size_t> order;
  start_all(io, limiter, clock, {kTierM}, t0 + 1h, results, order);
  REQUIRE(time.run());
  std::vector<SteadyTime> admitted;
  for (std::size_t i = 0; i < results.size(); ++i) {
    REQUIRE(results[i].done);
    REQUIRE_FALSE(results[i].error);
    CHECK(order[i] == i);
    CHECK(results[i].at == t0 + (i / 10) * 1050ms);  // 10 per 1 s + the default 50 ms margin
    admitted.push_back(results[i].at);
  }
  CHECK(test::respects(admitted, kTierM.limits, 50ms));
}

TEST_CASE_FIXTURE(OnSimulatedTime, "penalize pushes back a call that is already waiting") {

  std::vector<Result> burst(10);
  for (Result& r : burst) start(io, limiter, clock, {kTierM}, t0 + 1h, r);
  Result waiting;
  start(io, limiter, clock, {kTierM}, t0 + 1h, waiting);
  run_ready(io);
  REQUIRE_FALSE(waiting.done);  // planned for t0+1s

  limiter.block("default", {kTierM}, 2500ms);  // a 429 with Retry-After: 2.5
  Result hurried;
  start(io, limiter, clock, {kTierM}, t0 + 2s, hurried);
  REQUIRE(time.run());
  REQUIRE(waiting.done);
  CHECK_FALSE(waiting.error);
  CHECK(waiting.at == t0 + 2500ms);
  REQUIRE(hurried.done);
  REQUIRE(hurried.error);
  CHECK(hurried.error->details.at("limit").as_string() == "retry_after");
  CHECK(hurried.error->details.at("retry_after_seconds").as_double() == 2.5);
}

TEST_CASE_FIXTURE(OnExactSimulatedTime, "learn() reshapes the plans of calls already waiting, in arrival order") {

  std::vector<Result> calls(15);  // 10 go at t0, 5 are planned for t0+1s
  std::vector<std::size_t> order;
  start_all(io, limiter, clock, {kTierM}, t0 + 1h, calls, order);
  run_ready(io);
  // The first call's reply: another client has left 12 of the minute, 9 of them ours since.
  limiter.learn("default", kTierM, QuotaReport{12, std::chrono::seconds(20), t0});
  Result hurried;
  start(io, limiter, clock, {kTierM}, t0 + 5s, hurried);
  REQUIRE(time.run());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    CAPTURE(i);
    REQUIRE(calls[i].done);
    REQUIRE_FALSE(calls[i].error);
    CHECK(order[i] == i);
    CHECK(calls[i].at == (i < 10 ? t0 : i < 13 ? t0 + 1s : t0 + 20s));
  }
  REQUIRE(hurried.done);
  REQUIRE(hurried.error);
  CHECK(hurried.error->details.at("limit").as_string() == "reported_quota");
  CHECK(hurried.error->details.at("retry_after_seconds").as_double() == 20.0);
}

TEST_CASE_FIXTURE(OnExactSimulatedTime, "a spent daily cap is refused with the time its oldest call ages out") {
  const BucketRef segments{"get_segments", {1, 15, 100}};

  std::vector<Result> day(100);
  const std::vector<BucketRef> refs{segments};
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (Result& r : day) co_await acquire_into(limiter, clock, refs, clock.now() + 1h, r);
      },
      rethrow);
  REQUIRE(time.run());
  for (const Result& r : day) REQUIRE((r.done && !r.error));
  CHECK(day.back().at == t0 + 6min + 9s);  // 15 a minute, one a second

  clock.advance(30ms);
  Result refused;
  start(io, limiter, clock, {segments}, clock.now() + 1h, refused);
  run_ready(io);
  REQUIRE(refused.done);
  REQUIRE(refused.error);
  CHECK(refused.error->kind == "rate_limited");
  CHECK(refused.error->details.at("limit").as_string() == "per_day");
  // The first call ages out at t0+24h: 24h - 369.03 s, rounded up to the tenth.
  CHECK(refused.error->details.at("retry_after_seconds").as_double() == 86031.0);
  CHECK(refused.error->message.find("Daily cap") != std::string::npos);
}

TEST_CASE_FIXTURE(OnSimulatedTime, "random arrivals on two endpoints sharing a conditional bucket stay within limits") {

  const BucketRef get_profile{"get_profile", {75, 750}};
  const BucketRef get_profiles{"get_profiles", {75, 750}};
  const BucketRef include_list{"profiles:include=list", {1, 15}};
  const std::vector<std::vector<BucketRef>> shapes = {
      {get_profile}, {get_profiles}, {get_profile, include_list}, {get_profiles, include_list}};

  std::mt19937 rng(7);
  std::map<std::string, std::vector<SteadyTime>> per_bucket;
  int admitted = 0;
  for (int i = 0; i < 400; ++i) {
    const SteadyTime arrival = t0 + std::chrono::milliseconds(rng() % 240'000);
    const std::vector<BucketRef>& refs = shapes[rng() % shapes.size()];
    asio::co_spawn(
        io,
        [&, arrival, refs]() -> asio::awaitable<void> {
          co_await time.sleep_until(arrival);
          const SteadyTime arrived = clock.now();
          const auto error = co_await limiter.acquire("default", refs, arrived + 10min);
          REQUIRE_FALSE(error);
          CHECK(clock.now() >= arrived);
          for (const BucketRef& ref : refs) per_bucket[ref.key].push_back(clock.now());
          ++admitted;
        },
        rethrow);
  }
  REQUIRE(time.run());
  CHECK(admitted == 400);
  CHECK(test::respects(per_bucket["get_profile"], get_profile.limits, 50ms));
  CHECK(test::respects(per_bucket["get_profiles"], get_profiles.limits, 50ms));
  CHECK(test::respects(per_bucket["profiles:include=list"], include_list.limits, 50ms));
  CHECK(test::busiest_span(per_bucket["profiles:include=list"], 60050ms) == 15);
}

TEST_CASE("callers on several io threads never exceed the limit") {
  asio::io_context io(2);
  SystemClock clock;
  LocalRateLimiter limiter(io.get_executor(), clock);
  const BucketRef bucket{"get_campaigns", {5, 100}};
  const std::vector<BucketRef> refs{bucket};
  std::atomic<int> admitted{0}, refused{0};
  for (int i = 0; i < 40; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          // 50 ms cannot reach the next second: every call beyond the 5 is refused at once.
          const auto error = co_await limiter.acquire("default", refs, clock.now() + 50ms);
          ++(error ? refused : admitted);
        },
        rethrow);
  }
  {
    std::jthread helper([&io] { io.run_for(2s); });
    io.run_for(2s);
  }
  CHECK(admitted.load() == 5);
  CHECK(refused.load() == 35);
}

}  // namespace
}  // namespace kmcp
