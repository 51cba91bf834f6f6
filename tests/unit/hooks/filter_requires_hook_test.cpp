#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

// Filters are full of `")`, so these raw strings use a delimiter.
constexpr std::string_view kSchema = R"j({"type": "object", "properties": {"filter": {"type": "string"}}})j";
constexpr std::string_view kSettings =
    R"j({"arg": "filter", "field": "messages.channel", "example": "equals(messages.channel,\"email\")"})j";

TEST_CASE("filter_requires: a condition on the field passes, wherever it stands") {
  StandardHook hook("filter_requires");
  CHECK_FALSE(hook.check(kSettings, R"j({"filter": "equals(messages.channel,\"email\")"})j"));
  CHECK_FALSE(hook.check(kSettings, R"j({"filter": "and(equals( messages.channel , \"sms\"),equals(status,\"Draft\"))"})j"));
  CHECK_FALSE(hook.check(kSettings, R"j({"filter": "equals(status,\"Sent\"),equals(messages.channel,\"email\")"})j"));
}

TEST_CASE("filter_requires: no filter, or one without the field, names it and shows the example") {
  StandardHook hook("filter_requires");
  const std::string message =
      "'filter' must include a condition on messages.channel; Klaviyo refuses this call without one. "
      "For example: equals(messages.channel,\"email\")";
  failed(hook.check(kSettings, R"j({})j"), "filter", message);
  failed(hook.check(kSettings, R"j({"filter": "equals(status,\"Draft\")"})j"), "filter", message);
  // The field's name inside a value is not a condition on it.
  failed(hook.check(kSettings, R"j({"filter": "equals(name,\"messages.channel,\")"})j"), "filter", message);
}

TEST_CASE("filter_requires: settings") {
  StandardHook hook("filter_requires");
  CHECK_FALSE(hook.settings_fault(kSettings, kSchema));
  CHECK(hook.args_used(kSettings) == std::vector<std::string>{"filter"});
  CHECK(hook.settings_fault(R"j({"arg": "filter", "example": "x"})j", kSchema) == "setting 'field' is missing");
  CHECK(hook.settings_fault(R"j({"arg": "where", "field": "a", "example": "x"})j", kSchema) ==
        "names the argument 'where', which is not in inputSchema.properties");
}

}  // namespace
}  // namespace kmcp
