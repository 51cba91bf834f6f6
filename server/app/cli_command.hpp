#pragma once
// What the command line asks of the process: serve MCP (the default, no subcommand), or one of
// the helpers for a person at a terminal or a framework that does not speak MCP.
#include <string>

namespace kmcp {

struct CliCommand {
  enum class Kind { serve, tools_list, tools_show, tools_export, call };
  Kind kind = Kind::serve;
  std::string tool;         // tools show, call: a tool name or alias
  std::string toolset;      // tools list --toolset: replaces --toolsets
  bool all = false;         // tools list --all: every toolset
  bool json = false;        // tools list --json
  std::string format;       // tools export --format: openai, anthropic, mcp
  std::string args = "{}";  // call --args: JSON text, @FILE, or - for stdin
};

}  // namespace kmcp
