#pragma once
// JSON for people to read: two-space indent, one member or item per line, so it also diffs
// line by line. Members keep their order.
#include <string>

#include "server/core/json.hpp"

namespace kmcp {

// Without a trailing newline.
std::string pretty_json(const json::value& value);

}  // namespace kmcp
