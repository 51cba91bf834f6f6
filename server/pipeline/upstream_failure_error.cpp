#include "server/pipeline/upstream_failure_error.hpp"

#include "server/pipeline/retry_policy.hpp"

namespace kmcp {

bool is_non_idempotent_write(const ToolSpec& spec) { return !safe_to_repeat(spec); }

ToolError outcome_unknown_error(const std::string& what, const ToolSpec* check_with) {
  ToolError error{"outcome_unknown",
                  what + ", so it may or may not have taken effect; it was not repeated, to avoid a duplicate. "};
  if (check_with) {
    error.message += "Check with " + check_with->name +
                     " (filter or sort by creation time) whether it exists before calling again.";
    error.details["check_with"] = check_with->name;
  } else {
    error.message += "Check first (for example list or get the resource) before calling again.";
  }
  return error;
}

ToolError map_upstream_failure(const ToolSpec& spec, const UpstreamFailure& failure, const ToolSpec* check_with) {
  using Kind = UpstreamFailure::Kind;
  const std::string what = std::string(to_string(failure.kind)) + (failure.message.empty() ? "" : ": " + failure.message);
  ToolError error;
  if (failure.kind == Kind::cancelled) {
    error = {"cancelled", "The call was cancelled before Klaviyo answered."};
    if (failure.maybe_sent && is_non_idempotent_write(spec))
      error.message += " The request may already have taken effect; check before calling again.";
  } else if (failure.maybe_sent && is_non_idempotent_write(spec)) {
    error = outcome_unknown_error("The request may have reached Klaviyo, but no answer came back (" + what + ")",
                                  check_with);
  } else if (failure.kind == Kind::timeout) {
    error = {"timeout", "Klaviyo did not answer in time (" + what + "). Try again later."};
  } else {
    error = {"upstream_unavailable", "Klaviyo could not be reached (" + what + "). Try again later."};
  }
  error.details["failure"] = to_string(failure.kind);
  error.details["maybe_sent"] = failure.maybe_sent;
  return error;
}

}  // namespace kmcp
