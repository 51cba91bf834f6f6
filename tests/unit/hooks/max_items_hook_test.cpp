#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

constexpr std::string_view kSchema = R"({"type": "object", "properties": {
  "profile_ids": {"type": "array", "items": {"type": "string"}}, "list_id": {"type": "string"}}})";
constexpr std::string_view kSettings = R"({"arg": "profile_ids", "max": 3})";

TEST_CASE("max_items: at the limit passes, over it names the count and the fix") {
  StandardHook hook("max_items");
  CHECK_FALSE(hook.check(kSettings, R"({"profile_ids": ["a", "b", "c"]})"));
  CHECK_FALSE(hook.check(kSettings, R"({"profile_ids": []})"));
  failed(hook.check(kSettings, R"({"profile_ids": ["a", "b", "c", "d"]})"), "profile_ids",
         "'profile_ids' has 4 items; at most 3 are allowed per call. Split them over several calls.");
}

TEST_CASE("max_items: an absent argument passes") {
  StandardHook hook("max_items");
  CHECK_FALSE(hook.check(kSettings, R"({"list_id": "Y6nRLr"})"));
}

TEST_CASE("max_items: settings") {
  StandardHook hook("max_items");
  CHECK_FALSE(hook.settings_fault(kSettings, kSchema));
  CHECK(hook.args_used(kSettings) == std::vector<std::string>{"profile_ids"});
  CHECK(hook.settings_fault(R"({"arg": "profile_ids"})", kSchema) == "setting 'max' is missing");
  CHECK(hook.settings_fault(R"({"arg": "profile_ids", "max": 0})", kSchema) ==
        "setting 'max' must be an integer greater than 0");
  CHECK(hook.settings_fault(R"({"arg": "ids", "max": 10})", kSchema) ==
        "names the argument 'ids', which is not in inputSchema.properties");
  CHECK(hook.settings_fault(R"({"arg": "list_id", "max": 10})", kSchema) == "names 'list_id', which is not an array");
  CHECK(hook.settings_fault(R"({"max": 10})", kSchema) == "setting 'arg' is missing");
}

}  // namespace
}  // namespace kmcp
