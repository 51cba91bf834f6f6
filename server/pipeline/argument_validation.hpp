#pragma once
// Step one of a call: the arguments against the tool's compiled inputSchema, reported in
// argument names a model recognises (profile_ids[3], not /profile_ids/3).
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// A "validation" error about one argument: details {"argument", "violations": [one]}.
ToolError invalid_argument(std::string argument, std::string problem);

// nullopt when `args` satisfy spec.validator (or the spec has none).
std::optional<ToolError> validate_arguments(const ToolSpec& spec, const json::object& args);

}  // namespace kmcp
