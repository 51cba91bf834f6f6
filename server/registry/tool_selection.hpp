#pragma once
// Choosing the exposed tools by name: the operator's switches at startup (--toolsets, --tools,
// --exclude-tools, --read-only, --hide-customer-content), then, over HTTP, a session's narrowing
// of that choice, which can only hide more.
#include <boost/system/result.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/registry/tool_exposure.hpp"

namespace kmcp {

// The toolset of the tools curated "core" (the default), and the toolset of every tool.
inline constexpr std::string_view kCoreToolset = "core";
inline constexpr std::string_view kAllToolsets = "all";

struct ToolSelection {
  std::vector<std::string> toolsets;       // toolset names, "core", "all"
  std::vector<std::string> tools;          // tool names or aliases, added to the toolsets' tools
  std::vector<std::string> exclude_tools;  // tool names or aliases, taken away
  bool read_only = false;                  // hides every tool not annotated readOnlyHint; wins over all
  bool hide_customer_content = false;      // hides the tools whose results carry customer-written text
};

// What the lists are called where they came from, so a refusal names what to fix
// (e.g. "--tools (KLAVIYO_MCP_TOOLS)" or "X-MCP-Tools").
struct SelectionLabels {
  std::string toolsets = "toolsets";
  std::string tools = "tools";
  std::string exclude_tools = "exclude_tools";
};

using ExposureResult = boost::system::result<std::shared_ptr<const ToolExposure>, std::string>;

// The tools of `base` that `selection` keeps: those of its toolsets plus its tools (when it names
// neither, all of base), minus its exclusions, minus write tools when read_only, minus customer
// content when hide_customer_content. Never exposes a tool base hides: such a tool keeps base's
// reason. `by_session` marks what this selection hides as a session's doing. A name that is no
// toolset or tool at all is refused with a message naming the valid ones or the close matches.
ExposureResult select_tools(const ToolExposure& base, const ToolSelection& selection, bool by_session,
                            const SelectionLabels& labels);

// "core", "all", then every toolset of the registry, sorted.
std::vector<std::string> toolset_names(const ToolRegistry& registry);

// "a, b ,c" -> {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> split_names(std::string_view text);

// Why `spec` cannot be called, and which switch would expose it: the text of the error a client
// gets when it calls a hidden tool.
std::string hidden_tool_message(const ToolSpec& spec, Hidden hidden);

}  // namespace kmcp
