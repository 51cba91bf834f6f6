// "iso8601": dates and date-times Klaviyo will read the same way the model meant them. A
// date-time must carry its zone (Z or an offset): a zoneless time is ambiguous.
#include <algorithm>
#include <charconv>

#include "tools/preconditions/argument_walk.hpp"
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {
namespace {

// Reads exactly `digits` digits at `at` into `out` and advances.
bool digits(std::string_view s, std::size_t& at, std::size_t count, int& out) {
  if (at + count > s.size()) return false;
  auto first = s.data() + at, last = first + count;
  if (!std::all_of(first, last, [](char c) { return c >= '0' && c <= '9'; })) return false;
  std::from_chars(first, last, out);
  at += count;
  return true;
}

bool literal(std::string_view s, std::size_t& at, char c) {
  if (at >= s.size() || s[at] != c) return false;
  ++at;
  return true;
}

int days_in(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|-HH:MM).
bool is_iso8601(std::string_view s) {
  std::size_t at = 0;
  int year = 0, month = 0, day = 0;
  if (!digits(s, at, 4, year) || !literal(s, at, '-') || !digits(s, at, 2, month) || !literal(s, at, '-') ||
      !digits(s, at, 2, day))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > days_in(year, month)) return false;
  if (at == s.size()) return true;  // a date

  int hour = 0, minute = 0, second = 0;
  if (!literal(s, at, 'T') || !digits(s, at, 2, hour) || !literal(s, at, ':') || !digits(s, at, 2, minute)) return false;
  if (hour > 23 || minute > 59) return false;
  if (literal(s, at, ':')) {
    if (!digits(s, at, 2, second) || second > 59) return false;
    if (literal(s, at, '.')) {
      const auto start = at;
      while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
      if (at == start || at - start > 9) return false;
    }
  }
  if (literal(s, at, 'Z')) return at == s.size();
  if (at >= s.size() || (s[at] != '+' && s[at] != '-')) return false;
  ++at;
  int offset_hours = 0, offset_minutes = 0;
  if (!digits(s, at, 2, offset_hours) || !literal(s, at, ':') || !digits(s, at, 2, offset_minutes)) return false;
  return offset_hours <= 23 && offset_minutes <= 59 && at == s.size();
}

std::optional<ToolError> check_date(const std::string& path, std::string_view text) {
  if (is_iso8601(text)) return std::nullopt;
  return precondition_error(path, "'" + path + "' must be an ISO-8601 date-time with a time zone, e.g. "
                                   "2025-03-01T09:30:00Z or 2025-03-01T09:30:00+02:00, or a date such as 2025-03-01.");
}

}  // namespace

PreconditionHook make_iso8601_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({"args", "keys"});
    const auto args = check.names("args", false);
    const auto keys = check.names("keys", false);
    if (!settings.contains("args") && !settings.contains("keys")) check.fail("needs 'args' (top-level arguments) or 'keys' (names at any depth)");
    for (const auto& arg : args) check.argument(arg);
    for (const auto& key : keys)
      if (!schema_declares(schema, key)) check.fail("names the key '" + key + "', which the inputSchema never declares");
    return check.fault();
  };
  hook.args_used = [](const json::object& settings) { return setting_names(settings, "args"); };
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    for (const auto& name : setting_names(settings, "args"))
      if (const auto* value = args.if_contains(name))
        if (auto error = check_texts(name, *value, check_date)) return error;
    const auto keys = setting_names(settings, "keys");
    if (keys.empty()) return std::nullopt;
    return check_members(args, [&keys](std::string_view key, const std::string& path, const json::value& value) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) return std::optional<ToolError>{};
      return check_texts(path, value, check_date);
    });
  };
  return hook;
}

}  // namespace kmcp
