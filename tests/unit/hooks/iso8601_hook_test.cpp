#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

constexpr std::string_view kSchema = R"({"type": "object", "properties": {
  "datetime": {"type": "string"}, "dates": {"type": "array", "items": {"type": "string"}},
  "profiles": {"type": "array", "items": {"type": "object", "properties": {"consented_at": {"type": "string"}}}}}})";

std::string bad(const std::string& path) {
  return "'" + path + "' must be an ISO-8601 date-time with a time zone, e.g. 2025-03-01T09:30:00Z or "
         "2025-03-01T09:30:00+02:00, or a date such as 2025-03-01.";
}

TEST_CASE("iso8601: dates and zoned date-times pass") {
  StandardHook hook("iso8601");
  constexpr std::string_view settings = R"({"args": ["datetime"]})";
  for (const char* ok : {"2025-03-01", "2024-02-29", "2025-03-01T09:30Z", "2025-03-01T09:30:15Z",
                         "2025-03-01T09:30:15.123Z", "2025-03-01T09:30:15.123456789+02:00", "2025-12-31T23:59:59-05:30"}) {
    CAPTURE(ok);
    CHECK_FALSE(hook.check(settings, json::serialize(json::object{{"datetime", ok}})));
  }
  CHECK_FALSE(hook.check(settings, R"({})"));
}

TEST_CASE("iso8601: everything else is refused") {
  StandardHook hook("iso8601");
  constexpr std::string_view settings = R"({"args": ["datetime"]})";
  for (const char* wrong : {"2025-03-01T09:30:00", "2025-3-1", "2025-13-01", "2025-02-29", "2025-04-31", "2025-03-00",
                            "2025-03-01 09:30:00Z", "2025-03-01T24:00:00Z", "2025-03-01T09:60Z", "2025-03-01T09:30:61Z",
                            "2025-03-01T09:30:00.Z", "2025-03-01T09:30:00+0200", "2025-03-01T09:30:00Zjunk",
                            "yesterday", "1709285400", ""}) {
    CAPTURE(wrong);
    failed(hook.check(settings, json::serialize(json::object{{"datetime", wrong}})), "datetime", bad("datetime"));
  }
}

TEST_CASE("iso8601: arrays of dates are checked item by item") {
  StandardHook hook("iso8601");
  constexpr std::string_view settings = R"({"args": ["dates"]})";
  CHECK_FALSE(hook.check(settings, R"({"dates": ["2025-01-01", "2025-01-02T00:00Z"]})"));
  failed(hook.check(settings, R"({"dates": ["2025-01-01", "01/02/2025"]})"), "dates[1]", bad("dates[1]"));
}

TEST_CASE("iso8601: 'keys' are found at any depth") {
  StandardHook hook("iso8601");
  constexpr std::string_view settings = R"({"keys": ["consented_at"]})";
  CHECK_FALSE(hook.check(settings, R"({"profiles": [{"consented_at": "2025-01-01T10:00:00Z"}]})"));
  failed(hook.check(settings, R"({"profiles": [{"consented_at": "2025-01-01T10:00:00Z"}, {"consented_at": "now"}]})"),
         "profiles[1].consented_at", bad("profiles[1].consented_at"));
}

TEST_CASE("iso8601: settings") {
  StandardHook hook("iso8601");
  CHECK_FALSE(hook.settings_fault(R"({"args": ["datetime"]})", kSchema));
  CHECK_FALSE(hook.settings_fault(R"({"keys": ["consented_at"]})", kSchema));
  CHECK(hook.args_used(R"({"args": ["datetime"], "keys": ["consented_at"]})") == std::vector<std::string>{"datetime"});
  CHECK(hook.settings_fault(R"({})", kSchema) == "needs 'args' (top-level arguments) or 'keys' (names at any depth)");
  CHECK(hook.settings_fault(R"({"args": ["consented_at"]})", kSchema) ==
        "names the argument 'consented_at', which is not in inputSchema.properties");
  CHECK(hook.settings_fault(R"({"keys": ["created"]})", kSchema) ==
        "names the key 'created', which the inputSchema never declares");
}

}  // namespace
}  // namespace kmcp
