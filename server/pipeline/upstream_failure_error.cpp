#include "server/pipeline/upstream_failure_error.hpp"

namespace kmcp {

bool is_non_idempotent_write(const ToolSpec& spec) {
  return spec.method == boost::beast::http::verb::post && !spec.annotations.idempotent;
}

ToolError map_upstream_failure(const ToolSpec& spec, const UpstreamFailure& failure) {
  using Kind = UpstreamFailure::Kind;
  const std::string what = std::string(to_string(failure.kind)) + (failure.message.empty() ? "" : ": " + failure.message);
  ToolError error;
  if (failure.kind == Kind::cancelled) {
    error = {"cancelled", "The call was cancelled before Klaviyo answered."};
    if (failure.maybe_sent && is_non_idempotent_write(spec))
      error.message += " The request may already have taken effect; check before calling again.";
  } else if (failure.maybe_sent && is_non_idempotent_write(spec)) {
    error = {"outcome_unknown",
             "The request may have reached Klaviyo but no answer came back (" + what +
                 "), so it may or may not have taken effect. Check first (for example list or get the resource) "
                 "before calling again, to avoid creating a duplicate."};
  } else if (failure.kind == Kind::timeout) {
    error = {"timeout", "Klaviyo did not answer before the call's deadline (" + what + "). Try again later."};
  } else {
    error = {"upstream_unavailable", "Klaviyo could not be reached (" + what + "). Try again later."};
  }
  error.details["failure"] = to_string(failure.kind);
  error.details["maybe_sent"] = failure.maybe_sent;
  return error;
}

}  // namespace kmcp
