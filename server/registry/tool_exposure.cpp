#include "server/registry/tool_exposure.hpp"

#include <algorithm>

namespace kmcp {

ToolExposure::ToolExposure(const ToolRegistry& registry, std::unordered_map<const ToolSpec*, Hidden> hidden)
    : registry_(&registry), hidden_(std::move(hidden)) {
  for (const auto& tool : registry.tools())
    if (!hidden_.contains(tool.get())) listed_.push_back(tool.get());
}

std::shared_ptr<const ToolExposure> ToolExposure::everything(const ToolRegistry& registry) {
  return std::make_shared<const ToolExposure>(registry, std::unordered_map<const ToolSpec*, Hidden>{});
}

std::shared_ptr<const std::string> ToolExposure::listing_page(std::size_t offset, std::size_t size) const {
  const std::lock_guard lock(pages_mutex_);
  auto& page = pages_[{offset, size}];
  if (page) return page;
  json::array listings;
  const std::size_t end = std::min(listed_.size(), offset + size);
  for (std::size_t i = offset; i < end; ++i) listings.push_back(listed_[i]->listing);
  json::object result{{"tools", std::move(listings)}};
  if (end < listed_.size()) result["nextCursor"] = std::to_string(end);
  page = std::make_shared<const std::string>(json::serialize(result));
  return page;
}

std::optional<Hidden> ToolExposure::hidden(const ToolSpec& spec) const {
  auto it = hidden_.find(&spec);
  if (it == hidden_.end()) return std::nullopt;
  return it->second;
}

}  // namespace kmcp
