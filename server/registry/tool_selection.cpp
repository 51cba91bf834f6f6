#include "server/registry/tool_selection.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "server/core/text_join.hpp"
#include "server/registry/name_suggestions.hpp"

namespace kmcp {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Checks every name against what exists; collects one complaint per unknown name.
class NameCheck {
 public:
  NameCheck(const ToolRegistry& registry, const SelectionLabels& labels)
      : registry_(registry), labels_(labels), toolsets_(toolset_names(registry)) {}

  void toolset(const std::string& name) {
    if (contains(toolsets_, name)) return;
    std::string text = labels_.toolsets + ": unknown toolset '" + name + "'";
    if (registry_.find(name)) text += " ('" + name + "' is a tool: name it in " + labels_.tools + ")";
    else text += " (the toolsets are " + join(toolsets_) + ")";
    complaints_.push_back(std::move(text));
  }

  // A tool in `label`; returns it when it exists.
  const ToolSpec* tool(const std::string& name, const std::string& label) {
    if (const ToolSpec* spec = registry_.find(name)) return spec;
    std::string text = label + ": unknown tool '" + name + "'";
    if (contains(toolsets_, name)) {
      text += " ('" + name + "' is a toolset: name it in " + labels_.toolsets + ")";
    } else if (const auto near = close_matches(name, tool_names()); !near.empty()) {
      text += " (did you mean " + join(near, " or ") + "?)";
    }
    complaints_.push_back(std::move(text));
    return nullptr;
  }

  bool failed() const { return !complaints_.empty(); }
  std::string message() const { return join(complaints_, "; "); }

 private:
  const ToolRegistry& registry_;
  const SelectionLabels& labels_;
  std::vector<std::string> toolsets_;
  std::vector<std::string> complaints_;

  // Only a misspelt name needs them.
  std::vector<std::string> tool_names() const {
    std::vector<std::string> names;
    for (const auto& tool : registry_.tools()) names.push_back(tool->name);
    return names;
  }
};

bool in_toolset(const ToolSpec& spec, const std::string& toolset) {
  return toolset == kAllToolsets || (toolset == kCoreToolset && spec.core) || toolset == spec.toolset;
}

}  // namespace

ExposureResult select_tools(const ToolExposure& base, const ToolSelection& selection, bool by_session,
                            const SelectionLabels& labels) {
  const ToolRegistry& registry = base.registry();
  NameCheck check(registry, labels);
  for (const auto& name : selection.toolsets) check.toolset(name);
  std::unordered_set<const ToolSpec*> added, excluded;
  for (const auto& name : selection.tools)
    if (const ToolSpec* spec = check.tool(name, labels.tools)) added.insert(spec);
  for (const auto& name : selection.exclude_tools)
    if (const ToolSpec* spec = check.tool(name, labels.exclude_tools)) excluded.insert(spec);
  if (check.failed()) return check.message();

  const bool picks = !selection.toolsets.empty() || !selection.tools.empty();
  const auto picked = [&](const ToolSpec& spec) {
    if (!picks || added.contains(&spec)) return true;
    return std::any_of(selection.toolsets.begin(), selection.toolsets.end(),
                       [&](const std::string& toolset) { return in_toolset(spec, toolset); });
  };

  std::unordered_map<const ToolSpec*, Hidden> hidden;
  for (const auto& tool : registry.tools()) {
    const ToolSpec& spec = *tool;
    if (auto before = base.hidden(spec)) {
      hidden.emplace(&spec, *before);
      continue;
    }
    // The strongest reason first: read-only wins over every way of asking for a tool.
    std::optional<HiddenReason> reason;
    if (selection.read_only && !spec.annotations.read_only) reason = HiddenReason::read_only;
    else if (selection.hide_customer_content && spec.customer_content) reason = HiddenReason::customer_content;
    else if (excluded.contains(&spec)) reason = HiddenReason::excluded;
    else if (!picked(spec)) reason = HiddenReason::not_selected;
    if (reason) hidden.emplace(&spec, Hidden{*reason, by_session});
  }
  return std::make_shared<const ToolExposure>(registry, std::move(hidden));
}

std::vector<std::string> toolset_names(const ToolRegistry& registry) {
  std::set<std::string> toolsets;
  for (const auto& tool : registry.tools()) toolsets.insert(tool->toolset);
  std::vector<std::string> names{std::string(kCoreToolset), std::string(kAllToolsets)};
  names.insert(names.end(), toolsets.begin(), toolsets.end());
  return names;
}

std::vector<std::string> split_names(std::string_view text) {
  std::vector<std::string> names;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    item = item.substr(first, item.find_last_not_of(" \t") - first + 1);
    names.emplace_back(item);
  }
  return names;
}

std::string hidden_tool_message(const ToolSpec& spec, Hidden hidden) {
  const std::string tool = "Tool '" + spec.name + "'";
  if (!hidden.by_session) {
    switch (hidden.reason) {
      case HiddenReason::read_only:
        return tool + " writes to Klaviyo, and this server runs read-only (--read-only, KLAVIYO_MCP_READ_ONLY): "
                      "no switch enables a write tool while read-only is on.";
      case HiddenReason::customer_content:
        return tool + " returns customer-written text, and this server hides such tools "
                      "(--hide-customer-content, KLAVIYO_MCP_HIDE_CUSTOMER_CONTENT).";
      case HiddenReason::excluded:
        return tool + " exists but the server's operator excluded it (--exclude-tools, KLAVIYO_MCP_EXCLUDE_TOOLS).";
      case HiddenReason::not_selected:
        return tool + " exists but is not enabled on this server: enable its toolset with --toolsets " + spec.toolset +
               " (KLAVIYO_MCP_TOOLSETS), or the tool alone with --tools " + spec.name + " (KLAVIYO_MCP_TOOLS).";
    }
  }
  switch (hidden.reason) {
    case HiddenReason::read_only:
      return tool + " writes to Klaviyo, and this session was started read-only (X-MCP-Readonly, ?read_only=).";
    case HiddenReason::customer_content:
      return tool + " returns customer-written text, and this session hides such tools.";
    case HiddenReason::excluded:
      return tool + " exists but this session excluded it (X-MCP-Exclude-Tools, ?exclude_tools=).";
    case HiddenReason::not_selected:
      break;
  }
  return tool + " exists but is not in this session's tools: start a new session with toolset " + spec.toolset +
         " in X-MCP-Toolsets (?toolsets=) or the tool in X-MCP-Tools (?tools=).";
}

}  // namespace kmcp
