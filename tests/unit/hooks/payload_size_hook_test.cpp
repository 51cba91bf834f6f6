#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

constexpr std::string_view kSchema = R"({"type": "object", "properties": {
  "profiles": {"type": "array", "items": {"type": "object"}}, "list_id": {"type": "string"}}})";

// {"a":"xxxx"} is 12 bytes as compact JSON.
std::string item(std::size_t letters) { return R"({"a":")" + std::string(letters, 'x') + R"("})"; }

TEST_CASE("max_payload_bytes on an array argument: the whole, then each item") {
  StandardHook hook("max_payload_bytes");
  constexpr std::string_view settings = R"({"max": 40, "arg": "profiles", "max_item_bytes": 12})";
  // [ + 12 + , + 12 + ] = 27 bytes
  CHECK_FALSE(hook.check(settings, R"({"profiles": [)" + item(4) + "," + item(4) + "]}"));
  CHECK_FALSE(hook.check(settings, R"({"list_id": "Y6nRLr"})"));
  failed(hook.check(settings, R"({"profiles": [)" + item(4) + "," + item(5) + "]}"), "profiles[1]",
         "'profiles[1]' is 13 bytes as JSON; each item may be at most 12 bytes. Trim it or leave out large properties.");
  // [ + 3 * 12 + 2 commas + ] = 40 bytes: at the limit; one more item is over it.
  CHECK_FALSE(hook.check(settings, R"({"profiles": [)" + item(4) + "," + item(4) + "," + item(4) + "]}"));
  failed(hook.check(settings, R"({"profiles": [)" + item(4) + "," + item(4) + "," + item(4) + "," + item(4) + "]}"),
         "profiles", "'profiles' is 53 bytes as JSON; at most 40 are allowed per call. Send fewer items per call.");
}

TEST_CASE("max_payload_bytes without 'arg' measures all arguments and names the largest") {
  StandardHook hook("max_payload_bytes");
  constexpr std::string_view settings = R"({"max": 30})";
  CHECK_FALSE(hook.check(settings, R"({"list_id": "Y6nRLr"})"));  // {"list_id":"Y6nRLr"} = 20 bytes
  failed(hook.check(settings, R"({"list_id": "Y6nRLr", "profiles": [{"a": "xxxx"}]})"), "profiles",
         "The arguments are 46 bytes as JSON; at most 30 are allowed per call (the largest is 'profiles', 14 bytes). "
         "Send less per call.");
}

TEST_CASE("max_payload_bytes counts large payloads exactly") {
  StandardHook hook("max_payload_bytes");
  json::array profiles;
  for (int i = 0; i < 2000; ++i) profiles.push_back(json::object{{"email", "user" + std::to_string(i) + "@example.com"}});
  json::object args{{"profiles", profiles}};
  const auto size = json::serialize(args["profiles"]).size();
  CHECK_FALSE(hook.check(R"({"max": )" + std::to_string(size) + R"(, "arg": "profiles"})", json::serialize(args)));
  CHECK(hook.check(R"({"max": )" + std::to_string(size - 1) + R"(, "arg": "profiles"})", json::serialize(args)));
}

TEST_CASE("max_payload_bytes: settings") {
  StandardHook hook("max_payload_bytes");
  CHECK_FALSE(hook.settings_fault(R"({"max": 5242880, "arg": "profiles", "max_item_bytes": 102400})", kSchema));
  CHECK_FALSE(hook.settings_fault(R"({"max": 5242880})", kSchema));
  CHECK(hook.args_used(R"({"max": 10, "arg": "profiles"})") == std::vector<std::string>{"profiles"});
  CHECK(hook.args_used(R"({"max": 10})").empty());
  CHECK(hook.settings_fault(R"({"arg": "profiles"})", kSchema) == "setting 'max' is missing");
  CHECK(hook.settings_fault(R"({"max": 10, "max_item_bytes": 5})", kSchema) ==
        "setting 'max_item_bytes' needs 'arg', the array whose items it limits");
  CHECK(hook.settings_fault(R"({"max": 10, "arg": "list_id", "max_item_bytes": 5})", kSchema) ==
        "names 'list_id', which is not an array");
  CHECK(hook.settings_fault(R"({"max": 10, "arg": "people"})", kSchema) ==
        "names the argument 'people', which is not in inputSchema.properties");
  CHECK(hook.settings_fault(R"({"max": "5MB"})", kSchema) == "setting 'max' must be an integer greater than 0");
}

}  // namespace
}  // namespace kmcp
