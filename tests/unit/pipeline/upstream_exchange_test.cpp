// The exchange's retries on simulated time: 429 pacing, faults retried only where repeating is
// safe, backoff bounds, the retry budget, deadlines, quota learning and cancellation.
#include <doctest/doctest.h>

#include <regex>

#include "tests/unit/pipeline/exchange_harness.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

using Kind = UpstreamFailure::Kind;

ToolError error_of(const ExchangeResult& result) {
  REQUIRE(result.has_error());
  return result.error();
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string unique_id_sent(const UpstreamRequest& request) {
  return std::string(json::parse(request.body).at("data").at("attributes").at("unique_id").as_string());
}

}  // namespace

TEST_CASE("a 429 is retried once Retry-After has passed") {
  ExchangeHarness h;
  h.upstream.answer(429, {{"Retry-After", "2"}});
  h.upstream.answer(200);
  auto result = h.run(get_profiles_spec(), "{}");
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  REQUIRE(h.upstream.sent.size() == 2);
  CHECK(h.upstream.sent[1].at - h.started == 2s);
}

TEST_CASE("a call refused with 429 is not counted: its retry waits for Retry-After, not for the minute") {
  ExchangeHarness h;
  auto spec = get_profiles_spec();
  spec.rate.limits = {10, 1, std::nullopt};  // the first attempt takes the minute's only call
  h.upstream.answer(429, {{"Retry-After", "1"}});
  h.upstream.answer(200);
  auto result = h.run(spec, "{}", 120s);
  REQUIRE(result.has_value());
  REQUIRE(h.upstream.sent.size() == 2);
  // Klaviyo did not count the refused call, so the limiter takes its charge back; otherwise
  // the retry would wait 60 s for the local minute window to forget it.
  const auto waited = h.upstream.sent[1].at - h.started;
  CHECK(waited >= 1s);
  CHECK(waited < 2s);
}

TEST_CASE("a call that waited for a connection counts from its write: the next one goes a window after that") {
  ExchangeHarness h;
  auto spec = get_profiles_spec();
  spec.rate.limits = {1, 100, std::nullopt};  // one call a second
  h.upstream.write_delay = 700ms;              // admitted at once, written 700 ms later
  h.upstream.answer(200);
  REQUIRE(h.run(spec, "{}").has_value());
  const SteadyTime first_started = h.started;
  h.upstream.write_delay = 0ns;
  h.upstream.answer(200);
  REQUIRE(h.run(spec, "{}").has_value());
  REQUIRE(h.upstream.sent.size() == 2);
  CHECK(h.upstream.sent[0].at - first_started == 700ms);
  // Klaviyo counted the first call on arrival: a second call one window (+ margin) after the
  // first's admission could land in the same fixed second as it.
  CHECK(h.upstream.sent[1].at - h.upstream.sent[0].at == 1s + RateLimiterOptions{}.margin);
}

TEST_CASE("a 429 to a call written late refunds the charge where its write put it") {
  ExchangeHarness h;
  auto spec = get_profiles_spec();
  spec.rate.limits = {10, 1, std::nullopt};  // the minute's only call
  h.upstream.write_delay = 300ms;
  h.upstream.answer(429, {{"Retry-After", "1"}});
  h.upstream.answer(200);
  REQUIRE(h.run(spec, "{}", 120s).has_value());
  REQUIRE(h.upstream.sent.size() == 2);
  // Retry-After from the 429 (at 300 ms), then 300 ms to write: not a minute's wait.
  CHECK(h.upstream.sent[1].at - h.started == 1s + 600ms);
}

TEST_CASE("several 429s are retried, up to max_attempts sends in all") {
  ExchangeHarness h;
  for (int i = 0; i < 6; ++i) h.upstream.answer(429, {{"Retry-After", "1"}});
  auto result = h.run(get_profiles_spec(), "{}");
  REQUIRE(result.has_value());
  CHECK(result->status == 429);  // the pipeline maps it to rate_limited
  CHECK(h.upstream.sent.size() == 5);
}

TEST_CASE("a 429 whose Retry-After lies past the deadline ends as rate_limited saying when to retry") {
  ExchangeHarness h;
  h.upstream.answer(429, {{"Retry-After", "30"}});
  h.upstream.answer(200);
  const auto error = error_of(h.run(get_profiles_spec(), "{}", 10s));
  CHECK(error.kind == "rate_limited");
  CHECK(error.details.at("retry_after_seconds").to_number<double>() == doctest::Approx(30));
  CHECK(error.details.at("limit") == "retry_after");
  CHECK(contains(error.message, "Retry after 30.0 s"));
  CHECK(h.upstream.sent.size() == 1);
  CHECK(h.clock.now() == h.started);  // answered at once, no waiting for nothing
}

TEST_CASE("429 retries do not spend the retry budget") {
  ExchangeHarness h(RetryBudgetOptions{.ratio = 0, .floor_per_second = 0});
  h.upstream.answer(429, {{"Retry-After", "1"}});
  h.upstream.answer(429, {{"Retry-After", "1"}});
  h.upstream.answer(200);
  auto result = h.run(get_profiles_spec(), "{}");
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(h.upstream.sent.size() == 3);
}

TEST_CASE("a read answered 503 twice is retried and succeeds on the third send") {
  ExchangeHarness h;
  h.upstream.answer(503);
  h.upstream.answer(503);
  h.upstream.answer(200);
  auto result = h.run(get_profiles_spec(), "{}");
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(h.upstream.sent.size() == 3);
}

TEST_CASE("transient statuses are retried, others are answers") {
  for (unsigned status : {500u, 502u, 503u, 504u, 524u}) {
    CAPTURE(status);
    ExchangeHarness h;
    h.upstream.answer(status);
    h.upstream.answer(200);
    CHECK(h.run(get_profiles_spec(), "{}").has_value());
    CHECK(h.upstream.sent.size() == 2);
  }
  for (unsigned status : {400u, 404u, 501u}) {
    CAPTURE(status);
    ExchangeHarness h;
    h.upstream.answer(status);
    h.upstream.answer(200);
    auto result = h.run(get_profiles_spec(), "{}");
    CHECK(h.upstream.sent.size() == 1);
    REQUIRE(result.has_value());  // an answer for the pipeline to map
    CHECK(result->status == status);
  }
}

TEST_CASE("a read that keeps failing gives up after max_attempts, saying so") {
  ExchangeHarness h;
  for (int i = 0; i < 6; ++i) h.upstream.answer(503);
  const auto error = error_of(h.run(get_profiles_spec(), "{}"));
  CHECK(error.kind == "upstream_unavailable");
  CHECK(error.details.at("status") == 503);
  CHECK(error.details.at("attempts") == 5);
  CHECK(error.details.at("not_retried") == "attempts_used");
  CHECK(contains(error.message, "Gave up after 5 attempts"));
  CHECK(h.upstream.sent.size() == 5);
}

TEST_CASE("a create answered 503 is not repeated: outcome_unknown naming the tool to check with") {
  ExchangeHarness h;
  h.upstream.answer(503, {}, R"({"errors":[{"code":"error","detail":"Service unavailable."}]})");
  h.upstream.answer(201);
  const auto error = error_of(h.run(create_list_spec(), R"({"name":"VIP"})"));
  CHECK(error.kind == "outcome_unknown");
  CHECK(error.details.at("status") == 503);
  CHECK(error.details.at("check_with") == "get_lists");
  CHECK(contains(error.message, "Check with get_lists"));
  CHECK(h.upstream.sent.size() == 1);
}

TEST_CASE("a create without a list tool on its path still says how to check") {
  ExchangeHarness h;
  h.upstream.fail(Kind::reset, true);
  const auto error = error_of(h.run(bulk_subscribe_spec(), R"({"profiles":[{"email":"a@b.co"}]})"));
  CHECK(error.kind == "outcome_unknown");
  CHECK_FALSE(error.details.contains("check_with"));
  CHECK(contains(error.message, "before calling again"));
  CHECK(h.upstream.sent.size() == 1);
}

TEST_CASE("a create reset after sending is outcome_unknown after exactly one send") {
  ExchangeHarness h;
  h.upstream.fail(Kind::reset, true);
  h.upstream.answer(201);
  const auto error = error_of(h.run(create_list_spec(), R"({"name":"VIP"})"));
  CHECK(error.kind == "outcome_unknown");
  CHECK(error.details.at("maybe_sent") == true);
  CHECK(h.upstream.sent.size() == 1);
}

TEST_CASE("a create that never left (connect failure) is retried: nothing can be duplicated") {
  ExchangeHarness h;
  h.upstream.fail(Kind::connect, false);
  h.upstream.answer(201);
  auto result = h.run(create_list_spec(), R"({"name":"VIP"})");
  REQUIRE(result.has_value());
  CHECK(result->status == 201);
  CHECK(h.upstream.sent.size() == 2);
}

TEST_CASE("a DELETE reset after sending is retried") {
  ExchangeHarness h;
  h.upstream.fail(Kind::reset, true);
  h.upstream.answer(204);
  auto result = h.run(delete_list_spec(), R"({"id":"L1"})");
  REQUIRE(result.has_value());
  CHECK(result->status == 204);
  REQUIRE(h.upstream.sent.size() == 2);
  CHECK(h.upstream.sent[1].request.method == boost::beast::http::verb::delete_);
}

TEST_CASE("a 404 to a repeated DELETE says the lost attempt may have deleted it") {
  ExchangeHarness h;
  h.upstream.fail(Kind::reset, true);
  h.upstream.answer(404, {}, R"({"errors":[{"code":"not_found","detail":"Not found."}]})");
  const auto error = error_of(h.run(delete_list_spec(), R"({"id":"L1"})"));
  CHECK(error.kind == "not_found");
  CHECK(error.details.at("earlier_attempt_maybe_applied") == true);
  CHECK(contains(error.message, "earlier attempt"));
}

TEST_CASE("TLS failures are final: a repeat cannot fix a certificate") {
  ExchangeHarness h;
  h.upstream.fail(Kind::tls, false);
  const auto error = error_of(h.run(get_profiles_spec(), "{}"));
  CHECK(error.kind == "upstream_unavailable");
  CHECK_FALSE(error.details.contains("not_retried"));
  CHECK(h.upstream.sent.size() == 1);
}

TEST_CASE("a create with a unique_id gets one generated, the same on every retry") {
  ExchangeHarness h;
  h.random.seed(7);
  h.upstream.answer(503);
  h.upstream.fail(Kind::reset, true);
  h.upstream.answer(202);
  auto result = h.run(create_event_spec(), R"({"metric_name":"Placed Order"})");
  REQUIRE(result.has_value());
  REQUIRE(h.upstream.sent.size() == 3);
  const std::string id = unique_id_sent(h.upstream.sent[0].request);
  CHECK(std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(unique_id_sent(h.upstream.sent[1].request) == id);
  CHECK(unique_id_sent(h.upstream.sent[2].request) == id);
  REQUIRE(h.call->unique_id);
  CHECK(h.call->unique_id->generated);
  CHECK(h.call->unique_id->value == id);

  h.upstream.answer(202);
  REQUIRE(h.run(create_event_spec(), R"({"metric_name":"Placed Order"})").has_value());
  REQUIRE(h.upstream.sent.size() == 4);
  CHECK(unique_id_sent(h.upstream.sent[3].request) != id);  // one per call
}

TEST_CASE("the caller's unique_id is kept and named when giving up") {
  ExchangeHarness h;
  for (int i = 0; i < 5; ++i) h.upstream.fail(Kind::reset, true);
  const auto error = error_of(h.run(create_event_spec(), R"({"metric_name":"Placed Order","unique_id":"order-42"})"));
  REQUIRE(h.upstream.sent.size() == 5);
  for (const auto& sent : h.upstream.sent) CHECK(unique_id_sent(sent.request) == "order-42");
  CHECK_FALSE(h.call->unique_id->generated);
  CHECK(error.kind == "upstream_unavailable");  // not outcome_unknown: repeating it is safe
  CHECK(error.details.at("unique_id") == "order-42");
  CHECK(contains(error.message, "unique_id \"order-42\" is safe"));
}

TEST_CASE("backoff waits lie within the full-jitter bounds") {
  const RetryOptions options;  // the defaults the pipeline uses
  SUBCASE("the largest draw waits the whole ceiling, doubling up to the cap") {
    ExchangeHarness h;
    h.random.value = std::numeric_limits<std::uint64_t>::max();
    for (int i = 0; i < 4; ++i) h.upstream.answer(503);
    h.upstream.answer(200);
    REQUIRE(h.run(get_profiles_spec(), "{}").has_value());
    REQUIRE(h.upstream.sent.size() == 5);
    for (int n = 0; n < 4; ++n) {
      CAPTURE(n);
      const auto gap = h.upstream.sent[n + 1].at - h.upstream.sent[n].at;
      CHECK(gap == backoff_ceiling(options, n));
    }
    CHECK(backoff_ceiling(options, 0) == 250ms);
    CHECK(backoff_ceiling(options, 3) == 2s);
    CHECK(backoff_ceiling(options, 10) == 5s);
  }
  SUBCASE("the smallest draw does not wait") {
    ExchangeHarness h;
    h.random.value = 0;
    h.upstream.answer(503);
    h.upstream.answer(200);
    REQUIRE(h.run(get_profiles_spec(), "{}").has_value());
    CHECK(h.upstream.sent[1].at == h.upstream.sent[0].at);
  }
  SUBCASE("random draws stay in [0, ceiling]") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      CAPTURE(seed);
      ExchangeHarness h;
      h.random.seed(seed);
      for (int i = 0; i < 4; ++i) h.upstream.answer(503);
      h.upstream.answer(200);
      REQUIRE(h.run(get_profiles_spec(), "{}").has_value());
      for (int n = 0; n < 4; ++n) {
        const auto gap = h.upstream.sent[n + 1].at - h.upstream.sent[n].at;
        CHECK(gap >= 0s);
        CHECK(gap <= backoff_ceiling(options, n));
      }
    }
  }
}

TEST_CASE("a spent retry budget stops retrying and says so") {
  SUBCASE("no budget at all") {
    ExchangeHarness h(RetryBudgetOptions{.ratio = 0, .floor_per_second = 0});
    h.upstream.answer(503);
    h.upstream.answer(200);
    const auto error = error_of(h.run(get_profiles_spec(), "{}"));
    CHECK(error.kind == "upstream_unavailable");
    CHECK(error.details.at("not_retried") == "retry_budget_spent");
    CHECK(contains(error.message, "retry budget"));
    CHECK(h.upstream.sent.size() == 1);
  }
  SUBCASE("one retry per first attempt: the second retry is refused") {
    ExchangeHarness h(RetryBudgetOptions{.ratio = 1, .floor_per_second = 0});
    h.upstream.answer(503);
    h.upstream.answer(503);
    h.upstream.answer(200);
    const auto error = error_of(h.run(get_profiles_spec(), "{}"));
    CHECK(error.details.at("not_retried") == "retry_budget_spent");
    CHECK(h.upstream.sent.size() == 2);
  }
}

TEST_CASE("a stalled read times out per attempt, is retried, and ends at the call's deadline") {
  ExchangeHarness h;
  for (int i = 0; i < 5; ++i) h.upstream.stall();
  const auto error = error_of(h.run(get_profiles_spec(), "{}", 10s));
  CHECK(error.kind == "timeout");
  CHECK(error.details.at("not_retried") == "deadline_reached");
  CHECK(contains(error.message, "deadline"));
  CHECK(contains(error.message, "klaviyo-mcp/timeout_seconds"));
  CHECK(h.clock.now() == h.deadline);  // never past it
  REQUIRE(h.upstream.sent.size() >= 2);
  CHECK(h.upstream.sent[0].deadline == h.started + 5s);  // half the time left: room for a retry
  for (const auto& sent : h.upstream.sent) CHECK(sent.deadline <= h.deadline);
  CHECK(h.upstream.sent.back().deadline == h.deadline);
}

TEST_CASE("a stalled read answered on its retry succeeds within the deadline") {
  ExchangeHarness h;
  h.upstream.stall();
  h.upstream.answer(200);
  auto result = h.run(get_profiles_spec(), "{}", 10s);
  REQUIRE(result.has_value());
  CHECK(h.upstream.sent.size() == 2);
  CHECK(h.upstream.sent[1].at - h.started == 5s);
}

TEST_CASE("a stalled create keeps the whole deadline and ends as outcome_unknown") {
  ExchangeHarness h;
  h.upstream.stall();
  const auto error = error_of(h.run(create_list_spec(), R"({"name":"VIP"})", 10s));
  CHECK(error.kind == "outcome_unknown");
  REQUIRE(h.upstream.sent.size() == 1);
  CHECK(h.upstream.sent[0].deadline == h.deadline);
}

TEST_CASE("a backoff that would end past the deadline is not started") {
  ExchangeHarness h;
  h.random.value = std::numeric_limits<std::uint64_t>::max();
  h.exchange_deps.options.backoff_base = 3s;
  h.upstream.answer(503);
  h.upstream.answer(200);
  const auto error = error_of(h.run(get_profiles_spec(), "{}", 2s));
  CHECK(error.kind == "upstream_unavailable");
  CHECK(error.details.at("not_retried") == "no_time_left");
  CHECK(contains(error.message, "deadline"));
  CHECK(h.upstream.sent.size() == 1);
  CHECK(h.clock.now() == h.started);
}

TEST_CASE("every reply but a 429 teaches the limiter its RateLimit headers") {
  ExchangeHarness h;
  auto spec = get_profiles_spec();
  h.upstream.answer(429, {{"Retry-After", "1"}, {"RateLimit-Remaining", "1"}, {"RateLimit-Reset", "1"}});
  h.upstream.answer(200, {{"RateLimit-Limit", "700"}, {"RateLimit-Remaining", " 42 "}, {"RateLimit-Reset", "17"}});
  REQUIRE(h.run(spec, R"({"include":["lists"]})").has_value());
  REQUIRE(h.learned.size() == 1);
  CHECK(h.learned[0].account == "default");
  CHECK(h.learned[0].bucket == "get_profiles");  // the endpoint's own bucket, not include=lists
  CHECK(h.learned[0].report.remaining == 42);
  CHECK(h.learned[0].report.reset == 17s);
  CHECK(h.learned[0].report.admitted_at == h.upstream.sent[1].at);

  SUBCASE("from error answers too") {
    h.upstream.answer(404, {{"RateLimit-Remaining", "3"}, {"RateLimit-Reset", "9"}});
    h.run(spec, "{}");
    REQUIRE(h.learned.size() == 2);
    CHECK(h.learned[1].report.remaining == 3);
  }
  SUBCASE("missing or garbled headers teach nothing") {
    h.upstream.answer(200);
    h.upstream.answer(200, {{"RateLimit-Remaining", "many"}, {"RateLimit-Reset", "17"}});
    h.upstream.answer(200, {{"RateLimit-Remaining", "-1"}, {"RateLimit-Reset", "17"}});
    h.upstream.answer(200, {{"RateLimit-Remaining", "5"}});
    h.upstream.answer(200, {{"RateLimit-Remaining", "5"}, {"RateLimit-Reset", "99999999999999999999"}});
    h.upstream.answer(200, {{"RateLimit-Remaining", "5, 3"}, {"RateLimit-Reset", "2.5"}});
    for (int i = 0; i < 6; ++i) REQUIRE(h.run(spec, "{}").has_value());
    CHECK(h.learned.size() == 1);
  }
}

TEST_CASE("cancelling during a backoff stops at once, with no further send") {
  ExchangeHarness h;
  h.random.value = std::numeric_limits<std::uint64_t>::max();  // a 250 ms backoff to cancel
  h.upstream.answer(503);
  h.upstream.answer(200);
  const auto error = error_of(h.run(get_profiles_spec(), "{}", 10s, [&] { return h.upstream.sent.size() == 1; }));
  CHECK(error.kind == "cancelled");
  CHECK(contains(error.message, "waiting to try again"));
  CHECK(h.upstream.sent.size() == 1);
  CHECK(h.clock.now() == h.started);  // did not sleep the backoff out
}

TEST_CASE("cancelling while a retry waits for rate budget charges nothing") {
  ExchangeHarness h;
  auto spec = get_profiles_spec();
  spec.rate.limits = {10, 2, std::nullopt};
  h.upstream.answer(429, {{"Retry-After", "5"}});
  const auto error = error_of(h.run(spec, "{}", 30s, [&] { return h.upstream.sent.size() == 1; }));
  CHECK(error.kind == "cancelled");
  CHECK(h.upstream.sent.size() == 1);
  CHECK(h.clock.now() == h.started);

  // Had the cancelled retry been charged, the minute's second call would wait a minute.
  h.upstream.answer(200);
  REQUIRE(h.run(spec, "{}", 30s).has_value());
  REQUIRE(h.upstream.sent.size() == 2);
  CHECK(h.upstream.sent[1].at - h.started == 5s);
}

TEST_CASE("every retry draws rate budget again") {
  ExchangeHarness h;
  auto spec = get_profiles_spec();
  spec.rate.limits = {1, 100, std::nullopt};  // one call a second
  h.upstream.answer(503);
  h.upstream.answer(200);
  REQUIRE(h.run(spec, "{}").has_value());
  REQUIRE(h.upstream.sent.size() == 2);
  CHECK(h.upstream.sent[1].at - h.upstream.sent[0].at >= 1s);  // the retry waited for the burst window
}
