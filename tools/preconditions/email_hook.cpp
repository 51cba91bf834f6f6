// "valid_emails": a plausible address before Klaviyo sees it, so the model gets the exact
// argument path back instead of a batch-level 400.
#include <algorithm>

#include "tools/preconditions/argument_walk.hpp"
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {
namespace {

// Deliberately loose: one '@', something before it, a dotted domain after it, no whitespace or
// control characters, at most 254 characters (RFC 5321). Klaviyo has the final word.
bool plausible_email(std::string_view s) {
  if (s.empty() || s.size() > 254) return false;
  if (std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) return false;
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
  const auto domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

std::optional<ToolError> check_email(const std::string& path, std::string_view text) {
  if (plausible_email(text)) return std::nullopt;
  return precondition_error(path, "'" + path + "' is not a valid email address: it needs one '@', a name before it "
                                   "and a domain with a dot after it, without spaces (e.g. ada@example.com).");
}

}  // namespace

PreconditionHook make_valid_emails_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({});
    if (!schema_declares(schema, "email") && !schema_declares(schema, "emails"))
      check.fail("the inputSchema has no 'email' or 'emails' property to check");
    return check.fault();
  };
  hook.check = [](const json::object& args, const json::object&) {
    return check_members(args, [](std::string_view key, const std::string& path, const json::value& value) {
      if (key == "email" && value.is_string()) return check_email(path, value.get_string());
      if (key == "emails" && value.is_array()) return check_texts(path, value, check_email);
      return std::optional<ToolError>{};
    });
  };
  return hook;
}

}  // namespace kmcp
