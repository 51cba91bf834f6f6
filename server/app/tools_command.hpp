#pragma once
// `klaviyo-mcp tools list|show|export`: the tools as a person or another framework wants to see
// them, without serving. The formatting is pure; run_tools_command only picks and prints.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "server/app/cli_command.hpp"
#include "server/core/json.hpp"
#include "server/registry/tool_exposure.hpp"

namespace kmcp {

// One line per tool, in columns: name, title, toolset, access (read-only, write, destructive).
std::string tool_lines(const std::vector<const ToolSpec*>& tools);
// The same as a JSON array of {name, title, toolset, readOnly, destructive, aliases}.
json::array tool_summaries(const std::vector<const ToolSpec*>& tools);

// Everything about one tool: title, toolset, aliases, annotations, rate limits, scopes, auth,
// whether the switches expose it (and if not, why and what would), job polling, the description,
// and the input schema pretty-printed.
std::string tool_details(const ToolSpec& spec, std::optional<Hidden> hidden);

// "unknown tool 'X' (did you mean a or b?)", or naming the toolset when X is one.
std::string unknown_tool_message(const ToolRegistry& registry, std::string_view name);

// Runs a tools_* command. Returns the exit code: 0, or 2 for an unknown tool (message on err).
int run_tools_command(const CliCommand& command, const ToolExposure& exposure, std::ostream& out,
                      std::ostream& err);

}  // namespace kmcp
