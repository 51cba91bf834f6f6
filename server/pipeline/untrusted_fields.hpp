#pragma once
// Attributes whose text is written by end customers (a profile's name and custom properties, an
// event's properties, a review), not by the account's staff: a model must read it as data, never
// follow it as instructions. A result that carries any of them says so, naming them, under
// "untrusted_content". The list is data: add a (type, attribute) pair to cover another field.
#include <optional>
#include <span>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

struct UntrustedField {
  std::string_view type;       // JSON:API resource type, e.g. "profile"
  std::string_view attribute;  // flattened attribute name, e.g. "properties"
};

std::span<const UntrustedField> untrusted_fields();

// {"fields": ["profile.properties", ...], "note": "..."} when any resource in `shaped` (records,
// inlined and shared related resources) carries one of the fields; nullopt otherwise.
std::optional<json::object> untrusted_note(const json::value& shaped);

}  // namespace kmcp
