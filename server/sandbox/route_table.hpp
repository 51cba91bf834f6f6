#pragma once
// The simulated API's routes, read from the tool specs rather than written per endpoint: every
// operation a tool calls becomes a route, and the shape of its path says what it does.
//   /api/{collection}                          GET list, POST create (or an action)
//   /api/{collection}/{id}                     GET, PATCH, DELETE
//   /api/{collection}/{id}/{relation}          GET the related resources
//   /api/{collection}/{id}/relationships/{r}   GET ids, POST add, DELETE remove, PATCH replace
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/rate/rate_limits.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp::sandbox {

enum class RouteKind { list, create, action, get, update, remove, related, relationship_get,
                       relationship_add, relationship_remove, relationship_replace };

struct Route {
  const ToolSpec* spec = nullptr;  // the tool whose operation this is (name, scopes, rate, job)
  std::string method;              // "GET"
  bool client = false;             // under /client: public key (company_id) instead of a private key
  std::string collection;          // "lists"
  std::string type;                // the collection's resource type: "list"
  RouteKind kind = RouteKind::list;
  std::string relation;            // related and relationship routes: "profiles"
  std::string relation_type;       // the type the relation points at: "profile"
  bool has_id = false;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::string id;  // the {id} segment, percent-decoded
};

class RouteTable {
 public:
  explicit RouteTable(const std::vector<std::shared_ptr<const ToolSpec>>& tools);

  // The route for `method` and a percent-decoded `path` ("/api/lists/Y6nRLr"), if any.
  std::optional<RouteMatch> match(std::string_view method, std::string_view path) const;
  // Whether any route has this path, whatever the method (405 rather than 404).
  bool knows_path(std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace kmcp::sandbox
