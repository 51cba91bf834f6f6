#include "server/registry/tool_listing.hpp"

namespace kmcp {

json::object tool_listing(const ToolSpec& spec) {
  json::object annotations;
  if (!spec.title.empty()) annotations["title"] = spec.title;
  annotations["readOnlyHint"] = spec.annotations.read_only;
  annotations["destructiveHint"] = spec.annotations.destructive;
  annotations["idempotentHint"] = spec.annotations.idempotent;
  annotations["openWorldHint"] = spec.annotations.open_world;

  json::object listing;
  listing["name"] = spec.name;
  if (!spec.title.empty()) listing["title"] = spec.title;
  listing["description"] = spec.description;
  listing["inputSchema"] = spec.input_schema;
  listing["outputSchema"] = spec.output_schema;
  listing["annotations"] = std::move(annotations);
  return listing;
}

}  // namespace kmcp
