#include <doctest/doctest.h>

#include "server/registry/schema_validator.hpp"

namespace kmcp {
namespace {

json::object schema(std::string_view text) { return json::parse(text).as_object(); }

std::vector<SchemaViolation> check(std::string_view schema_text, std::string_view instance) {
  return SchemaValidator(schema(schema_text)).validate(json::parse(instance));
}

// The single violation, or a failed check.
SchemaViolation only(const std::vector<SchemaViolation>& violations) {
  REQUIRE(violations.size() == 1);
  return violations.front();
}

constexpr std::string_view kProfileArgs = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "the profile id"},
    "email": {"type": "string", "format": "email"},
    "channel": {"type": "string", "enum": ["email", "sms"]},
    "kind": {"const": "profile"},
    "profile_ids": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
    "name": {"type": "string", "minLength": 2, "maxLength": 5},
    "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
    "profiles": {"type": "array", "items": {
      "type": "object",
      "properties": {"email": {"type": "string"}, "phone_number": {"type": "string"}},
      "additionalProperties": false}}
  },
  "required": ["id"],
  "additionalProperties": false
})";

TEST_CASE("a valid instance has no violations") {
  CHECK(check(kProfileArgs, R"({"id": "01H", "channel": "sms", "profile_ids": ["a"], "page_size": 100})").empty());
}

TEST_CASE("missing required property points at the property and names it") {
  auto v = only(check(kProfileArgs, R"({"channel": "sms"})"));
  CHECK(v.pointer == "/id");
  CHECK(v.message == "missing required property 'id'");
}

TEST_CASE("wrong type says what was expected and what came") {
  auto v = only(check(kProfileArgs, R"({"id": 5})"));
  CHECK(v.pointer == "/id");
  CHECK(v.message == "expected string, got number");
  CHECK(only(check(kProfileArgs, R"({"id": null})")).message == "expected string, got null");
  CHECK(only(check(kProfileArgs, R"({"id": "x", "page_size": 2.5})")).message == "expected integer, got number");
}

TEST_CASE("unknown arguments are each reported, with a suggestion or the allowed names") {
  auto violations = check(kProfileArgs, R"({"id": "x", "emial": "a@b.co", "zzzzzzzz": 1})");
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].pointer == "/emial");
  CHECK(violations[0].message == "unknown argument 'emial'; did you mean 'email'?");
  CHECK(violations[1].pointer == "/zzzzzzzz");
  CHECK(violations[1].message.starts_with("unknown argument 'zzzzzzzz'; allowed: "));
  CHECK(violations[1].message.find("profile_ids") != std::string::npos);
}

TEST_CASE("unknown property below the root is called a property") {
  auto v = only(check(kProfileArgs, R"({"id": "x", "profiles": [{"email": "a@b.co"}, {"phone": "+1"}]})"));
  CHECK(v.pointer == "/profiles/1/phone");
  CHECK(v.message == "unknown property 'phone'; allowed: email, phone_number");
}

TEST_CASE("enum lists the allowed values") {
  auto v = only(check(kProfileArgs, R"({"id": "x", "channel": "push"})"));
  CHECK(v.pointer == "/channel");
  CHECK(v.message == "must be one of: email, sms");
}

TEST_CASE("const names the one value") {
  CHECK(only(check(kProfileArgs, R"({"id": "x", "kind": "list"})")).message == R"(must be "profile")");
}

TEST_CASE("array items are reported at their index, without the per-array summary") {
  auto v = only(check(kProfileArgs, R"({"id": "x", "profile_ids": ["a", "b", 7]})"));
  CHECK(v.pointer == "/profile_ids/2");
  CHECK(v.message == "expected string, got number");
}

TEST_CASE("errors deep in nested objects carry the full pointer") {
  auto v = only(check(kProfileArgs, R"({"id": "x", "profiles": [{"email": "a@b.co"}, {}, {"email": ["x"]}]})"));
  CHECK(v.pointer == "/profiles/2/email");
  CHECK(v.message == "expected string, got array");
}

TEST_CASE("item counts and string lengths state the limit and what came") {
  CHECK(only(check(kProfileArgs, R"({"id": "x", "profile_ids": []})")).message == "must have at least 1 item (got 0)");
  auto many = only(check(kProfileArgs, R"({"id": "x", "profile_ids": ["a", "b", "c", "d"]})"));
  CHECK(many.pointer == "/profile_ids");
  CHECK(many.message.starts_with("must have at most 3 items (got 4)"));
  CHECK(only(check(kProfileArgs, R"({"id": "x", "name": "a"})")).message == "must be at least 2 characters long");
  CHECK(only(check(kProfileArgs, R"({"id": "x", "name": "abcdef"})")).message ==
        "must be at most 5 characters long (got 6)");
}

TEST_CASE("pattern shows the pattern") {
  CHECK(only(check(kProfileArgs, R"({"id": "x", "code": "abc"})")).message == "must match the pattern ^[A-Z]{3}$");
  CHECK(check(kProfileArgs, R"({"id": "x", "code": "ABC"})").empty());
}

TEST_CASE("numeric limits are written as numbers people write") {
  CHECK(only(check(kProfileArgs, R"({"id": "x", "page_size": 0})")).message == "must be at least 1");
  CHECK(only(check(kProfileArgs, R"({"id": "x", "page_size": 101})")).message == "must be at most 100");
  CHECK(only(check(kProfileArgs, R"({"id": "x", "ratio": 0})")).message == "must be greater than 0");
  CHECK(only(check(kProfileArgs, R"({"id": "x", "ratio": 1.5})")).message == "must be less than 1.5");
}

TEST_CASE("several independent problems are all reported") {
  auto violations = check(kProfileArgs, R"({"channel": "fax", "page_size": "ten"})");
  REQUIRE(violations.size() == 3);
  std::vector<std::string> pointers;
  for (const auto& v : violations) pointers.push_back(v.pointer);
  CHECK(std::find(pointers.begin(), pointers.end(), "/id") != pointers.end());
  CHECK(std::find(pointers.begin(), pointers.end(), "/channel") != pointers.end());
  CHECK(std::find(pointers.begin(), pointers.end(), "/page_size") != pointers.end());
}

TEST_CASE("format is not enforced by the schema, and odd values do not break validation") {
  constexpr std::string_view when = R"({"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}})";
  CHECK(check(when, R"({"at": "yesterday"})").empty());
  CHECK(only(check(when, R"({"at": [1, 2]})")).message == "expected string, got array");
}

TEST_CASE("oneOf: the branch whose type matches explains the problem") {
  constexpr std::string_view ids = R"({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})";
  CHECK(check(ids, R"("a")").empty());
  CHECK(check(ids, R"(["a"])").empty());
  auto inner = only(check(ids, R"(["a", 2])"));
  CHECK(inner.pointer == "/1");
  CHECK(inner.message == "expected string, got number");
  auto outer = only(check(ids, "5"));
  CHECK(outer.pointer == "");
  CHECK(outer.message == "expected string or array, got number");

  constexpr std::string_view mixed = R"({"oneOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer"}]})";
  CHECK(only(check(mixed, R"("x")")).message == "must be one of: a, b");
}

TEST_CASE("oneOf matching several branches is its own message") {
  auto v = only(check(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})", "3"));
  CHECK(v.message == "matches more than one of the allowed forms; it must match exactly one");
}

TEST_CASE("anyOf of required alternatives names each way out") {
  auto violations = check(R"({"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone_number"]}]})", "{}");
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].pointer == "/email");
  CHECK(violations[0].message == "missing required property 'email'");
  CHECK(violations[1].pointer == "/phone_number");
  CHECK(violations[1].message == "missing required property 'phone_number'");
}

TEST_CASE("pointers escape '~' and '/' (RFC 6901)") {
  auto v = only(check(R"({"type": "object", "properties": {"a/b": {"type": "object", "properties": {"c~d": {"type": "string"}}}}})",
                      R"({"a/b": {"c~d": 1}})"));
  CHECK(v.pointer == "/a~1b/c~0d");
}

TEST_CASE("identical findings from several branches appear once") {
  auto violations = check(R"({"anyOf": [{"type": "object", "required": ["id"]}, {"type": "object", "required": ["id"], "minProperties": 0}]})", "{}");
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].message == "missing required property 'id'");
}

TEST_CASE("an invalid schema is refused at construction") {
  CHECK_THROWS_WITH_AS(SchemaValidator(schema(R"({"type": "strin"})")), doctest::Contains("strin"), std::runtime_error);
  CHECK_THROWS_WITH_AS(SchemaValidator(schema(R"({"properties": {"a": {"pattern": "(("}}})")),
                       doctest::Contains("invalid pattern '(('"), std::runtime_error);
  CHECK_THROWS_WITH_AS(SchemaValidator(schema(R"({"items": [{"type": "string"}]})")), doctest::Contains("'items' must be one schema"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(SchemaValidator(schema(R"({"minItems": -1})")), doctest::Contains("minItems"), std::runtime_error);
  CHECK_THROWS_WITH_AS(SchemaValidator(schema(R"({"required": "id"})")), doctest::Contains("invalid schema"),
                       std::runtime_error);
}

TEST_CASE("a property named like a keyword is a property, not a keyword") {
  // "format" and "pattern" here are argument names; stripping formats must not touch them.
  constexpr std::string_view s = R"({"type": "object", "properties": {"format": {"type": "string"}, "pattern": {"type": "integer"}},
                                     "required": ["format"], "additionalProperties": false})";
  CHECK(check(s, R"({"format": "csv", "pattern": 1})").empty());
  CHECK(only(check(s, R"({"pattern": 1})")).pointer == "/format");
}

}  // namespace
}  // namespace kmcp
