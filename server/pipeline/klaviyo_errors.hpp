#pragma once
// Klaviyo's error answers (status >= 400, body {"errors": [...]}) as ToolErrors a model can act
// on: the class from the status, the message from Klaviyo's first error, and its source pointer
// mapped back to our argument names. Headers are never copied.
#include <chrono>
#include <string>
#include <string_view>

#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// Retry-After in whole seconds (Klaviyo sends delta-seconds); 1 when absent or unreadable.
std::chrono::seconds retry_after(const UpstreamResponse& response);

// The argument a Klaviyo source pointer ("/data/attributes/email") or query parameter
// ("page[size]") refers to, or "" when it maps to none.
std::string argument_for_source(const ToolSpec& spec, std::string_view pointer_or_parameter);

// `key_env_var` is named when the private key is rejected.
ToolError map_klaviyo_error(const ToolSpec& spec, const UpstreamResponse& response, std::string_view key_env_var);

}  // namespace kmcp
