#pragma once
// The rate buckets one call draws from: the endpoint's own, plus each conditional bucket whose
// argument value is used (e.g. include=list on a profile read).
#include <vector>

#include "server/core/json.hpp"
#include "server/rate/rate_limits.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

std::vector<BucketRef> rate_buckets(const ToolSpec& spec, const json::object& args);

}  // namespace kmcp
