#include <doctest/doctest.h>

#include "server/pipeline/klaviyo_errors.hpp"
#include "server/pipeline/upstream_failure_error.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;

namespace {

UpstreamResponse response(unsigned status, std::string body) {
  UpstreamResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.set("Content-Type", "application/vnd.api+json");
  r.headers.set("Set-Cookie", "session=should-never-leak");
  return r;
}

std::string one_error(std::string_view code, std::string_view detail, std::string_view pointer) {
  json::object e{{"id", "e1"}, {"status", 400}, {"code", code}, {"title", "Invalid input."}, {"detail", detail}};
  if (!pointer.empty()) e["source"] = json::object{{"pointer", pointer}};
  return json::serialize(json::object{{"errors", json::array{e}}});
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("400 maps to a validation error pointing at our argument") {
  auto spec = test::update_list_spec();
  auto error = map_klaviyo_error(spec, response(400, one_error("invalid", "Name is too long.", "/data/attributes/name")),
                                 "KLAVIYO_API_KEY");
  CHECK(error.kind == "validation");
  CHECK(contains(error.message, "Name is too long (argument name)"));
  CHECK(error.details.at("status") == 400);
  CHECK(error.details.at("argument") == "name");
  const auto& errors = error.details.at("errors").as_array();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == json::parse(R"({"code":"invalid","title":"Invalid input.","detail":"Name is too long.",
                                    "source":"/data/attributes/name"})"));
  CHECK_FALSE(contains(json::serialize(error.details), "should-never-leak"));
  CHECK_FALSE(contains(error.message, "should-never-leak"));

  auto unprocessable = map_klaviyo_error(spec, response(422, one_error("x", "Bad.", "")), "KLAVIYO_API_KEY");
  CHECK(unprocessable.kind == "validation");
  CHECK_FALSE(unprocessable.details.contains("argument"));
}

TEST_CASE("source pointers map back to argument names") {
  auto bulk = test::bulk_subscribe_spec();
  CHECK(argument_for_source(bulk, "/data/attributes/profiles/data/1/attributes/email") ==
        "profiles[1].email");
  CHECK(argument_for_source(bulk, "/data/attributes/profiles/data/0/id") == "profiles[0].id");
  CHECK(argument_for_source(bulk, "/data/attributes/profiles") == "profiles");
  CHECK(argument_for_source(bulk, "/data/attributes/custom_source") == "custom_source");
  CHECK(argument_for_source(bulk, "/data/relationships/list/data/id") == "list_id");
  CHECK(argument_for_source(bulk, "/data/attributes/unknown").empty());
  CHECK(argument_for_source(test::update_list_spec(), "/data/id") == "id");
  CHECK(argument_for_source(test::add_profiles_to_list_spec(), "/data/2/id") == "profile_ids[2]");
  CHECK(argument_for_source(test::get_profiles_spec(), "page[size]") == "page_size");
  CHECK(argument_for_source(test::get_profiles_spec(), "nonsense").empty());
}

TEST_CASE("a query parameter source is mapped too") {
  auto spec = test::get_profiles_spec();
  std::string body =
      R"({"errors":[{"code":"invalid","title":"Invalid input.","detail":"Page size must be at most 100.","source":{"parameter":"page[size]"}}]})";
  auto error = map_klaviyo_error(spec, response(400, body), "KLAVIYO_API_KEY");
  CHECK(error.details.at("argument") == "page_size");
  CHECK(error.details.at("errors").as_array()[0].at("source") == "page[size]");
}

TEST_CASE("auth, not found, conflict and server errors") {
  auto spec = test::update_list_spec();
  auto unauthorized = map_klaviyo_error(spec, response(401, one_error("not_authenticated", "Bad key.", "")), "KLAVIYO_API_KEY");
  CHECK(unauthorized.kind == "auth");
  CHECK(contains(unauthorized.message, "KLAVIYO_API_KEY"));

  auto forbidden = map_klaviyo_error(spec, response(403, one_error("permission_denied", "Nope.", "")), "KLAVIYO_API_KEY");
  CHECK(forbidden.kind == "missing_scope");
  CHECK(contains(forbidden.message, "lists:write"));
  CHECK(forbidden.details.at("required_scopes") == json::array{"lists:write"});

  auto missing = map_klaviyo_error(spec, response(404, one_error("not_found", "List XYZ does not exist.", "")), "K");
  CHECK(missing.kind == "not_found");
  CHECK(contains(missing.message, "List XYZ does not exist"));
  CHECK(missing.details.at("status") == 404);

  CHECK(map_klaviyo_error(spec, response(409, one_error("duplicate", "Exists.", "")), "K").kind == "conflict");
  CHECK(map_klaviyo_error(spec, response(503, "<html>busy</html>"), "K").kind == "upstream_unavailable");
  CHECK(map_klaviyo_error(spec, response(405, ""), "K").kind == "upstream");

  auto no_body = map_klaviyo_error(spec, response(500, ""), "K");
  CHECK(contains(no_body.message, "HTTP 500"));
  CHECK(no_body.details.at("errors").as_array().empty());
}

TEST_CASE("429 carries Retry-After as retry_after_seconds") {
  auto spec = test::get_profiles_spec();
  auto r = response(429, one_error("throttled", "Request was throttled.", ""));
  r.headers.set("Retry-After", "17");
  CHECK(retry_after(r) == std::chrono::seconds(17));
  auto error = map_klaviyo_error(spec, r, "K");
  CHECK(error.kind == "rate_limited");
  CHECK(error.details.at("retry_after_seconds") == 17);

  auto no_header = response(429, "");
  CHECK(retry_after(no_header) == std::chrono::seconds(1));
  no_header.headers.set("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
  CHECK(retry_after(no_header) == std::chrono::seconds(1));
  no_header.headers.set("Retry-After", "99999999999");
  CHECK(retry_after(no_header) == std::chrono::hours(24));
}

TEST_CASE("transport failures map by kind and by whether a create may have happened") {
  auto create = test::bulk_subscribe_spec();
  auto read = test::get_profiles_spec();
  using Kind = UpstreamFailure::Kind;

  auto unknown = map_upstream_failure(create, UpstreamFailure{Kind::reset, true, "connection reset"});
  CHECK(unknown.kind == "outcome_unknown");
  CHECK(contains(unknown.message, "before calling again"));

  CHECK(map_upstream_failure(create, UpstreamFailure{Kind::connect, false, "refused"}).kind == "upstream_unavailable");
  CHECK(map_upstream_failure(read, UpstreamFailure{Kind::timeout, true, ""}).kind == "timeout");
  CHECK(map_upstream_failure(read, UpstreamFailure{Kind::tls, false, ""}).kind == "upstream_unavailable");
  CHECK(map_upstream_failure(read, UpstreamFailure{Kind::cancelled, true, ""}).kind == "cancelled");
  // An upsert (POST marked idempotent) is safe to repeat: a plain timeout.
  auto upsert = test::add_profiles_to_list_spec();
  CHECK(map_upstream_failure(upsert, UpstreamFailure{Kind::timeout, true, ""}).kind == "timeout");
}

TEST_CASE("each Klaviyo status maps to one stable kind") {
  auto read = test::get_profiles_spec();
  auto create = test::bulk_subscribe_spec();
  auto kind = [](const ToolSpec& spec, unsigned status) {
    return map_klaviyo_error(spec, response(status, one_error("x", "Something.", "")), "K").kind;
  };
  CHECK(kind(read, 400) == "validation");
  CHECK(kind(read, 413) == "validation");
  CHECK(kind(read, 422) == "validation");
  CHECK(kind(read, 401) == "auth");
  CHECK(kind(read, 403) == "missing_scope");
  CHECK(kind(read, 404) == "not_found");
  CHECK(kind(read, 409) == "conflict");
  CHECK(kind(read, 429) == "rate_limited");
  CHECK(kind(read, 500) == "upstream_unavailable");
  CHECK(kind(read, 503) == "upstream_unavailable");
  // A 5xx to a create becomes outcome_unknown in the exchange, which knows what was sent.
  CHECK(kind(create, 500) == "upstream_unavailable");
  CHECK(kind(read, 405) == "upstream");
}

TEST_CASE("a duplicate profile names the existing id") {
  const std::string body = R"({"errors":[{"id":"e","status":409,"code":"duplicate_profile","title":"Conflict.",
      "detail":"A profile already exists with one of these identifiers.","source":{"pointer":"/data/attributes"},
      "meta":{"duplicate_profile_id":"01GDDKASAP8TKDDA2GRZDSVP4H"}}]})";
  auto error = map_klaviyo_error(test::bulk_subscribe_spec(), response(409, body), "K");
  CHECK(error.kind == "conflict");
  CHECK(error.details.at("existing_id") == "01GDDKASAP8TKDDA2GRZDSVP4H");
  CHECK(contains(error.message, "01GDDKASAP8TKDDA2GRZDSVP4H"));
  CHECK(contains(error.message, "A profile already exists"));
}

TEST_CASE("a validation error carries a corrected example when the schema gives one") {
  auto spec = test::bulk_import_profiles_spec();
  auto email = map_klaviyo_error(
      spec, response(400, one_error("invalid", "Invalid email.", "/data/attributes/profiles/data/0/attributes/email")), "K");
  CHECK(email.kind == "validation");
  CHECK(email.details.at("argument") == "profiles[0].email");
  CHECK(email.details.at("example") == json::parse(R"({"profiles[0].email":"ada@example.com"})"));
  CHECK(contains(email.message, "For example profiles[0].email: \"ada@example.com\""));

  auto locale = map_klaviyo_error(
      spec, response(400, one_error("invalid", "Bad locale.", "/data/attributes/profiles/data/1/attributes/locale")), "K");
  CHECK(locale.details.at("example") == json::parse(R"({"profiles[1].locale":"en-US"})"));

  auto size = map_klaviyo_error(test::get_profiles_spec(),
                                response(400, R"({"errors":[{"code":"invalid","detail":"Too big.","source":{"parameter":"page[size]"}}]})"),
                                "K");
  CHECK(size.details.at("example") == json::parse(R"({"page_size":1})"));

  // Nothing to say about a free-form string: no example rather than a made-up one.
  auto name = map_klaviyo_error(test::update_list_spec(),
                                response(400, one_error("invalid", "Name is too long.", "/data/attributes/name")), "K");
  CHECK_FALSE(name.details.contains("example"));
}
