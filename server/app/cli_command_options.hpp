#pragma once
// The helper subcommands on the command line: `tools list|show|export` and `call`. Every
// server flag stays valid before or after them (the selection switches choose what they see).
#include <CLI/CLI.hpp>

#include "server/app/cli_command.hpp"
#include "server/app/tool_selection_options.hpp"

namespace kmcp {

// Adds the subcommands; the parsed one is written to `command`. Call before adding nothing else
// that must reach the subcommands: it makes the app let their arguments fall through to it.
void add_cli_commands(CLI::App& app, CliCommand& command);

// `tools list --toolset X` and `--all` choose the toolsets in place of --toolsets.
void apply_listing_scope(const CliCommand& command, ToolSelectionFlags& flags);

}  // namespace kmcp
