// Cases in the spirit of the official JSON Schema Test Suite (draft-07), restricted to the
// keywords our specs use: they prove valijson reads those keywords as the standard says.
#include <doctest/doctest.h>

#include "server/registry/schema_validator.hpp"

namespace kmcp {
namespace {

struct Case {
  const char* schema;
  const char* instance;
  bool valid;
};

void run(const Case& c) {
  CAPTURE(c.schema);
  CAPTURE(c.instance);
  SchemaValidator validator(json::parse(c.schema).as_object());
  auto violations = validator.validate(json::parse(c.instance));
  CHECK(violations.empty() == c.valid);
  // Whenever it fails, it says where and why.
  for (const auto& v : violations) CHECK(!v.message.empty());
}

TEST_CASE("type") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"type": "integer"})", "1", true},
           {R"({"type": "integer"})", "1.1", false},
           {R"({"type": "integer"})", R"("1")", false},
           {R"({"type": "number"})", "1", true},
           {R"({"type": "number"})", "1.5", true},
           {R"({"type": "number"})", R"("1")", false},
           {R"({"type": "string"})", R"("")", true},
           {R"({"type": "string"})", "1", false},
           {R"({"type": "boolean"})", "false", true},
           {R"({"type": "boolean"})", "0", false},
           {R"({"type": "null"})", "null", true},
           {R"({"type": "null"})", "false", false},
           {R"({"type": "object"})", "{}", true},
           {R"({"type": "object"})", "[]", false},
           {R"({"type": "array"})", "[]", true},
           {R"({"type": "array"})", "{}", false},
           {R"({"type": ["integer", "string"]})", R"("foo")", true},
           {R"({"type": ["integer", "string"]})", "1.5", false},
       })
    run(c);
}

TEST_CASE("properties, required, additionalProperties") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"properties": {"foo": {"type": "integer"}}})", R"({"foo": 1, "bar": "x"})", true},
           {R"({"properties": {"foo": {"type": "integer"}}})", R"({"foo": []})", false},
           {R"({"properties": {"foo": {"type": "integer"}}})", R"([1])", true},  // ignores non-objects
           {R"({"required": ["foo"]})", R"({"foo": null})", true},
           {R"({"required": ["foo"]})", R"({"bar": 1})", false},
           {R"({"required": ["foo"]})", R"("foo")", true},
           {R"({"properties": {"foo": {}}, "additionalProperties": false})", R"({"foo": 1})", true},
           {R"({"properties": {"foo": {}}, "additionalProperties": false})", R"({"foo": 1, "quux": 2})", false},
           {R"({"properties": {"foo": {}}, "additionalProperties": {"type": "boolean"}})", R"({"foo": 1, "bar": true})", true},
           {R"({"properties": {"foo": {}}, "additionalProperties": {"type": "boolean"}})", R"({"foo": 1, "bar": 1})", false},
       })
    run(c);
}

TEST_CASE("enum and const") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"enum": [1, 2, 3]})", "1", true},
           {R"({"enum": [1, 2, 3]})", "4", false},
           {R"({"enum": ["foo", {"a": 1}]})", R"({"a": 1})", true},
           {R"({"enum": ["foo", {"a": 1}]})", R"({"a": 2})", false},
           {R"({"enum": [false]})", "0", false},
           {R"({"const": 2})", "2", true},
           {R"({"const": 2})", "5", false},
           {R"({"const": "x"})", R"("x")", true},
           {R"({"const": null})", "0", false},
       })
    run(c);
}

TEST_CASE("items, minItems, maxItems") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"items": {"type": "integer"}})", "[1, 2, 3]", true},
           {R"({"items": {"type": "integer"}})", R"([1, "x"])", false},
           {R"({"items": {"type": "integer"}})", R"({"foo": "bar"})", true},
           {R"({"minItems": 1})", "[1]", true},
           {R"({"minItems": 1})", "[]", false},
           {R"({"minItems": 1})", R"("")", true},
           {R"({"maxItems": 2})", "[1, 2]", true},
           {R"({"maxItems": 2})", "[1, 2, 3]", false},
       })
    run(c);
}

TEST_CASE("minLength, maxLength count code points, pattern is unanchored") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"minLength": 2})", R"("fo")", true},
           {R"({"minLength": 2})", R"("f")", false},
           {R"({"minLength": 2})", "1", true},
           {R"({"minLength": 2})", "\"\xF0\x9F\x92\xA9\"", false},  // one supplementary code point
           {R"({"maxLength": 2})", R"("foo")", false},
           {R"({"maxLength": 2})", "\"\xF0\x9F\x92\xA9\xF0\x9F\x92\xA9\"", true},
           {R"({"pattern": "^a*$"})", R"("aaa")", true},
           {R"({"pattern": "^a*$"})", R"("abc")", false},
           {R"({"pattern": "a+"})", R"("xxaayy")", true},
           {R"({"pattern": "^a*$"})", "true", true},
       })
    run(c);
}

TEST_CASE("minimum, maximum, exclusive bounds") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"minimum": 1.1})", "1.1", true},
           {R"({"minimum": 1.1})", "0.6", false},
           {R"({"minimum": -2})", "-2", true},
           {R"({"minimum": -2})", "-3", false},
           {R"({"maximum": 3.0})", "3", true},
           {R"({"maximum": 3.0})", "3.5", false},
           {R"({"exclusiveMinimum": 1.1})", "1.1", false},
           {R"({"exclusiveMinimum": 1.1})", "1.2", true},
           {R"({"exclusiveMaximum": 3.0})", "3.0", false},
           {R"({"maximum": 3})", R"("x")", true},
       })
    run(c);
}

TEST_CASE("oneOf, anyOf") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})", "1", true},
           {R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})", "2.5", true},
           {R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})", "3", false},  // both
           {R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})", "1.5", false},  // neither
           {R"({"anyOf": [{"type": "integer"}, {"minimum": 2}]})", "3", true},
           {R"({"anyOf": [{"type": "integer"}, {"minimum": 2}]})", "1.5", false},
           {R"({"anyOf": [{"required": ["a"]}, {"required": ["b"]}]})", R"({"b": 1})", true},
       })
    run(c);
}

TEST_CASE("annotations change nothing") {
  for (const auto& c : std::initializer_list<Case>{
           {R"({"description": "x", "default": 5, "title": "t", "type": "string"})", R"("a")", true},
           {R"({"description": "x", "default": 5, "title": "t", "type": "string"})", "5", false},
       })
    run(c);
}

}  // namespace
}  // namespace kmcp
