#include <doctest/doctest.h>

#include "server/pipeline/filter_expression.hpp"

using namespace kmcp;

namespace {

const FilterFields kFields = {
    {"email", {"any", "equals"}},
    {"created", {"greater-than", "less-than", "greater-or-equal"}},
    {"name", {"contains", "equals", "starts-with"}},
    {"smart_quote", {"has"}},
    {"rating", {"equals", "greater-or-equal"}},
    {"messages.channel", {"equals"}},
    {"tags", {"contains-any"}},
};

std::string error_of(std::string_view expression, const FilterLimits& limits = {}) {
  auto error = check_filter_expression(expression, kFields, limits);
  REQUIRE_MESSAGE(error.has_value(), "expected a rejection of: ", expression);
  return *error;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("well-formed filters pass") {
  for (std::string_view ok : {
           R"(equals(email,"sarah@example.com"))",
           R"(equals(email,'single@quotes.io'))",
           R"(any(email,["a@b.co","c@d.co"]))",
           R"(equals(email,['example']))",
           R"(greater-than(created,2024-01-01T00:00:00Z))",
           R"(less-than(created,2022-11-08T00:00:00+00:00))",
           R"(greater-or-equal(created,2024-01-01))",
           R"(greater-than(created,2024-01-01T10:00:00.123Z))",
           R"(equals(rating,5),greater-or-equal(rating,4.5))",
           R"(and(equals(name,"x"),or(contains(name,"a\"b"),starts-with(name,"z"))))",
           R"(not(equals(email,"x@y.z")))",
           R"(has(smart_quote))",
           R"(equals(messages.channel,"email"))",
           R"(contains-any(tags,["vip", "new"]))",
           R"( equals( name , "spaced" ) )",
           R"(equals(name,null))",
           R"(equals(rating,true))",
       }) {
    CHECK_MESSAGE(!check_filter_expression(ok, kFields).has_value(), ok);
  }
}

TEST_CASE("unknown fields are named along with the filterable ones") {
  auto error = error_of(R"(equals(phone_number,"+1"))");
  CHECK(contains(error, "'phone_number'"));
  CHECK(contains(error, "email (any, equals)"));
  CHECK(contains(error, "created (greater-than, less-than, greater-or-equal)"));
  CHECK(contains(error, "character 8"));
}

TEST_CASE("operators not allowed on a field list the allowed ones") {
  auto error = error_of(R"(contains(email,"x"))");
  CHECK(contains(error, "'contains'"));
  CHECK(contains(error, "'email'"));
  CHECK(contains(error, "any, equals"));
  // Also inside nesting.
  CHECK(contains(error_of(R"(or(equals(email,"a"),less-than(email,"b")))"), "'less-than'"));
}

TEST_CASE("syntax errors say what is wrong") {
  CHECK(contains(error_of(R"(equals(email,"open)"), "unterminated string"));
  CHECK(contains(error_of(R"(equals(name,bare words))"), "unquoted value 'bare'"));
  CHECK(contains(error_of(R"(equals(email "x"))"), "expected ','"));
  CHECK(contains(error_of(R"(equals(email,"x")"), "expected ')'"));
  CHECK(contains(error_of(R"(equals(email,"x")) )"), "unexpected ')'"));
  CHECK(contains(error_of(R"(like(email,"x"))"), "unknown operator 'like'"));
  CHECK(contains(error_of(R"(equals)"), "expected '('"));
  CHECK(contains(error_of(""), "empty"));
  CHECK(contains(error_of(R"(any(email,"a@b.co"))"), "takes a list"));
  CHECK(contains(error_of(R"(greater-than(created,[1,2]))"), "single value"));
  CHECK(contains(error_of(R"(not(equals(name,"a"),equals(name,"b")))"), "exactly one condition"));
  CHECK(contains(error_of(R"(any(email,[["nested"]]))"), "nested"));
  CHECK(contains(error_of(R"(equals(,"x"))"), "field name"));
}

TEST_CASE("length and nesting depth are bounded") {
  FilterLimits limits;
  limits.max_length = 30;
  CHECK(contains(error_of(R"(equals(email,"a-rather-long-address@example.com"))", limits), "limit is 30"));

  std::string nested = R"(equals(name,"x"))";
  for (int i = 0; i < 8; ++i) nested = "not(" + nested + ")";
  CHECK_FALSE(check_filter_expression(nested, kFields).has_value());
  CHECK(contains(error_of("not(" + nested + ")"), "deeper than 8"));

  // Deep input fails fast instead of recursing without bound.
  std::string hostile(3000, '(');
  hostile = std::string(1000, 'a') + hostile;
  CHECK(check_filter_expression(hostile, kFields).has_value());
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "and(";
  CHECK(contains(error_of(deep), "deeper than 8"));
}

TEST_CASE("without declared filter fields only the syntax is checked") {
  CHECK_FALSE(check_filter_expression(R"(equals(anything,"x"))", {}).has_value());
  CHECK(check_filter_expression(R"(equals(anything,x y))", {}).has_value());
}
