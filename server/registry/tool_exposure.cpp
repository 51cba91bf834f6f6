#include "server/registry/tool_exposure.hpp"

namespace kmcp {

ToolExposure::ToolExposure(const ToolRegistry& registry, std::unordered_map<const ToolSpec*, Hidden> hidden)
    : registry_(&registry), hidden_(std::move(hidden)) {
  for (const auto& tool : registry.tools())
    if (!hidden_.contains(tool.get())) listed_.push_back(tool.get());
}

std::shared_ptr<const ToolExposure> ToolExposure::everything(const ToolRegistry& registry) {
  return std::make_shared<const ToolExposure>(registry, std::unordered_map<const ToolSpec*, Hidden>{});
}

std::optional<Hidden> ToolExposure::hidden(const ToolSpec& spec) const {
  auto it = hidden_.find(&spec);
  if (it == hidden_.end()) return std::nullopt;
  return it->second;
}

}  // namespace kmcp
