#pragma once
// JSON:API resources as lean records: {type, id, ...attributes, relationships: {name: id | [ids]}},
// links dropped, null and empty values left out, relationships without data dropped. Resources
// from `included` are shown once: in place of the id where exactly one record refers to them,
// otherwise under a map keyed "type:id". Pure: no I/O.
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

// Relationships as ids, nothing inlined.
json::object flatten_resource(const json::object& resource);

// "type:id" of a resource or resource identifier; "" when either is missing.
std::string resource_key(const json::object& resource);

// The `included` resources of one or more documents, each kept once.
class IncludedPool {
 public:
  void add(const json::value& included);  // an `included` array; anything else is ignored
  const json::object* find(std::string_view key) const;
  const std::vector<std::string>& keys() const { return order_; }

 private:
  std::unordered_map<std::string, json::object> by_key_;
  std::vector<std::string> order_;
};

struct FlattenedRecords {
  json::array records;
  json::object shared;  // "type:id" -> related resource referred to more than once (or only by another)
};

// `records` flattened, with the related resources of `pool` they reach (directly, or through
// another included resource) shown exactly once.
FlattenedRecords flatten_with_included(std::span<const json::object* const> records, const IncludedPool& pool);

}  // namespace kmcp
