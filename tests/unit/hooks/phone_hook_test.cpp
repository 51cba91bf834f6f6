#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

std::string bad(const std::string& path) {
  return "'" + path + "' must be an E.164 phone number: '+', the country code, then the number, digits only, at most "
         "15 digits in all, e.g. +15005550006.";
}

TEST_CASE("e164_phones: E.164 numbers pass") {
  StandardHook hook("e164_phones");
  CHECK_FALSE(hook.check("{}", R"({"phone_number": "+15005550006"})"));
  CHECK_FALSE(hook.check("{}", R"({"phone_number": "+44"})"));                 // shortest: 2 digits
  CHECK_FALSE(hook.check("{}", R"({"phone_number": "+123456789012345"})"));   // longest: 15 digits
  CHECK_FALSE(hook.check("{}", R"({"profiles": [{"phone_number": "+33612345678"}], "phone": "555"})"));
}

TEST_CASE("e164_phones: anything else is refused, with the path and the format") {
  StandardHook hook("e164_phones");
  for (const char* number : {"15005550006", "+05005550006", "+1 500 555 0006", "+1-500-555-0006", "+1",
                             "+1234567890123456", "+1500555000a", "(500) 555-0006", ""}) {
    CAPTURE(number);
    failed(hook.check("{}", json::serialize(json::object{{"phone_number", number}})), "phone_number", bad("phone_number"));
  }
  failed(hook.check("{}", R"({"profiles": [{"phone_number": "+15005550006"}, {"phone_number": "5550006"}]})"),
         "profiles[1].phone_number", bad("profiles[1].phone_number"));
}

TEST_CASE("e164_phones: settings") {
  StandardHook hook("e164_phones");
  CHECK_FALSE(hook.settings_fault("{}", R"({"type": "object", "properties": {"phone_number": {"type": "string"}}})"));
  CHECK(hook.settings_fault("{}", R"({"type": "object", "properties": {"phone": {"type": "string"}}})") ==
        "the inputSchema has no 'phone_number' property to check");
  CHECK(hook.settings_fault(R"({"strict": true})", R"({"type": "object", "properties": {"phone_number": {}}})") ==
        "unknown setting 'strict'; this hook takes none");
}

}  // namespace
}  // namespace kmcp
