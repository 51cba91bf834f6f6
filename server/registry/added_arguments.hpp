#pragma once
// The one way the server adds arguments of its own (wait, dry_run, max_items, ...) to a tool's
// inputSchema at load: a spec that already declares one of them is refused, since the server
// would strip it before Klaviyo saw it.
#include <initializer_list>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

// inputSchema.properties (created when absent), after checking that none of `names` is there.
// Throws std::runtime_error naming the clash and `added_to` ("job-starting tools", ...).
json::object& properties_for_added_arguments(json::object& input_schema, std::initializer_list<std::string_view> names,
                                             std::string_view added_to);

}  // namespace kmcp
