#pragma once
// A request that got no usable answer (connect, TLS, timeout, reset, cancel, or a 5xx to a
// create) as a ToolError. A create that may have reached Klaviyo is reported as
// "outcome_unknown", never as a plain failure, so a model checks before it repeats it.
#include <string>

#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// True for writes that are not safe to repeat blindly (see safe_to_repeat()).
bool is_non_idempotent_write(const ToolSpec& spec);

// `check_with`: the tool that shows whether such a write took effect (ToolRoutes::lister_of),
// named in outcome_unknown errors when known.
ToolError map_upstream_failure(const ToolSpec& spec, const UpstreamFailure& failure,
                               const ToolSpec* check_with = nullptr);

// kind "outcome_unknown": `what` happened (a sentence start, e.g. "Klaviyo answered HTTP 503 to
// the create"), so the write may or may not have taken effect and repeating it could duplicate
// it. Says how to check first.
ToolError outcome_unknown_error(const std::string& what, const ToolSpec* check_with);

}  // namespace kmcp
