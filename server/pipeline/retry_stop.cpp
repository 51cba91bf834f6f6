#include "server/pipeline/retry_stop.hpp"

#include <string>

namespace kmcp {
namespace {

constexpr std::string_view kMoreTime = "allow more time with _meta \"klaviyo-mcp/timeout_seconds\"";

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

}  // namespace

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::final_fault: return "final_fault";
    case StopReason::unsafe_to_repeat: return "unsafe_to_repeat";
    case StopReason::attempts_used: return "attempts_used";
    case StopReason::retry_budget_spent: return "retry_budget_spent";
    case StopReason::no_time_left: return "no_time_left";
    case StopReason::deadline_reached: return "deadline_reached";
  }
  return "unknown";
}

void explain_stop(ToolError& error, StopReason reason, int attempts, const std::optional<UniqueId>& unique_id) {
  switch (reason) {
    case StopReason::final_fault:
    case StopReason::unsafe_to_repeat:
      break;
    case StopReason::attempts_used:
      error.message += " Gave up after " + attempts_text(attempts) + ".";
      break;
    case StopReason::retry_budget_spent:
      error.message +=
          " Not retried: many calls to Klaviyo failed in the last few seconds and the server's retry budget is "
          "spent, so retrying now would only add load. Try again shortly.";
      break;
    case StopReason::no_time_left:
      error.message += " Not retried: the call's deadline leaves no time for another attempt (after " +
                       attempts_text(attempts) + "). Call again, or " + std::string(kMoreTime) + ".";
      break;
    case StopReason::deadline_reached:
      if (error.kind == "timeout") {
        error.message = "Klaviyo did not answer before the call's deadline (" + attempts_text(attempts) +
                        "). Call again, or " + std::string(kMoreTime) + ".";
      }
      break;
  }
  error.details["attempts"] = attempts;
  if (reason != StopReason::final_fault && reason != StopReason::unsafe_to_repeat)
    error.details["not_retried"] = to_string(reason);
  if (unique_id && error.kind != "outcome_unknown" && error.kind != "cancelled") {
    error.message += " Calling again with " + unique_id->argument + " \"" + unique_id->value +
                     "\" is safe: Klaviyo keeps one record per " + unique_id->argument + ".";
    error.details[unique_id->argument] = unique_id->value;
  }
}

}  // namespace kmcp
