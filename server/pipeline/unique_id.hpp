#pragma once
// Deduplication keys for creates: a tool whose JSON:API body has a `unique_id` attribute (e.g.
// create_event) makes Klaviyo keep one record per key, so sending the same key twice cannot
// duplicate. Decided from the spec's body attributes, not per tool.
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// The argument that carries data.attributes.unique_id, or "" when the body has none.
std::string unique_id_argument(const ToolSpec& spec);

// A random (version 4) UUID in its 36-character lower-case text form.
std::string uuid_v4(RandomSource& random);

struct UniqueId {
  std::string argument;    // e.g. "unique_id"
  std::string value;
  bool generated = false;  // we made it up because the caller gave none
};

// Makes sure `args` carries a unique id when the tool takes one: the caller's is kept, else one
// is generated into `args`. nullopt for tools without one.
std::optional<UniqueId> ensure_unique_id(const ToolSpec& spec, json::object& args, RandomSource& random);

}  // namespace kmcp
