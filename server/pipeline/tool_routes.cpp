#include "server/pipeline/tool_routes.hpp"

namespace kmcp {

ToolRoutes::ToolRoutes(const std::vector<std::shared_ptr<const ToolSpec>>& tools) {
  for (const auto& tool : tools) routes_.emplace(std::make_pair(tool->method, tool->path), tool.get());
}

const ToolSpec* ToolRoutes::find(boost::beast::http::verb method, std::string_view path) const {
  const auto it = routes_.find(std::make_pair(method, std::string(path)));
  return it == routes_.end() ? nullptr : it->second;
}

const ToolSpec* ToolRoutes::lister_of(const ToolSpec& create) const {
  return find(boost::beast::http::verb::get, create.path);
}

}  // namespace kmcp
