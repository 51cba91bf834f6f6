// The pure parts of retrying: which tools may be repeated, attempt deadlines, backoff ceilings,
// generated unique ids and the RateLimit header parser.
#include <doctest/doctest.h>

#include <limits>

#include "server/pipeline/quota_headers.hpp"
#include "server/pipeline/retry_policy.hpp"
#include "server/pipeline/unique_id.hpp"
#include "tests/unit/pipeline/retry_specs.hpp"
#include "tests/unit/pipeline/scripted_random.hpp"

using namespace kmcp;
using namespace kmcp::test;
using namespace std::chrono_literals;

TEST_CASE("safe_to_repeat follows the method, the idempotent annotation and a unique_id in the body") {
  CHECK(safe_to_repeat(get_profiles_spec()));
  CHECK(safe_to_repeat(update_list_spec()));          // PATCH
  CHECK(safe_to_repeat(delete_list_spec()));          // DELETE
  CHECK(safe_to_repeat(add_profiles_to_list_spec())); // POST marked idempotent
  CHECK(safe_to_repeat(create_event_spec()));         // POST with unique_id
  CHECK_FALSE(safe_to_repeat(create_list_spec()));
  CHECK_FALSE(safe_to_repeat(bulk_subscribe_spec()));

  auto put = create_list_spec();
  put.method = boost::beast::http::verb::put;
  CHECK(safe_to_repeat(put));
}

TEST_CASE("unique_id_argument reads the body attributes, whatever the argument is called") {
  CHECK(unique_id_argument(create_event_spec()) == "unique_id");
  auto renamed = create_event_spec();
  renamed.body.attributes = {{"dedup_key", {"unique_id", "", ""}}};
  CHECK(unique_id_argument(renamed) == "dedup_key");
  CHECK(unique_id_argument(create_list_spec()).empty());
}

TEST_CASE("uuid_v4 sets the version and variant bits and nothing else") {
  ScriptedRandom random;
  random.value = 0;
  CHECK(uuid_v4(random) == "00000000-0000-4000-8000-000000000000");
  random.value = std::numeric_limits<std::uint64_t>::max();
  CHECK(uuid_v4(random) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

TEST_CASE("ensure_unique_id keeps the caller's, fills in one otherwise, ignores tools without") {
  ScriptedRandom random;
  json::object given{{"unique_id", "mine"}};
  auto kept = ensure_unique_id(create_event_spec(), given, random);
  REQUIRE(kept);
  CHECK(kept->value == "mine");
  CHECK_FALSE(kept->generated);

  json::object absent;
  auto made = ensure_unique_id(create_event_spec(), absent, random);
  REQUIRE(made);
  CHECK(made->generated);
  CHECK(absent.at("unique_id").as_string() == made->value);

  json::object other;
  CHECK_FALSE(ensure_unique_id(create_list_spec(), other, random));
  CHECK(other.empty());
}

TEST_CASE("attempt_deadline leaves room for a retry, never passes the call's deadline") {
  const RetryOptions options;
  const SteadyTime now{std::chrono::hours(1)};
  CHECK(attempt_deadline(options, now, now + 60s, true) == now + 30s);
  CHECK(attempt_deadline(options, now, now + 60s, false) == now + 60s);
  CHECK(attempt_deadline(options, now, now + 1500ms, true) == now + 1s);     // the minimum
  CHECK(attempt_deadline(options, now, now + 800ms, true) == now + 800ms);  // less left than that
  CHECK(attempt_deadline(options, now, now - 1s, true) == now - 1s);
}

TEST_CASE("backoff_ceiling doubles from the base up to the cap; delays stay under it") {
  RetryOptions options;
  options.backoff_base = 100ms;
  options.backoff_cap = 1s;
  CHECK(backoff_ceiling(options, 0) == 100ms);
  CHECK(backoff_ceiling(options, 1) == 200ms);
  CHECK(backoff_ceiling(options, 3) == 800ms);
  CHECK(backoff_ceiling(options, 4) == 1s);
  CHECK(backoff_ceiling(options, 1000) == 1s);  // no overflow

  ScriptedRandom random;
  random.seed(3);
  for (int i = 0; i < 1000; ++i) {
    const auto delay = backoff_delay(options, i % 6, random);
    CHECK(delay >= 0ns);
    CHECK(delay <= backoff_ceiling(options, i % 6));
  }
}

TEST_CASE("quota_report reads plain whole numbers and nothing else") {
  const SteadyTime at{std::chrono::hours(2)};
  auto with = [](std::string remaining, std::string reset) {
    UpstreamResponse response;
    if (!remaining.empty()) response.headers.set("RateLimit-Remaining", remaining);
    if (!reset.empty()) response.headers.set("RateLimit-Reset", reset);
    return response;
  };
  auto report = quota_report(with("12", " 30\t"), at);
  REQUIRE(report);
  CHECK(report->remaining == 12);
  CHECK(report->reset == 30s);
  CHECK(report->admitted_at == at);
  CHECK(quota_report(with("0", "0"), at));

  // A named pair, not a structured binding: clang 14 cannot capture bindings in CAPTURE's lambda.
  for (const auto& headers : std::vector<std::pair<std::string, std::string>>{
           {"", "30"}, {"12", ""}, {"twelve", "30"}, {"12", "soon"}, {"-1", "30"}, {"+5", "30"},
           {"12", "1e3"}, {"12abc", "30"}, {"12", "86401"}, {"99999999999999999999", "30"}, {"5, 3", "30"}}) {
    const std::string& remaining = headers.first;
    const std::string& reset = headers.second;
    CAPTURE(remaining);
    CAPTURE(reset);
    CHECK_FALSE(quota_report(with(remaining, reset), at));
  }
}
