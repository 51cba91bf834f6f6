#pragma once
// The two arguments every job-starting tool takes besides Klaviyo's: `wait` (poll the job until
// it ends) and `wait_timeout_seconds`. Added to the inputSchema at load, so the spec files keep
// only what Klaviyo's API has; they never reach the Klaviyo request.
#include <chrono>
#include <optional>
#include <string_view>

#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

inline constexpr std::string_view kWaitArg = "wait";
inline constexpr std::string_view kWaitTimeoutArg = "wait_timeout_seconds";
inline constexpr std::chrono::seconds kDefaultJobWait{60};
inline constexpr std::chrono::seconds kMaxJobWait{600};

// Adds both properties to `input_schema`. Throws std::runtime_error when it already has either.
void add_job_wait_arguments(json::object& input_schema, const JobSpec& job);

// How long the call asks to wait for its job: nullopt unless the tool starts a job and `wait`
// is true. Reads unvalidated arguments safely (an out-of-range timeout is clamped; validation
// refuses it later anyway).
std::optional<std::chrono::seconds> requested_job_wait(const ToolSpec& spec, const json::object& args);

// `args` without the wait arguments, or nullopt when there are none to remove.
std::optional<json::object> without_job_wait_arguments(const ToolSpec& spec, const json::object& args);

}  // namespace kmcp
