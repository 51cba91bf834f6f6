#pragma once
// Tool definitions for frameworks that do not speak MCP: OpenAI function calling, Anthropic tool
// use, and MCP's own tools/list entries (for clients that take a static list).
#include <optional>
#include <string_view>
#include <vector>

#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

enum class ExportFormat { openai, anthropic, mcp };

std::optional<ExportFormat> parse_export_format(std::string_view name);

// One definition per tool, in order:
//   openai:    {"type": "function", "function": {"name", "description", "parameters"}}
//              (not strict mode: the schemas use optional properties and open shapes)
//   anthropic: {"name", "description", "input_schema"}
//   mcp:       the tools/list entry (name, title, description, inputSchema, outputSchema, annotations)
json::array export_tools(const std::vector<const ToolSpec*>& tools, ExportFormat format);

}  // namespace kmcp
