#pragma once
// What the precondition hooks share: the error they return, what counts as "given", reading
// their settings at startup (with a clear fault) and at call time, and schema look-ups.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"

namespace kmcp {

// ToolError{kind "precondition", message, details {"argument": argument}}.
ToolError precondition_error(std::string argument, std::string message);

// Present and meaningful: not null, not a blank string, not an empty array or object.
bool is_given(const json::value* value);

// "'a'", "'a' or 'b'", "'a', 'b' or 'c'" (or with "and").
std::string quoted_list(const std::vector<std::string>& names, std::string_view conjunction);
inline std::string quoted_or(const std::vector<std::string>& names) { return quoted_list(names, "or"); }
inline std::string quoted_and(const std::vector<std::string>& names) { return quoted_list(names, "and"); }

// "profiles" + 3 -> "profiles[3]"; "profiles[3]" + "email" -> "profiles[3].email".
std::string item_path(const std::string& parent, std::size_t index);
std::string member_path(const std::string& parent, std::string_view key);

// The schema of the top-level argument `arg`, or nullptr.
const json::object* argument_schema(const json::object& input_schema, std::string_view arg);
// Whether any object in the schema declares a property named `key`, at any depth.
bool schema_declares(const json::object& input_schema, std::string_view key);
// Whether the schema says the value is (or may be) an array; true when it does not say.
bool may_be_array(const json::object& schema);

// Size of `value` serialized as compact JSON, without building the text.
std::size_t serialized_size(const json::value& value);

// A call-time read of settings that check_settings has already approved.
std::vector<std::string> setting_names(const json::object& settings, std::string_view key);
std::string setting_name(const json::object& settings, std::string_view key);  // "" when absent
std::size_t setting_count(const json::object& settings, std::string_view key);  // 0 when absent

// Startup reads of settings: each records the first fault and returns a harmless default.
class SettingsCheck {
 public:
  SettingsCheck(const json::object& settings, const json::object& input_schema)
      : settings_(settings), schema_(input_schema) {}

  void only(std::initializer_list<std::string_view> keys);
  // A non-empty list of non-empty strings, at least `min` long.
  std::vector<std::string> names(std::string_view key, bool required, std::size_t min = 1);
  // A non-empty string.
  std::optional<std::string> name(std::string_view key, bool required);
  // An integer > 0.
  std::optional<std::size_t> count(std::string_view key, bool required);
  // `arg` is a top-level argument in inputSchema.properties; returns its schema.
  const json::object* argument(const std::string& arg);

  void fail(std::string message) {
    if (!fault_) fault_ = std::move(message);
  }
  const std::optional<std::string>& fault() const { return fault_; }

 private:
  const json::object& settings_;
  const json::object& schema_;
  std::optional<std::string> fault_;
};

}  // namespace kmcp
