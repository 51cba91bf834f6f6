#include "server/app/export_formats.hpp"

namespace kmcp {
namespace {

json::object openai_function(const ToolSpec& spec) {
  json::object function;
  function["name"] = spec.name;
  function["description"] = spec.description;
  function["parameters"] = spec.input_schema;
  return {{"type", "function"}, {"function", std::move(function)}};
}

json::object anthropic_tool(const ToolSpec& spec) {
  return {{"name", spec.name}, {"description", spec.description}, {"input_schema", spec.input_schema}};
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "openai") return ExportFormat::openai;
  if (name == "anthropic") return ExportFormat::anthropic;
  if (name == "mcp") return ExportFormat::mcp;
  return std::nullopt;
}

json::array export_tools(const std::vector<const ToolSpec*>& tools, ExportFormat format) {
  json::array out;
  out.reserve(tools.size());
  for (const ToolSpec* spec : tools) {
    switch (format) {
      case ExportFormat::openai: out.push_back(openai_function(*spec)); break;
      case ExportFormat::anthropic: out.push_back(anthropic_tool(*spec)); break;
      case ExportFormat::mcp: out.push_back(spec->listing); break;
    }
  }
  return out;
}

}  // namespace kmcp
