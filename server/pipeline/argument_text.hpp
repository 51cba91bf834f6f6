#pragma once
// How a scalar argument reads in a URL: strings as is, integral numbers without decimals,
// booleans as true/false.
#include <optional>
#include <string_view>
#include <string>

#include "server/core/json.hpp"

namespace kmcp {

// nullopt for null, arrays and objects, which have no single text form.
std::optional<std::string> scalar_text(const json::value& value);

// "profile_ids[3]" for the JSON pointer "/profile_ids/3"; "location.city" for "/location/city".
std::string argument_name_from_pointer(std::string_view pointer);

}  // namespace kmcp
