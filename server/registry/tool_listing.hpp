#pragma once
// The MCP tools/list entry of one tool, built once at load.
#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// {"name", "title"?, "description", "inputSchema", "outputSchema", "annotations": {"title"?,
// "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}}. Aliases stay unlisted.
json::object tool_listing(const ToolSpec& spec);

}  // namespace kmcp
