#pragma once
// Turns valijson's findings into messages a model can act on: one clear sentence per problem,
// at a JSON pointer, without the nested "failed to validate item #3" noise.
#include <string>
#include <vector>

#include "server/core/json.hpp"
#include "server/registry/schema_validator.hpp"

namespace kmcp {

// One valijson error: the instance path (property names and indexes from the root, valijson's
// "<root>" and brackets removed) and its description.
struct RawViolation {
  std::vector<std::string> path;
  std::string description;
};

// `schema` and `instance` are what was validated; the schema supplies the facts a message
// needs (expected types, allowed values, limits).
std::vector<SchemaViolation> describe_violations(const json::value& schema, const json::value& instance,
                                                 const std::vector<RawViolation>& raw);

}  // namespace kmcp
