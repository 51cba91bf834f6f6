#pragma once
// A corrected example for an argument Klaviyo rejected, built from the tool's inputSchema when it
// says enough: a const or enum, a date format, numeric bounds, or a name that fixes the shape
// (an email, an E.164 phone number). Pure.
#include <optional>
#include <string_view>

#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// `argument` as our errors name it: "email", "profiles[0].email", "location.city".
std::optional<json::value> argument_example(const ToolSpec& spec, std::string_view argument);

}  // namespace kmcp
