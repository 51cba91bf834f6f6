#pragma once
// Step two of a call: the named hooks a spec lists, in order; the first failure wins.
#include <optional>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/registry/tool_spec.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp {

std::optional<ToolError> check_preconditions(const ToolSpec& spec, const HookTable& hooks, const json::object& args);

}  // namespace kmcp
