#pragma once
// Walking a JSON Schema (draft-07 keywords) as data: every subschema node, and the nodes that
// apply at one location of an instance. Used to prepare schemas for valijson and to phrase its
// findings in terms of the schema the model was shown.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

// Calls `visit` on `schema` and on every subschema below it (properties, items, allOf, ...).
// Boolean schemas have no keywords and are skipped.
void for_each_subschema(const json::value& schema, const std::function<void(const json::object&)>& visit);
void for_each_subschema(json::value& schema, const std::function<void(json::object&)>& visit);

// The schema nodes that apply to the instance location `path` (property names and array
// indexes from the root), following properties, additionalProperties, items and the branches of
// allOf/anyOf/oneOf. Pointers into `schema`; empty when nothing applies.
std::vector<const json::object*> schemas_at(const json::value& schema, const json::value& instance,
                                            std::span<const std::string> path);

// The value at `path` in `instance`, or nullptr.
const json::value* value_at(const json::value& instance, std::span<const std::string> path);

// RFC 6901: "/a/0/b~1c".
std::string json_pointer(std::span<const std::string> path);

}  // namespace kmcp
