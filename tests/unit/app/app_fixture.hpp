#pragma once
// The real tool registry, loaded once for the app tests (the helpers show the product's tools),
// and a hand-made spec for exact formatting checks.
#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_listing.hpp"
#include "server/registry/tool_registry.hpp"
#include "server/registry/tool_selection.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

struct RealTools {
  HookTable hooks = make_standard_hooks();
  ToolRegistry registry = ToolRegistry::load(embedded_specs(), hooks);
  std::shared_ptr<const ToolExposure> everything = ToolExposure::everything(registry);

  // The exposure of `toolsets`, e.g. {"core"}.
  std::shared_ptr<const ToolExposure> select(std::vector<std::string> toolsets, bool read_only = false) const {
    auto chosen = select_tools(*everything, ToolSelection{.toolsets = std::move(toolsets), .read_only = read_only},
                               false, SelectionLabels{});
    if (!chosen) throw std::runtime_error(chosen.error());
    return *chosen;
  }
};

inline const RealTools& real_tools() {
  static const RealTools tools;  // loading 345 specs once is enough for every test
  return tools;
}

// A tool with every field the helpers print.
inline ToolSpec sample_spec(std::string name, std::string title, std::string toolset, bool read_only,
                            bool destructive) {
  ToolSpec spec;
  spec.name = std::move(name);
  spec.title = std::move(title);
  spec.toolset = std::move(toolset);
  spec.description = "Does the thing to " + spec.name + ".";
  spec.annotations = Annotations{.read_only = read_only, .destructive = destructive, .idempotent = read_only};
  spec.scopes = {spec.toolset + (read_only ? ":read" : ":write")};
  spec.rate = BucketRef{.key = spec.name, .limits = WindowLimits{.per_second = 10, .per_minute = 150}};
  spec.input_schema = {{"type", "object"},
                       {"properties", {{"list_id", {{"type", "string"}, {"description", "The list."}}}}},
                       {"required", json::array{"list_id"}}};
  spec.listing = tool_listing(spec);
  return spec;
}

}  // namespace kmcp::test
