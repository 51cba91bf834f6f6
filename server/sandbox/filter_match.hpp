#pragma once
// Klaviyo's `filter` query parameter, parsed and applied to stored resources the way the API
// reads it: equals(email,"a@b.c"), any(id,["a","b"]), greater-than(datetime,2024-01-01T00:00:00Z),
// contains(tags,"x"), has(...), and(...), or(...), not(...). Fields are attributes (dotted paths),
// "id", or a relationship's id ("metric_id", "coupon.id", "profile").
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "server/sandbox/resource_store.hpp"

namespace kmcp::sandbox {

class ResourceFilter {
 public:
  // The parsed expression, or the reason it cannot be read (for a 400 that says where).
  static std::variant<ResourceFilter, std::string> parse(std::string_view expression);

  bool matches(const Resource& resource) const;

  struct Node;

 private:
  explicit ResourceFilter(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const Node> root_;
};

// The value a filter field names on `resource`, or nullopt when it has none.
std::optional<json::value> filter_field_value(const Resource& resource, std::string_view field);

}  // namespace kmcp::sandbox
