// "e164_phones": Klaviyo takes phone numbers in E.164 only; say so before the call fails.
#include <algorithm>

#include "tools/preconditions/argument_walk.hpp"
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {
namespace {

// ^\+[1-9][0-9]{1,14}$
bool is_e164(std::string_view s) {
  if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9') return false;
  return std::all_of(s.begin() + 2, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

PreconditionHook make_e164_phones_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({});
    if (!schema_declares(schema, "phone_number")) check.fail("the inputSchema has no 'phone_number' property to check");
    return check.fault();
  };
  hook.check = [](const json::object& args, const json::object&) {
    return check_members(args, [](std::string_view key, const std::string& path, const json::value& value) {
      if (key != "phone_number" || !value.is_string() || is_e164(value.get_string())) return std::optional<ToolError>{};
      return std::optional<ToolError>{precondition_error(
          path, "'" + path + "' must be an E.164 phone number: '+', the country code, then the number, digits only, "
                             "at most 15 digits in all, e.g. +15005550006.")};
    });
  };
  return hook;
}

}  // namespace kmcp
