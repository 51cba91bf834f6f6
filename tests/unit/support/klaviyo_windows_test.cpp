// The Klaviyo-like fake's counting, on a manual clock: what it admits and refuses decides what
// the pacing tests and the benchmark prove, so it is checked on its own first.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support/klaviyo_windows.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;

const std::string kKeyA = "Klaviyo-API-Key pk_account_a";
const std::string kKeyB = "Klaviyo-API-Key pk_account_b";

RecordedRequest call(const std::string& method, const std::string& path, const std::string& key = kKeyA) {
  RecordedRequest request;
  request.method = method;
  request.path = path;
  request.target = path;
  if (!key.empty()) request.headers["authorization"] = key;
  return request;
}

RecordedRequest get(const std::string& path, const std::string& key = kKeyA) { return call("GET", path, key); }

std::string header(const ScriptedResponse& response, const std::string& name) {
  const auto it = std::find_if(response.headers.begin(), response.headers.end(),
                               [&](const auto& h) { return h.first == name; });
  return it == response.headers.end() ? std::string() : it->second;
}

bool has_rate_headers(const ScriptedResponse& response) {
  return !header(response, "RateLimit-Limit").empty() || !header(response, "RateLimit-Remaining").empty() ||
         !header(response, "RateLimit-Reset").empty();
}

// A fake with one route of each named tier, at a fixed seed, on `clock`.
KlaviyoWindowsOptions options_with(std::vector<KlaviyoRoute> routes) {
  KlaviyoWindowsOptions options;
  options.routes = std::move(routes);
  options.seed = 7;
  return options;
}

const KlaviyoRoute kMetrics{"GET", "/api/metrics", klaviyo_tiers::M, ""};
const KlaviyoRoute kFlows{"GET", "/api/flows", klaviyo_tiers::S, ""};
const KlaviyoRoute kAccounts{"GET", "/api/accounts", klaviyo_tiers::XS, ""};

TEST_CASE("a burst window admits per_second calls, then answers 429 with Retry-After and no RateLimit headers") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({kMetrics}), clock);
  auto handle = fake.handler();
  clock.set(fake.origin() + 5s + 100ms);
  for (int i = 0; i < 10; ++i) {
    CAPTURE(i);
    CHECK(handle(get("/api/metrics")).status == 200);
    clock.advance(80ms);
  }
  const ScriptedResponse refused = handle(get("/api/metrics"));  // 5.9 s: same second window
  CHECK(refused.status == 429);
  CHECK(header(refused, "Retry-After") == "1");
  CHECK_FALSE(has_rate_headers(refused));
  CHECK(refused.body.find("throttled") != std::string::npos);
  CHECK(fake.totals().admitted == 10);
  CHECK(fake.totals().rejected == 1);
}

TEST_CASE("the windows are fixed: a full burst just before a boundary and another just after both pass") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({kMetrics}), clock);
  auto handle = fake.handler();
  clock.set(fake.origin() + 3s - 1ms);
  for (int i = 0; i < 10; ++i) CHECK(handle(get("/api/metrics")).status == 200);
  clock.advance(1ms);  // the next fixed window: 20 calls within 1 ms, as Klaviyo would take them
  for (int i = 0; i < 10; ++i) CHECK(handle(get("/api/metrics")).status == 200);
  CHECK(handle(get("/api/metrics")).status == 429);
  CHECK(fake.totals().rejected == 1);
}

TEST_CASE("a 429 spends nothing: the next window admits a full burst") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({kFlows}), clock);
  auto handle = fake.handler();
  clock.set(fake.origin() + 10s);
  for (int i = 0; i < 3; ++i) CHECK(handle(get("/api/flows")).status == 200);
  for (int i = 0; i < 5; ++i) CHECK(handle(get("/api/flows")).status == 429);
  clock.advance(1s);
  for (int i = 0; i < 3; ++i) CHECK(handle(get("/api/flows")).status == 200);
  CHECK(handle(get("/api/flows")).status == 429);
  CHECK(fake.totals().admitted == 6);
  CHECK(fake.totals().rejected == 6);
}

TEST_CASE("the steady window: once per_minute calls are in, Retry-After runs to the minute's end") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({kAccounts}), clock);  // XS: 1/s, 15/min
  auto handle = fake.handler();
  clock.set(fake.origin() + 60s);
  for (int i = 0; i < 15; ++i) {
    CAPTURE(i);
    CHECK(handle(get("/api/accounts")).status == 200);
    clock.advance(1s);
  }
  clock.set(fake.origin() + 60s + 20s + 300ms);  // a fresh second window, the same minute
  const ScriptedResponse refused = handle(get("/api/accounts"));
  CHECK(refused.status == 429);
  CHECK(header(refused, "Retry-After") == "40");  // 39.7 s left, rounded up
  clock.set(fake.origin() + 120s);
  CHECK(handle(get("/api/accounts")).status == 200);
}

TEST_CASE("RateLimit headers describe the steady window: its limit, what is left, when it resets") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({kMetrics}), clock);
  auto handle = fake.handler();
  clock.set(fake.origin() + 120s + 15s + 500ms);
  const ScriptedResponse first = handle(get("/api/metrics"));
  CHECK(first.status == 200);
  CHECK(header(first, "RateLimit-Limit") == "150");
  CHECK(header(first, "RateLimit-Remaining") == "149");
  CHECK(header(first, "RateLimit-Reset") == "45");  // 44.5 s left, rounded up
  const ScriptedResponse second = handle(get("/api/metrics"));
  CHECK(header(second, "RateLimit-Remaining") == "148");
  CHECK(header(second, "Retry-After").empty());
}

TEST_CASE("buckets are per account and per endpoint; a template matches any id; a key shares a bucket") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({
                          {"GET", "/api/lists/{id}", klaviyo_tiers::XS, ""},
                          {"GET", "/api/profiles/{id}", klaviyo_tiers::XS, "profiles:include=lists"},
                          {"GET", "/api/profiles", klaviyo_tiers::XS, "profiles:include=lists"},
                          kAccounts,
                      }),
                      clock);
  auto handle = fake.handler();
  clock.set(fake.origin() + 2s);
  CHECK(handle(get("/api/lists/abc")).status == 200);
  CHECK(handle(get("/api/lists/def")).status == 429);           // one template, one bucket
  CHECK(handle(get("/api/lists/abc", kKeyB)).status == 200);    // another account
  CHECK(handle(get("/api/accounts")).status == 200);            // another endpoint
  CHECK(handle(call("POST", "/api/lists/abc")).status == 404);  // another method: no route
  CHECK(handle(get("/api/lists/abc/relationships")).status == 404);
  CHECK(handle(get("/api/profiles/p1")).status == 200);
  CHECK(handle(get("/api/profiles")).status == 429);  // the shared key
  CHECK(fake.totals("GET /api/lists/{id}").admitted == 2);
  CHECK(fake.totals("GET /api/lists/{id}").rejected == 1);
  CHECK(fake.totals("profiles:include=lists").rejected == 1);
}

TEST_CASE("a client-side call counts against its company id") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({{"POST", "/client/profiles", klaviyo_tiers::XS, ""}}), clock);
  auto handle = fake.handler();
  RecordedRequest a = call("POST", "/client/profiles", "");
  a.query.emplace("company_id", "ABC123");
  RecordedRequest b = a;
  b.query = {{"company_id", "XYZ789"}};
  CHECK(handle(a).status == 200);
  CHECK(handle(b).status == 200);
  CHECK(handle(a).status == 429);
}

TEST_CASE("an unrouted request gets 404 naming it, or with a default tier a bucket of its own") {
  ManualClock clock;
  SUBCASE("no default") {
    KlaviyoWindows fake(options_with({kMetrics}), clock);
    const ScriptedResponse missing = fake.handler()(get("/api/campaigns"));
    CHECK(missing.status == 404);
    CHECK(missing.body.find("GET /api/campaigns") != std::string::npos);
    CHECK(fake.totals().admitted == 0);
  }
  SUBCASE("a default tier") {
    KlaviyoWindowsOptions options = options_with({kMetrics});
    options.default_tier = klaviyo_tiers::XS;
    KlaviyoWindows fake(options, clock);
    auto handle = fake.handler();
    CHECK(handle(get("/api/campaigns")).status == 200);
    CHECK(handle(get("/api/campaigns")).status == 429);
    CHECK(handle(get("/api/segments")).status == 200);
    CHECK(fake.totals("GET /api/campaigns").admitted == 1);
  }
}

TEST_CASE("the phase comes from the seed, lies within a minute and is reported") {
  ManualClock clock;
  KlaviyoWindows a(options_with({}), clock);
  KlaviyoWindows b(options_with({}), clock);
  KlaviyoWindowsOptions other = options_with({});
  other.seed = 8;
  KlaviyoWindows c(other, clock);
  CHECK(a.seed() == 7);
  CHECK(a.phase() == b.phase());
  CHECK(a.phase() != c.phase());
  for (const KlaviyoWindows* fake : {&a, &c}) {
    CHECK(fake->phase() >= 0us);
    CHECK(fake->phase() < 60s);
    CHECK(fake->origin() == clock.now() - fake->phase());
  }
  CHECK(a.describe().find("seed 7, phase ") == 0);
  KlaviyoWindows unseeded(KlaviyoWindowsOptions{}, clock);
  CHECK(unseeded.describe().find("seed " + std::to_string(unseeded.seed())) == 0);
}

TEST_CASE("tallies count admitted calls and 429s per fixed window") {
  ManualClock clock;
  KlaviyoWindows fake(options_with({kFlows}), clock);  // S: 3/s, 60/min
  auto handle = fake.handler();
  clock.set(fake.origin() + 61s + 999ms);
  for (int i = 0; i < 4; ++i) handle(get("/api/flows"));
  clock.advance(1ms);
  for (int i = 0; i < 2; ++i) handle(get("/api/flows"));
  handle(get("/api/flows", kKeyB));

  std::vector<WindowTally> mine;
  for (const WindowTally& t : fake.tallies())
    if (t.account == kKeyA) mine.push_back(t);
  REQUIRE(mine.size() == 3);  // seconds 61 and 62, minute 1
  CHECK(mine[0].span == WindowSpan::second);
  CHECK(mine[0].index == 61);
  CHECK(mine[0].admitted == 3);
  CHECK(mine[0].rejected == 1);
  CHECK(mine[1].index == 62);
  CHECK(mine[1].admitted == 2);
  CHECK(mine[1].rejected == 0);
  CHECK(mine[2].span == WindowSpan::minute);
  CHECK(mine[2].index == 1);
  CHECK(mine[2].admitted == 5);
  CHECK(mine[2].rejected == 0);  // the 429 was the burst window's, not the steady one's
  CHECK(mine[0].endpoint == "GET /api/flows");
  CHECK(fake.tallies().size() == 5);
}

TEST_CASE("the reply delegate answers admitted calls, and the rate headers are added to its reply") {
  ManualClock clock;
  KlaviyoWindowsOptions options = options_with({{"POST", "/api/events", klaviyo_tiers::XS, ""}});
  int replies = 0;
  options.reply = [&replies](const RecordedRequest&) {
    ++replies;
    return ScriptedResponse::json(202, "");
  };
  KlaviyoWindows fake(options, clock);
  auto handle = fake.handler();
  const ScriptedResponse accepted = handle(call("POST", "/api/events"));
  CHECK(accepted.status == 202);
  CHECK(header(accepted, "RateLimit-Remaining") == "14");
  CHECK(handle(call("POST", "/api/events")).status == 429);
  CHECK(replies == 1);  // not asked for the throttled call
}

}  // namespace
}  // namespace kmcp
