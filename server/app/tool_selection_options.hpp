#pragma once
// The operator's switches that choose the exposed tools: --toolsets, --tools, --exclude-tools,
// --read-only, --hide-customer-content and their KLAVIYO_MCP_* variables. They fill a
// ToolSelection, plain data checked against the registry at startup, so another source (a config
// file) can fill the same struct.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "server/registry/tool_selection.hpp"

namespace kmcp {

// What the switches read, before splitting the name lists.
struct ToolSelectionFlags {
  std::string toolsets = std::string(kCoreToolset);
  std::string tools;
  std::string exclude_tools;
  bool read_only = false;
  bool hide_customer_content = false;
};

void add_tool_selection_options(CLI::App& app, ToolSelectionFlags& flags);

// The selection, or a message for stderr when the flags cannot make one.
struct ParsedSelection {
  std::optional<ToolSelection> selection;
  std::string error;
};
ParsedSelection parse_tool_selection(const ToolSelectionFlags& flags);

// The names of the switches, for refusals of unknown toolsets and tools.
SelectionLabels operator_selection_labels();

}  // namespace kmcp
