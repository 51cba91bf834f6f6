#pragma once
// A request that got no HTTP answer (connect, TLS, timeout, reset, cancel) as a ToolError. A
// create that may have reached Klaviyo is reported as "outcome_unknown", never as a plain
// failure, so a model checks before it repeats it.
#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// True for writes that are not safe to repeat blindly: POSTs not marked idempotent (upserts are).
bool is_non_idempotent_write(const ToolSpec& spec);

ToolError map_upstream_failure(const ToolSpec& spec, const UpstreamFailure& failure);

}  // namespace kmcp
