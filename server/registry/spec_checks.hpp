#pragma once
// Consistency of one parsed spec with itself and with the hook table: every argument the
// request or a hook uses is declared, every declared argument is used, path placeholders are
// mapped, annotations agree with the HTTP method. Startup refuses a spec that fails any.
#include "server/registry/tool_spec.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp {

// Throws std::runtime_error naming the fault.
void check_tool_spec(const ToolSpec& spec, const HookTable& hooks);

}  // namespace kmcp
