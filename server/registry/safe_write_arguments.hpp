#pragma once
// The arguments every write tool takes besides Klaviyo's: `dry_run` (describe the request,
// send nothing) on every tool not annotated readOnlyHint, and `confirmation_token` (the proof
// that a human agreed) on every tool annotated destructiveHint. Added to the inputSchema at
// load, like the job wait arguments, so the spec files keep only what Klaviyo's API has; they
// never reach a hook or the Klaviyo request.
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

inline constexpr std::string_view kDryRunArg = "dry_run";
inline constexpr std::string_view kConfirmationTokenArg = "confirmation_token";

// Adds `dry_run` to write tools and `confirmation_token` to destructive ones. Throws
// std::runtime_error when the schema already has either.
void add_safe_write_arguments(json::object& input_schema, const Annotations& annotations);

// True when a write tool's call asks for a dry run (`dry_run: true`).
bool requested_dry_run(const ToolSpec& spec, const json::object& args);

// The token a destructive tool's call carries, or nullopt.
std::optional<std::string> given_confirmation_token(const ToolSpec& spec, const json::object& args);

// `args` without `dry_run` and `confirmation_token`, or nullopt when there are none to remove.
std::optional<json::object> without_safe_write_arguments(const ToolSpec& spec, const json::object& args);

}  // namespace kmcp
