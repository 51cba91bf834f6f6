#include "server/app/tools_command.hpp"

#include <algorithm>
#include <sstream>

#include "server/app/export_formats.hpp"
#include "server/core/json_pretty.hpp"
#include "server/core/text_join.hpp"
#include "server/registry/name_suggestions.hpp"
#include "server/registry/tool_selection.hpp"

namespace kmcp {
namespace {

std::string_view access(const ToolSpec& spec) {
  if (spec.annotations.read_only) return "read-only";
  return spec.annotations.destructive ? "destructive" : "write";
}

std::string limits_text(const WindowLimits& limits) {
  std::string text = std::to_string(limits.per_second) + "/s, " + std::to_string(limits.per_minute) + "/min";
  if (limits.per_day) text += ", " + std::to_string(*limits.per_day) + "/day";
  return text;
}

std::string annotations_text(const Annotations& a) {
  std::vector<std::string> marks{a.read_only ? "read-only" : "writes"};
  if (a.destructive) marks.push_back("destructive");
  if (a.idempotent) marks.push_back("idempotent");
  if (a.open_world) marks.push_back("open-world");
  return join(marks);
}

void pad_to(std::ostream& out, std::string_view text, std::size_t width) {
  out << text << std::string(width - text.size() + 2, ' ');
}

}  // namespace

std::string tool_lines(const std::vector<const ToolSpec*>& tools) {
  std::size_t name_width = 0, title_width = 0, toolset_width = 0;
  for (const ToolSpec* spec : tools) {
    name_width = std::max(name_width, spec->name.size());
    title_width = std::max(title_width, spec->title.size());
    toolset_width = std::max(toolset_width, spec->toolset.size());
  }
  std::ostringstream out;
  for (const ToolSpec* spec : tools) {
    pad_to(out, spec->name, name_width);
    pad_to(out, spec->title, title_width);
    pad_to(out, spec->toolset, toolset_width);
    out << access(*spec) << "\n";
  }
  return out.str();
}

json::array tool_summaries(const std::vector<const ToolSpec*>& tools) {
  json::array out;
  for (const ToolSpec* spec : tools) {
    json::array aliases(spec->aliases.begin(), spec->aliases.end());
    out.push_back(json::object{{"name", spec->name},
                               {"title", spec->title},
                               {"toolset", spec->toolset},
                               {"readOnly", spec->annotations.read_only},
                               {"destructive", spec->annotations.destructive},
                               {"aliases", std::move(aliases)}});
  }
  return out;
}

std::string tool_details(const ToolSpec& spec, std::optional<Hidden> hidden) {
  std::ostringstream out;
  out << spec.name << (spec.title.empty() ? "" : " - " + spec.title) << "\n\n";
  out << "toolset:      " << spec.toolset << (spec.core ? " (core)" : "") << "\n";
  if (!spec.aliases.empty()) out << "aliases:      " << join(spec.aliases) << "\n";
  out << "annotations:  " << annotations_text(spec.annotations) << "\n";
  out << "rate limits:  " << limits_text(spec.rate.limits) << "\n";
  for (const auto& extra : spec.conditional_rates)
    out << "              plus " << limits_text(extra.bucket.limits) << " (" << extra.bucket.key << ") when "
        << extra.arg << " has " << extra.value << "\n";
  out << "scopes:       " << (spec.scopes.empty() ? "(none)" : join(spec.scopes)) << "\n";
  out << "auth:         " << (spec.public_key_auth ? "public key (KLAVIYO_PUBLIC_KEY)" : "private key (KLAVIYO_API_KEY)")
      << "\n";
  if (spec.job) out << "job:          takes wait: true; polls " << spec.job->poll_tool << "\n";
  out << "exposed:      " << (hidden ? "no: " + hidden_tool_message(spec, *hidden) : std::string("yes")) << "\n";
  out << "\n" << spec.description << "\n\ninput schema:\n" << pretty_json(spec.input_schema) << "\n";
  return out.str();
}

std::string unknown_tool_message(const ToolRegistry& registry, std::string_view name) {
  std::string text = "unknown tool '" + std::string(name) + "'";
  const auto toolsets = toolset_names(registry);
  if (std::find(toolsets.begin(), toolsets.end(), name) != toolsets.end())
    return text + " ('" + std::string(name) + "' is a toolset: see `klaviyo-mcp tools list --toolset " +
           std::string(name) + "`)";
  std::vector<std::string> names;
  for (const auto& tool : registry.tools()) names.push_back(tool->name);
  if (const auto near = close_matches(name, names); !near.empty()) text += " (did you mean " + join(near, " or ") + "?)";
  return text;
}

int run_tools_command(const CliCommand& command, const ToolExposure& exposure, std::ostream& out,
                      std::ostream& err) {
  switch (command.kind) {
    case CliCommand::Kind::tools_list:
      if (command.json) out << pretty_json(tool_summaries(exposure.listed())) << "\n";
      else out << tool_lines(exposure.listed());
      return 0;
    case CliCommand::Kind::tools_show: {
      const ToolSpec* spec = exposure.registry().find(command.tool);
      if (!spec) {
        err << unknown_tool_message(exposure.registry(), command.tool) << "\n";
        return 2;
      }
      out << tool_details(*spec, exposure.hidden(*spec));
      return 0;
    }
    case CliCommand::Kind::tools_export: {
      const auto format = parse_export_format(command.format);
      if (!format) {
        err << "--format: expected openai, anthropic or mcp; got '" << command.format << "'\n";
        return 2;
      }
      out << pretty_json(export_tools(exposure.listed(), *format)) << "\n";
      return 0;
    }
    default:
      err << "not a tools command\n";
      return 2;
  }
}

}  // namespace kmcp
