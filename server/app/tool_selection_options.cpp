#include "server/app/tool_selection_options.hpp"

namespace kmcp {

void add_tool_selection_options(CLI::App& app, ToolSelectionFlags& flags) {
  app.add_option("--toolsets", flags.toolsets,
                 "Comma-separated toolsets to expose: core (the common jobs), all, or toolset names")
      ->envname("KLAVIYO_MCP_TOOLSETS")
      ->capture_default_str();
  app.add_option("--tools", flags.tools, "Comma-separated tools (names or aliases) to expose besides the toolsets")
      ->envname("KLAVIYO_MCP_TOOLS");
  app.add_option("--exclude-tools", flags.exclude_tools, "Comma-separated tools (names or aliases) not to expose")
      ->envname("KLAVIYO_MCP_EXCLUDE_TOOLS");
  app.add_flag("--read-only", flags.read_only, "Expose no tool that writes to Klaviyo, whatever else is asked")
      ->envname("KLAVIYO_MCP_READ_ONLY");
  app.add_flag("--hide-customer-content", flags.hide_customer_content,
                "Hide the tools whose results carry customer-written text (profiles, reviews, forms, ...)")
      ->envname("KLAVIYO_MCP_HIDE_CUSTOMER_CONTENT");
}

ParsedSelection parse_tool_selection(const ToolSelectionFlags& flags) {
  ToolSelection selection{
      .toolsets = split_names(flags.toolsets),
      .tools = split_names(flags.tools),
      .exclude_tools = split_names(flags.exclude_tools),
      .read_only = flags.read_only,
      .hide_customer_content = flags.hide_customer_content,
  };
  // An empty list would mean "no choice", which for a selection is every tool: refuse it.
  if (selection.toolsets.empty())
    return {std::nullopt, "--toolsets: name at least one toolset (core, all, or a toolset such as lists)"};
  return {std::move(selection), ""};
}

SelectionLabels operator_selection_labels() {
  return SelectionLabels{.toolsets = "--toolsets (KLAVIYO_MCP_TOOLSETS)",
                         .tools = "--tools (KLAVIYO_MCP_TOOLS)",
                         .exclude_tools = "--exclude-tools (KLAVIYO_MCP_EXCLUDE_TOOLS)"};
}

}  // namespace kmcp
