// Seeded, adversarial property tests of the whole limiter on simulated time (ManualClock and
// SimulatedSleeper: deterministic, no real waiting). Each property runs over many seeds and is
// checked by brute force (window_check.hpp), never by the limiter's own arithmetic.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "server/rate/rate_errors.hpp"
#include "server/rate/local_rate_limiter.hpp"
#include "tests/support/simulated_sleeper.hpp"
#include "tests/unit/rate/window_check.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;
using test::SimulatedSleeper;

constexpr std::chrono::milliseconds kMargin{50};
constexpr int kSeeds = 24;

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

struct CallPlan {
  SteadyTime arrival;
  std::string account = "acme";
  std::vector<BucketRef> buckets;
  nanoseconds patience = 1h;            // the deadline is this long after arrival
  std::optional<SteadyTime> cancel_at;  // the caller gives up then, if still waiting
};

struct CallOutcome {
  bool done = false;
  SteadyTime at{};  // when acquire() returned
  std::optional<ToolError> error;
  long rank = -1;   // the order in which calls finished
};

// One limiter on simulated time, and the calls run against it.
struct Simulation {
  explicit Simulation(std::chrono::milliseconds margin = kMargin)
      : owned_sleeper(std::make_unique<SimulatedSleeper>(io, clock)),
        time(*owned_sleeper),
        limiter(clock, std::move(owned_sleeper), RateLimiterOptions{.margin = margin}) {}

  // Plans must come in arrival order; `out` must outlive run(). `then` runs in the call's
  // coroutine once it is admitted (e.g. to simulate the reply).
  void spawn(const CallPlan& plan, CallOutcome& out,
             std::function<asio::awaitable<void>(const CallOutcome&)> then = {}) {
    auto call = [this, plan, &out, then]() -> asio::awaitable<void> {
      co_await time.sleep_until(plan.arrival);
      const SteadyTime deadline = clock.now() + plan.patience;
      out.error = co_await limiter.acquire(plan.account, plan.buckets, deadline);
      out.at = clock.now();
      out.rank = finished++;
      out.done = true;
      if (!out.error && then) co_await then(out);
    };
    if (!plan.cancel_at) {
      asio::co_spawn(io, call, rethrow);
      return;
    }
    signals.push_back(std::make_unique<asio::cancellation_signal>());
    asio::cancellation_signal& signal = *signals.back();
    asio::co_spawn(io, call, asio::bind_cancellation_slot(signal.slot(), rethrow));
    asio::co_spawn(
        io,
        [this, &signal, &out, at = *plan.cancel_at]() -> asio::awaitable<void> {
          co_await time.sleep_until(at);
          if (!out.done) signal.emit(asio::cancellation_type::terminal);
        },
        rethrow);
  }

  void run() { REQUIRE(time.run(1'000'000)); }

  asio::io_context io;
  ManualClock clock;
  std::unique_ptr<SimulatedSleeper> owned_sleeper;
  SimulatedSleeper& time;
  LocalRateLimiter limiter;
  std::vector<std::unique_ptr<asio::cancellation_signal>> signals;
  long finished = 0;
};

// Arrival times built to hurt fixed and sliding windows alike: clumps on whole seconds and
// minutes (and a nanosecond either side), bursts at one instant, trickles near the burst rate,
// random gaps and idle spells.
std::vector<SteadyTime> adversarial_arrivals(std::mt19937_64& rng, SteadyTime t0, int count) {
  std::vector<SteadyTime> out;
  SteadyTime t = t0;
  const auto snap = [&](nanoseconds unit) {  // to the next edge, or a nanosecond either side
    t = SteadyTime{} + (t.time_since_epoch() / unit + 1) * unit + nanoseconds(static_cast<long>(rng() % 3) - 1);
  };
  std::uniform_int_distribution<int> pick(0, 11);
  for (int i = 0; i < count; ++i) {
    switch (pick(rng)) {
      case 0: case 1: case 2: break;                                       // same instant
      case 3: t += std::chrono::microseconds(rng() % 2000); break;         // near-burst
      case 4: case 5: t += std::chrono::milliseconds(rng() % 300); break;  // random gap
      case 6: t += std::chrono::milliseconds(90 + rng() % 30); break;      // trickle near 10/s
      case 7: snap(1s); break;                                             // a second's edge
      case 8: snap(1min); break;                                           // a minute's edge
      case 9: t += std::chrono::milliseconds(1000 + rng() % 100); break;   // just over 1 s
      case 10: t += std::chrono::seconds(rng() % 10); break;
      default: t += std::chrono::seconds(20 + rng() % 70); break;          // idle spell
    }
    if (!out.empty()) t = std::max(t, out.back());
    out.push_back(t);
  }
  return out;
}

// The earliest moment from `now` on when one more admission breaks no window (lengthened by
// `margin`), found by brute force: the answer is `now` or a moment an admission leaves a window.
SteadyTime earliest_free(std::vector<SteadyTime> admitted, SteadyTime now, const WindowLimits& limits,
                         nanoseconds margin) {
  std::sort(admitted.begin(), admitted.end());
  std::vector<SteadyTime> candidates{now};
  for (const SteadyTime a : admitted) {
    for (const nanoseconds length : {nanoseconds(1s), nanoseconds(1min), nanoseconds(24h)}) {
      if (a + length + margin > now) candidates.push_back(a + length + margin);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  for (const SteadyTime c : candidates) {
    if (!test::would_overfill(admitted, c, limits, margin)) return c;
  }
  FAIL("no free moment");
  return now;
}

using Key = std::pair<std::string, std::string>;  // account, bucket
using Schedule = std::map<Key, std::vector<SteadyTime>>;

// Admission times per (account, bucket) of the admitted calls.
Schedule admissions(const std::vector<CallPlan>& plans, const std::vector<CallOutcome>& outcomes) {
  Schedule out;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (!outcomes[i].done || outcomes[i].error) continue;
    for (const BucketRef& ref : plans[i].buckets) out[{plans[i].account, ref.key}].push_back(outcomes[i].at);
  }
  return out;
}

// Two endpoints and the include=list bucket both draw from, like get_profile and get_profiles.
const BucketRef kEndpointA{"get_profile", {3, 20}};
const BucketRef kEndpointB{"get_profiles", {10, 60}};
const BucketRef kIncludeList{"profiles:include=list", {1, 5}};
const std::vector<std::vector<BucketRef>> kShapes = {
    {kEndpointA}, {kEndpointB}, {kEndpointA, kIncludeList}, {kEndpointB, kIncludeList}};
const std::map<std::string, WindowLimits> kLimits = {
    {kEndpointA.key, kEndpointA.limits}, {kEndpointB.key, kEndpointB.limits}, {kIncludeList.key, kIncludeList.limits}};

// Many concurrent callers on three accounts (two of them one account's two quotas), each call
// drawing from one or two buckets, a few with little patience.
std::vector<CallPlan> mixed_traffic(std::mt19937_64& rng, SteadyTime t0, int count) {
  const std::vector<std::string> accounts = {"acme", "acme:oauth", "globex"};
  std::vector<CallPlan> plans;
  for (const SteadyTime at : adversarial_arrivals(rng, t0, count)) {
    CallPlan plan{at, accounts[rng() % accounts.size()], kShapes[rng() % kShapes.size()]};
    if (rng() % 8 == 0) plan.patience = std::chrono::milliseconds(rng() % 3000);
    plans.push_back(std::move(plan));
  }
  return plans;
}

struct Run {
  std::vector<CallOutcome> outcomes;
  Schedule schedule;
};

Run run_plans(const std::vector<CallPlan>& plans, std::chrono::milliseconds margin = kMargin) {
  Simulation sim(margin);
  Run run;
  run.outcomes.resize(plans.size());
  for (std::size_t i = 0; i < plans.size(); ++i) sim.spawn(plans[i], run.outcomes[i]);
  sim.run();
  for (const CallOutcome& o : run.outcomes) REQUIRE(o.done);
  run.schedule = admissions(plans, run.outcomes);
  return run;
}

// Whether Klaviyo, counting in fixed 1 s and 60 s windows at the given phases on its clock, would
// see more than a limit, when call i reaches it latency[i] after its admission.
bool klaviyo_overflows(const std::vector<CallPlan>& plans, const Run& run, const std::vector<nanoseconds>& latency,
                       nanoseconds second_phase, nanoseconds minute_phase) {
  Schedule arrivals;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (run.outcomes[i].error) continue;
    for (const BucketRef& ref : plans[i].buckets) {
      arrivals[{plans[i].account, ref.key}].push_back(run.outcomes[i].at + latency[i]);
    }
  }
  for (const auto& [key, times] : arrivals) {
    const WindowLimits& limits = kLimits.at(key.second);
    if (test::busiest_fixed_window(times, 1s, second_phase) > std::size_t(limits.per_second)) return true;
    if (test::busiest_fixed_window(times, 1min, minute_phase) > std::size_t(limits.per_minute)) return true;
  }
  return false;
}

TEST_CASE("property: concurrent callers on shared buckets never overfill any sliding window") {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    const SteadyTime t0 = ManualClock().now();
    const std::vector<CallPlan> plans = mixed_traffic(rng, t0, 300);
    const Run run = run_plans(plans);
    // A named entry, not a structured binding: clang 14 cannot capture bindings in doctest's lambdas.
    for (const auto& entry : run.schedule) {
      const auto& key = entry.first;
      const auto& times = entry.second;
      CAPTURE(key.first);
      CAPTURE(key.second);
      CHECK(test::respects(times, kLimits.at(key.second), kMargin));
    }
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const CallOutcome& o = run.outcomes[i];
      CHECK(o.at >= plans[i].arrival);
      if (!o.error) continue;
      // Refused only when the wait would outlast the call's deadline, and it says so.
      CHECK(o.error->kind == "rate_limited");
      const nanoseconds left = plans[i].arrival + plans[i].patience - o.at;
      CHECK(o.error->details.at("retry_after_seconds").as_double() * 1e9 >= double(left.count()));
    }
  }
}

TEST_CASE("property: the include=list bucket is one bucket across both endpoints") {
  int saturated = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    const SteadyTime t0 = ManualClock().now();
    std::vector<CallPlan> plans;
    for (const SteadyTime at : adversarial_arrivals(rng, t0, 120)) {
      plans.push_back({at, "acme", kShapes[2 + rng() % 2]});  // every call names include=list
    }
    const Run run = run_plans(plans);
    const auto& shared = run.schedule.at({"acme", kIncludeList.key});
    // Each endpoint alone would allow several a second; together they get one.
    CHECK(shared.size() == plans.size());
    CHECK(test::respects(shared, kIncludeList.limits, kMargin));
    if (test::busiest_span(shared, 1min + kMargin) == std::size_t(kIncludeList.limits.per_minute)) ++saturated;
  }
  CHECK(saturated > kSeeds / 2);  // the traffic did press on the shared limit
}

TEST_CASE("property: Klaviyo's fixed windows, at any phase and with jitter up to the margin, never overflow") {
  int overflows_without_margin = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed * 7919);
    const SteadyTime t0 = ManualClock().now();
    const std::vector<CallPlan> plans = mixed_traffic(rng, t0, 300);
    const Run paced = run_plans(plans, kMargin);
    const Run exact = run_plans(plans, 0ms);
    std::uniform_int_distribution<long> jitter(0, nanoseconds(kMargin).count());
    for (int trial = 0; trial < 20; ++trial) {
      // Each call's trip: 30 ms plus its own jitter within the margin; it reaches Klaviyo once,
      // for all of its buckets.
      std::vector<nanoseconds> latency;
      for (std::size_t i = 0; i < plans.size(); ++i) latency.push_back(30ms + nanoseconds(jitter(rng)));
      const nanoseconds second_phase(rng() % nanoseconds(1s).count());
      const nanoseconds minute_phase(rng() % nanoseconds(1min).count());
      CHECK_FALSE(klaviyo_overflows(plans, paced, latency, second_phase, minute_phase));
      if (klaviyo_overflows(plans, exact, latency, second_phase, minute_phase)) ++overflows_without_margin;
    }
  }
  // The simulated Klaviyo is sharp enough to catch pacing without a margin.
  CHECK(overflows_without_margin > 0);
}

TEST_CASE("property: a spent daily cap refuses with the exact retry_after, and a retry then goes") {
  const WindowLimits limits{2, 10, 30};
  const BucketRef bucket{"query_campaign_values", limits};
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    Simulation sim;
    const SteadyTime t0 = sim.clock.now();
    // One caller at a time over two days, so each outcome can be derived from the past alone.
    std::vector<SteadyTime> admitted;
    int refused_daily = 0;
    asio::co_spawn(
        sim.io,
        [&]() -> asio::awaitable<void> {
          const std::vector<BucketRef> refs{bucket};
          for (int i = 0; i < 160; ++i) {
            co_await sim.time.sleep_until(sim.clock.now() + std::chrono::minutes(rng() % 40) +
                                          std::chrono::milliseconds(rng() % 2000));
            const SteadyTime now = sim.clock.now();
            const nanoseconds patience = std::chrono::seconds(rng() % 120);
            const SteadyTime expected = earliest_free(admitted, now, limits, kMargin);
            const auto error = co_await sim.limiter.acquire("acme", refs, now + patience);
            if (!error) {
              CHECK(sim.clock.now() == expected);
              admitted.push_back(sim.clock.now());
              continue;
            }
            CHECK(sim.clock.now() == now);
            CHECK(expected > now + patience);
            CHECK(error->details.at("retry_after_seconds").as_double() == retry_after_seconds(expected - now));
            if (expected - now > 1min + kMargin) {  // only the day window holds that long
              CHECK(error->details.at("limit").as_string() == "per_day");
              ++refused_daily;
              // Retrying after the advised wait finds room (nobody else draws meanwhile).
              const auto wait = std::chrono::ceil<std::chrono::milliseconds>(
                  std::chrono::duration<double>(error->details.at("retry_after_seconds").as_double()));
              co_await sim.time.sleep_until(now + wait);
              const auto retry = co_await sim.limiter.acquire("acme", refs, sim.clock.now());
              CHECK_FALSE(retry);
              if (!retry) admitted.push_back(sim.clock.now());
            }
          }
        },
        rethrow);
    sim.run();
    CHECK(refused_daily > 0);
    CHECK(test::respects(admitted, limits, kMargin));
    CHECK(sim.clock.now() > t0 + 24h);
  }
}

TEST_CASE("property: learn() holds our calls to what a reply said was left, and never loosens") {
  const WindowLimits limits{10, 100};
  const BucketRef bucket{"get_events", limits};
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed * 31);
    const SteadyTime t0 = ManualClock().now();
    std::vector<CallPlan> plans;
    for (const SteadyTime at : adversarial_arrivals(rng, t0, 250)) plans.push_back({at, "acme", {bucket}});

    struct Report {
      SteadyTime from, until;
      int remaining;
      long learned_at_rank;  // calls finished before it was learned
    };
    std::vector<Report> reports;
    Simulation taught;
    std::vector<CallOutcome> outcomes(plans.size());
    SteadyTime last_report_end{};
    const auto reply = [&](const CallOutcome& call) -> asio::awaitable<void> {
      // The reply comes back after a random trip; some replies carry a report, on windows
      // that do not overlap, each as tight as another client might make it.
      co_await taught.time.sleep_until(call.at + std::chrono::microseconds(rng() % 400'000));
      if (call.at < last_report_end || rng() % 4 != 0) co_return;
      const QuotaReport report{int(rng() % 6), std::chrono::seconds(1 + rng() % 50), call.at};
      const SteadyTime until = report.admitted_at + report.reset + kMargin;
      last_report_end = until;
      reports.push_back({report.admitted_at, until, report.remaining, taught.finished});
      taught.limiter.learn("acme", bucket, report);
    };
    for (std::size_t i = 0; i < plans.size(); ++i) taught.spawn(plans[i], outcomes[i], reply);
    taught.run();
    const Run untaught = run_plans(plans);

    std::vector<SteadyTime> times;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      REQUIRE(outcomes[i].done);
      REQUIRE_FALSE(outcomes[i].error);
      times.push_back(outcomes[i].at);
      // Calls line up in arrival order on one bucket, so tightening can only make each later.
      CHECK(outcomes[i].at >= untaught.outcomes[i].at);
    }
    CHECK(std::is_sorted(times.begin(), times.end()));
    CHECK(test::respects(times, limits, kMargin));
    CHECK(reports.size() > 3);
    for (const Report& r : reports) {
      // Besides the reported call: ours in its window before the report was learned, and after.
      int before = -1, after = 0;
      for (const CallOutcome& o : outcomes) {
        if (o.at < r.from || o.at >= r.until) continue;
        ++(o.rank < r.learned_at_rank ? before : after);
      }
      CAPTURE(r.remaining);
      CAPTURE(before);
      CHECK(after <= std::max(0, r.remaining - before));
    }
  }
}

TEST_CASE("property: accounts and credential kinds do not slow each other") {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed * 101);
    const SteadyTime t0 = ManualClock().now();
    std::vector<CallPlan> alone;
    for (const SteadyTime at : adversarial_arrivals(rng, t0, 150)) alone.push_back({at, "acme", kShapes[rng() % 4]});
    // The same calls, with others' traffic on the same bucket names interleaved.
    std::vector<CallPlan> crowded;
    std::vector<std::size_t> acme_at;
    const std::vector<std::string> others = {"globex", "acme:oauth", "acme:public"};
    const auto noise = adversarial_arrivals(rng, t0, 300);
    std::size_t a = 0, n = 0;
    while (a < alone.size() || n < noise.size()) {
      if (n == noise.size() || (a < alone.size() && alone[a].arrival <= noise[n])) {
        acme_at.push_back(crowded.size());
        crowded.push_back(alone[a++]);
      } else {
        crowded.push_back({noise[n++], others[rng() % others.size()], kShapes[rng() % 4]});
      }
    }
    const Run quiet = run_plans(alone);
    const Run busy = run_plans(crowded);
    for (std::size_t i = 0; i < alone.size(); ++i) {
      CAPTURE(i);
      const CallOutcome& q = quiet.outcomes[i];
      const CallOutcome& b = busy.outcomes[acme_at[i]];
      CHECK(b.at == q.at);
      CHECK(bool(b.error) == bool(q.error));
    }
  }
}

TEST_CASE("property: each bucket serves its callers first come, first served") {
  const std::vector<BucketRef> buckets = {{"get_lists", {1, 15}}, {"get_segments", {3, 60}}, {"get_events", {10, 150}}};
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed * 13);
    const SteadyTime t0 = ManualClock().now();
    std::vector<CallPlan> plans;
    for (const SteadyTime at : adversarial_arrivals(rng, t0, 300)) {
      plans.push_back({at, rng() % 2 ? "acme" : "globex", {buckets[rng() % buckets.size()]}});
    }
    const Run run = run_plans(plans);
    std::map<Key, const CallOutcome*> previous;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const CallOutcome& o = run.outcomes[i];
      REQUIRE_FALSE(o.error);
      // Calls due at one instant may be charged in either order; none goes at a later moment
      // than one that arrived after it.
      const CallOutcome*& before = previous[{plans[i].account, plans[i].buckets[0].key}];
      if (before) CHECK(o.at >= before->at);
      before = &o;
    }
  }
}

TEST_CASE("property: a cancelled waiter charges nothing and frees its place") {
  const WindowLimits limits{1, 6};
  const BucketRef bucket{"get_lists", limits};
  int sooner = 0;  // calls that went earlier because someone ahead gave up
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed * 17);
    Simulation sim;
    const SteadyTime t0 = sim.clock.now();
    std::vector<CallPlan> plans;
    const std::vector<SteadyTime> arrivals = adversarial_arrivals(rng, t0, 60);
    for (const SteadyTime at : arrivals) {
      CallPlan plan{at, "acme", {bucket}};
      // Callers give up while the line still moves, so that the probe below comes while the
      // windows still hold the last calls.
      const SteadyTime give_up = std::min(at + std::chrono::milliseconds(1 + rng() % 90'000), arrivals.back());
      if (rng() % 3 == 0 && give_up > at) plan.cancel_at = give_up;
      plans.push_back(std::move(plan));
    }
    std::vector<CallOutcome> outcomes(plans.size());
    for (std::size_t i = 0; i < plans.size(); ++i) sim.spawn(plans[i], outcomes[i]);
    sim.run();

    // The same calls with nobody giving up.
    std::vector<CallPlan> patient = plans;
    for (CallPlan& plan : patient) plan.cancel_at.reset();
    const Run stayed = run_plans(patient);

    std::vector<SteadyTime> admitted;
    int cancelled = 0;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      REQUIRE(outcomes[i].done);
      if (outcomes[i].error) {
        CHECK(outcomes[i].error->kind == "cancelled");
        CHECK(outcomes[i].at == *plans[i].cancel_at);
        ++cancelled;
        continue;
      }
      admitted.push_back(outcomes[i].at);
      // Giving up never holds anyone else back; it may let them go sooner.
      CHECK(outcomes[i].at <= stayed.outcomes[i].at);
      if (outcomes[i].at < stayed.outcomes[i].at) ++sooner;
    }
    CHECK(test::respects(admitted, limits, kMargin));
    // Right after the last admission, a newcomer goes exactly when the calls that were
    // admitted allow: the cancelled ones left no charge behind.
    std::sort(admitted.begin(), admitted.end());
    REQUIRE(sim.clock.now() == admitted.back());
    CallOutcome probe;
    const SteadyTime probe_at = admitted.back();
    sim.spawn({probe_at, "acme", {bucket}}, probe);
    sim.run();
    REQUIRE(probe.done);
    REQUIRE_FALSE(probe.error);
    CHECK(probe.at == earliest_free(admitted, probe_at, limits, kMargin));
    if (seed == 1) CHECK(cancelled > 0);
  }
  CHECK(sooner > 0);
}

TEST_CASE("a cancelled waiter's place goes to the next caller at once") {
  Simulation sim(0ms);
  const SteadyTime t0 = sim.clock.now();
  const BucketRef bucket{"get_lists", {1, 15}};
  std::vector<CallOutcome> out(3);
  sim.spawn({t0, "acme", {bucket}}, out[0]);
  sim.spawn({t0, "acme", {bucket}, 1h, t0 + 500ms}, out[1]);  // planned for t0+1s, gives up
  sim.spawn({t0 + 1s, "acme", {bucket}}, out[2]);             // arrives as that slot opens
  sim.run();
  CHECK(out[0].at == t0);
  REQUIRE(out[1].error);
  CHECK(out[1].error->kind == "cancelled");
  REQUIRE_FALSE(out[2].error);
  CHECK(out[2].at == t0 + 1s);
}

}  // namespace
}  // namespace kmcp
