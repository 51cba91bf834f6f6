#include "server/app/cli_command_options.hpp"

#include "server/registry/tool_selection.hpp"

namespace kmcp {

void add_cli_commands(CLI::App& app, CliCommand& command) {
  // Server flags after a subcommand name (`tools list --read-only`) belong to the app.
  app.fallthrough();
  using Kind = CliCommand::Kind;
  const auto choose = [&command](Kind kind) { return [&command, kind] { command.kind = kind; }; };

  CLI::App* tools = app.add_subcommand("tools", "Look at the tools without serving: list, show, export");
  tools->require_subcommand(1);
  CLI::App* list = tools->add_subcommand("list", "One line per exposed tool: name, title, toolset, access");
  list->add_option("--toolset", command.toolset, "Only these toolsets (comma-separated; replaces --toolsets)");
  list->add_flag("--all", command.all, "Every toolset (same as --toolsets all)");
  list->add_flag("--json", command.json, "A JSON array instead of text");
  list->callback(choose(Kind::tools_list));

  CLI::App* show = tools->add_subcommand("show", "One tool: description, annotations, limits, scopes, input schema");
  show->add_option("name", command.tool, "Tool name or alias")->required();
  show->callback(choose(Kind::tools_show));

  CLI::App* exporter = tools->add_subcommand("export", "The exposed tools as JSON definitions for another framework");
  exporter->add_option("--format", command.format, "openai, anthropic or mcp")
      ->required()
      ->check(CLI::IsMember({"openai", "anthropic", "mcp"}));
  exporter->callback(choose(Kind::tools_export));

  CLI::App* call = app.add_subcommand("call", "Run one tool call and print its result (exit 1 when isError)");
  call->add_option("name", command.tool, "Tool name or alias")->required();
  call->add_option("--args", command.args, "Arguments: a JSON object, @FILE, or - for stdin")->capture_default_str();
  call->callback(choose(Kind::call));
}

void apply_listing_scope(const CliCommand& command, ToolSelectionFlags& flags) {
  if (command.all) flags.toolsets = std::string(kAllToolsets);
  if (!command.toolset.empty()) flags.toolsets = command.toolset;
}

}  // namespace kmcp
