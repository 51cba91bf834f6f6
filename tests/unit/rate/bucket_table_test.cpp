#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "server/rate/bucket_table.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using Outcome = BucketTable::Outcome;

const BucketRef kGetProfile{"get_profile", {2, 100}};
const BucketRef kGetProfiles{"get_profiles", {2, 100}};
// Klaviyo's stricter bucket for include=list, drawn from by both profile endpoints.
const BucketRef kIncludeList{"profiles:include=list", {1, 15}};

struct Call {
  BucketTable& table;
  BucketTable::Ticket ticket;
  Call(BucketTable& t, const std::string& account, const std::vector<BucketRef>& refs) : table(t) {
    table.open(ticket, account, refs);
  }
  ~Call() { table.leave(ticket); }
  BucketTable::Step step(SteadyTime now, SteadyTime deadline) { return table.step(ticket, now, deadline); }
};

Outcome once(BucketTable& table, const std::vector<BucketRef>& refs, SteadyTime now,
             const std::string& account = "default") {
  Call call(table, account, refs);
  return call.step(now, now).outcome;
}

TEST_CASE("a refused call charges none of its buckets; a shared bucket spans endpoints") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  CHECK(once(table, {kGetProfile, kIncludeList}, t0) == Outcome::admitted);

  Call blocked(table, "default", {kGetProfiles, kIncludeList});
  const auto step = blocked.step(t0, t0 + 500ms);
  REQUIRE(step.outcome == Outcome::refused);
  CHECK(step.holdup.bucket == "profiles:include=list");
  CHECK(step.holdup.cause == LimitKind::per_second);
  CHECK(step.holdup.until == t0 + 1s);

  // get_profiles still has both of its 2 per-second slots: the refusal charged nothing.
  CHECK(once(table, {kGetProfiles}, t0) == Outcome::admitted);
  CHECK(once(table, {kGetProfiles}, t0) == Outcome::admitted);
  CHECK(once(table, {kGetProfiles}, t0) == Outcome::refused);

  // One second on, the shared bucket admits one call, whichever endpoint makes it.
  CHECK(once(table, {kGetProfile, kIncludeList}, t0 + 1s) == Outcome::admitted);
  CHECK(once(table, {kGetProfiles, kIncludeList}, t0 + 1s) == Outcome::refused);
  CHECK(once(table, {kGetProfiles, kIncludeList}, t0 + 2s) == Outcome::admitted);
}

TEST_CASE("a newcomer cannot overtake a waiter whose slot has come") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  const SteadyTime far = t0 + 1h;
  CHECK(once(table, {kIncludeList}, t0) == Outcome::admitted);

  Call waiter(table, "default", {kIncludeList});
  auto step = waiter.step(t0, far);
  REQUIRE(step.outcome == Outcome::wait);
  CHECK(step.holdup.until == t0 + 1s);

  // The newcomer steps first at the waiter's moment, yet lines up behind it.
  Call newcomer(table, "default", {kIncludeList});
  step = newcomer.step(t0 + 1s, far);
  REQUIRE(step.outcome == Outcome::wait);
  CHECK(step.holdup.until == t0 + 2s);

  CHECK(waiter.step(t0 + 1s, far).outcome == Outcome::admitted);
  CHECK(newcomer.step(t0 + 2s, far).outcome == Outcome::admitted);
}

TEST_CASE("a call with room on its buckets is not held behind a waiter stuck elsewhere") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  const BucketRef endpoint{"get_profile", {75, 750}};
  CHECK(once(table, {endpoint, kIncludeList}, t0) == Outcome::admitted);

  Call stuck(table, "default", {endpoint, kIncludeList});
  REQUIRE(stuck.step(t0, t0 + 1h).outcome == Outcome::wait);
  CHECK(once(table, {endpoint}, t0) == Outcome::admitted);
  CHECK(stuck.step(t0 + 1s, t0 + 1h).outcome == Outcome::admitted);
}

TEST_CASE("a waiter that leaves frees its place for the next") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  const SteadyTime far = t0 + 1h;
  CHECK(once(table, {kIncludeList}, t0) == Outcome::admitted);
  Call first(table, "default", {kIncludeList});
  Call second(table, "default", {kIncludeList});
  REQUIRE(first.step(t0, far).outcome == Outcome::wait);
  const auto planned = second.step(t0, far);
  REQUIRE(planned.outcome == Outcome::wait);
  CHECK(planned.holdup.until == t0 + 2s);

  table.leave(first.ticket);
  table.leave(first.ticket);  // harmless twice
  CHECK(second.step(t0 + 1s, far).outcome == Outcome::admitted);
}

TEST_CASE("a waiter's plan past its deadline refuses it and frees its place") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  CHECK(once(table, {kIncludeList}, t0) == Outcome::admitted);
  Call first(table, "default", {kIncludeList});
  REQUIRE(first.step(t0, t0 + 1h).outcome == Outcome::wait);
  Call second(table, "default", {kIncludeList});
  const auto refused = second.step(t0, t0 + 1500ms);  // behind `first`, its turn is t0+2s
  REQUIRE(refused.outcome == Outcome::refused);
  CHECK(refused.holdup.until == t0 + 2s);
  CHECK(first.step(t0 + 1s, t0 + 1h).outcome == Outcome::admitted);
}

TEST_CASE("buckets are per account, and a key named twice counts once") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  CHECK(once(table, {kIncludeList}, t0, "acme") == Outcome::admitted);
  CHECK(once(table, {kIncludeList}, t0, "globex") == Outcome::admitted);
  CHECK(once(table, {kIncludeList}, t0, "acme") == Outcome::refused);

  CHECK(once(table, {kGetProfile, kGetProfile}, t0) == Outcome::admitted);
  CHECK(once(table, {kGetProfile}, t0) == Outcome::admitted);  // 2 per second: one left
  CHECK(once(table, {kGetProfile}, t0) == Outcome::refused);
}

TEST_CASE("a bucket keeps the limits it was first seen with") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  CHECK(once(table, {BucketRef{"get_lists", {1, 15}}}, t0) == Outcome::admitted);
  CHECK(once(table, {BucketRef{"get_lists", {100, 1000}}}, t0) == Outcome::refused);
}

TEST_CASE("block_until pauses only the named buckets of that account") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  table.block_until("acme", {kGetProfile}, t0 + 3s);
  Call call(table, "acme", {kGetProfile});
  const auto step = call.step(t0, t0 + 1s);
  REQUIRE(step.outcome == Outcome::refused);
  CHECK(step.holdup.cause == LimitKind::retry_after);
  CHECK(step.holdup.until == t0 + 3s);
  CHECK(once(table, {kGetProfile}, t0, "globex") == Outcome::admitted);
  CHECK(once(table, {kGetProfiles}, t0, "acme") == Outcome::admitted);
  CHECK(once(table, {kGetProfile}, t0 + 3s, "acme") == Outcome::admitted);
}

TEST_CASE("a call naming no bucket goes at once") {
  BucketTable table;
  CHECK(once(table, {}, ManualClock().now()) == Outcome::admitted);
}

TEST_CASE("concurrent callers never admit more than the limit") {
  BucketTable table;
  const SteadyTime t0 = ManualClock().now();
  const BucketRef xl{"get_events", {350, 3500}};
  std::atomic<int> admitted{0};
  {
    std::vector<std::jthread> threads;
    for (int n = 0; n < 4; ++n) {
      threads.emplace_back([&] {
        for (int i = 0; i < 250; ++i) {
          if (once(table, {xl}, t0) == Outcome::admitted) ++admitted;
        }
      });
    }
  }
  CHECK(admitted.load() == 350);
}

}  // namespace
}  // namespace kmcp
