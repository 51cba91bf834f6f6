#include "server/sandbox/route_table.hpp"

#include <boost/beast/http/verb.hpp>

#include "server/sandbox/resource_names.hpp"

namespace kmcp::sandbox {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return parts;
}

bool is_placeholder(std::string_view segment) { return segment.starts_with('{') && segment.ends_with('}'); }

RouteKind kind_of(std::string_view method, std::size_t depth, bool relationships, const ToolSpec& spec) {
  if (depth == 1) {
    if (method == "GET") return RouteKind::list;
    // A POST that makes one resource of the collection's own type creates it; any other POST
    // (an import, a job, a report, a render) is an action with semantics of its own.
    return spec.body.kind == BodySpec::Kind::resource && !spec.job ? RouteKind::create : RouteKind::action;
  }
  if (depth == 2) {
    if (method == "GET") return RouteKind::get;
    if (method == "DELETE") return RouteKind::remove;
    return RouteKind::update;
  }
  if (!relationships) return RouteKind::related;
  if (method == "GET") return RouteKind::relationship_get;
  if (method == "POST") return RouteKind::relationship_add;
  if (method == "DELETE") return RouteKind::relationship_remove;
  return RouteKind::relationship_replace;
}

}  // namespace

RouteTable::RouteTable(const std::vector<std::shared_ptr<const ToolSpec>>& tools) {
  for (const auto& tool : tools) {
    const ToolSpec& spec = *tool;
    const auto parts = split_path(spec.path);
    if (parts.size() < 2 || (parts[0] != "api" && parts[0] != "client")) continue;
    Route route;
    route.spec = &spec;
    route.method = std::string(boost::beast::http::to_string(spec.method));
    route.client = parts[0] == "client";
    route.collection = std::string(parts[1]);
    route.type = collection_type(parts[1]);
    const std::size_t depth = parts.size() - 1;
    route.has_id = depth >= 2 && is_placeholder(parts[2]);
    const bool relationships = depth == 4 && parts[3] == "relationships";
    if (depth >= 3 && !route.has_id) continue;
    if (depth > 4 || (depth == 4 && !relationships)) continue;
    route.kind = kind_of(route.method, depth, relationships, spec);
    if (depth >= 3) {
      route.relation = std::string(parts[depth]);
      route.relation_type = related_type(route.type, route.relation);
    }
    routes_.push_back(std::move(route));
  }
}

std::optional<RouteMatch> RouteTable::match(std::string_view method, std::string_view path) const {
  const auto parts = split_path(path);
  if (parts.size() < 2) return std::nullopt;
  for (const Route& route : routes_) {
    if (route.method != method) continue;
    if (parts[0] != (route.client ? "client" : "api") || parts[1] != route.collection) continue;
    const std::size_t depth = parts.size() - 1;
    const std::size_t route_depth =
        !route.has_id ? 1 : route.relation.empty() ? 2 : route.kind == RouteKind::related ? 3 : 4;
    if (depth != route_depth) continue;
    if (depth == 3 && parts[3] != route.relation) continue;
    if (depth == 4 && (parts[3] != "relationships" || parts[4] != route.relation)) continue;
    return RouteMatch{&route, route.has_id ? std::string(parts[2]) : std::string()};
  }
  return std::nullopt;
}

bool RouteTable::knows_path(std::string_view path) const {
  for (const char* method : {"GET", "POST", "PATCH", "DELETE", "PUT"})
    if (match(method, path)) return true;
  return false;
}

}  // namespace kmcp::sandbox
