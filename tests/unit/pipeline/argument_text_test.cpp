#include <doctest/doctest.h>

#include "server/pipeline/argument_text.hpp"
#include "server/pipeline/rate_buckets.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;

TEST_CASE("scalar_text renders query-friendly text") {
  CHECK(scalar_text(json::value("a b")) == std::optional<std::string>("a b"));
  CHECK(scalar_text(json::value(42)) == std::optional<std::string>("42"));
  CHECK(scalar_text(json::value(-7)) == std::optional<std::string>("-7"));
  CHECK(scalar_text(json::value(std::uint64_t(18446744073709551615ull))) ==
        std::optional<std::string>("18446744073709551615"));
  CHECK(scalar_text(json::value(20.0)) == std::optional<std::string>("20"));
  CHECK(scalar_text(json::value(2.5)) == std::optional<std::string>("2.5"));
  CHECK(scalar_text(json::value(true)) == std::optional<std::string>("true"));
  CHECK(scalar_text(json::value(false)) == std::optional<std::string>("false"));
  CHECK_FALSE(scalar_text(json::value(nullptr)).has_value());
  CHECK_FALSE(scalar_text(json::array{1}).has_value());
  CHECK_FALSE(scalar_text(json::object{}).has_value());
}

TEST_CASE("JSON pointers read as argument names") {
  CHECK(argument_name_from_pointer("/profile_ids/3") == "profile_ids[3]");
  CHECK(argument_name_from_pointer("/location/city") == "location.city");
  CHECK(argument_name_from_pointer("/profiles/0/email") == "profiles[0].email");
  CHECK(argument_name_from_pointer("/a~1b/c~0d") == "a/b.c~d");
  CHECK(argument_name_from_pointer("/email") == "email");
  CHECK(argument_name_from_pointer("").empty());
}

TEST_CASE("conditional rate buckets join when their argument value is used") {
  auto spec = test::get_profiles_spec();
  auto keys = [&](std::string_view args) {
    std::vector<std::string> out;
    for (const auto& bucket : rate_buckets(spec, test::parse_object(args))) out.push_back(bucket.key);
    return out;
  };
  using Keys = std::vector<std::string>;
  CHECK(keys("{}") == Keys{"get_profiles"});
  CHECK(keys(R"({"include":["segments"]})") == Keys{"get_profiles"});
  CHECK(keys(R"({"include":["segments","lists"]})") == Keys{"get_profiles", "profiles:include=lists"});
  CHECK(keys(R"({"include":"segments,lists"})") == Keys{"get_profiles", "profiles:include=lists"});
  CHECK(keys(R"({"include":"lists-extra"})") == Keys{"get_profiles"});
  CHECK(rate_buckets(spec, test::parse_object(R"({"include":["lists"]})"))[1].limits.per_second == 50);
}
