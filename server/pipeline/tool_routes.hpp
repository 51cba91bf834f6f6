#pragma once
// Which tool serves a route (HTTP method and path template), so an error about one tool can
// name another: the list tool that shows whether a create took effect.
#include <boost/beast/http/verb.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/registry/tool_spec.hpp"

namespace kmcp {

class ToolRoutes {
 public:
  ToolRoutes() = default;  // knows no tool
  // The specs must outlive this (the registry's do).
  explicit ToolRoutes(const std::vector<std::shared_ptr<const ToolSpec>>& tools);

  // The tool for `method` on `path` (a template, e.g. "/api/lists"), or nullptr.
  const ToolSpec* find(boost::beast::http::verb method, std::string_view path) const;

  // The read on the path `create` posts to ("get_events" for create_event), which shows whether
  // the create took effect; nullptr when there is none (e.g. client-side endpoints).
  const ToolSpec* lister_of(const ToolSpec& create) const;

 private:
  std::map<std::pair<boost::beast::http::verb, std::string>, const ToolSpec*, std::less<>> routes_;
};

}  // namespace kmcp
