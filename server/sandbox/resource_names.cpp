#include "server/sandbox/resource_names.hpp"

#include <map>

namespace kmcp::sandbox {
namespace {

std::string singular(std::string_view name) {
  if (name.ends_with("ies")) return std::string(name.substr(0, name.size() - 3)) + "y";
  if (name.ends_with("ss")) return std::string(name);
  if (name.ends_with("s")) return std::string(name.substr(0, name.size() - 1));
  return std::string(name);
}

bool starts_with_catalog(std::string_view type) { return type.starts_with("catalog-"); }

}  // namespace

std::string collection_type(std::string_view collection) { return singular(collection); }

std::string related_type(std::string_view owner_type, std::string_view relation) {
  static const std::map<std::string_view, std::string_view> kExceptions = {
      {"flow-triggers", "flow"},
      {"current-schema", "object-schema"},
      {"draft-schema", "object-schema"},
      {"profile-object-schemas", "profile-object-schema"},
      {"conversation", "conversation"},
  };
  if (const auto it = kExceptions.find(relation); it != kExceptions.end()) return std::string(it->second);
  // Inside the catalog, "items", "categories" and "variants" are catalog resources.
  if (starts_with_catalog(owner_type) && (relation == "items" || relation == "categories" || relation == "variants"))
    return "catalog-" + singular(relation);
  return singular(relation);
}

bool relation_is_many(std::string_view relation) {
  return relation.ends_with("s") && relation != "current-schema" && relation != "draft-schema";
}

}  // namespace kmcp::sandbox
