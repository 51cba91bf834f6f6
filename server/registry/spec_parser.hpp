#pragma once
// Reads one spec file's JSON (format: schemas/README.md) into a ToolSpec: every field typed and
// checked for shape, the input schema compiled. Cross-field consistency is spec_checks.hpp.
#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// Throws std::runtime_error naming the faulty field.
ToolSpec parse_tool_spec(const json::object& root);

}  // namespace kmcp
