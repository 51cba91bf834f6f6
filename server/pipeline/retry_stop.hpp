#pragma once
// Why the exchange stopped trying after a fault (5xx, reset, timeout), written into the error
// the caller gets: how many attempts were made and what to do next.
#include <optional>
#include <string_view>

#include "server/core/tool_error.hpp"
#include "server/pipeline/unique_id.hpp"

namespace kmcp {

enum class StopReason {
  final_fault,         // the fault is not one a repeat can fix (e.g. a TLS failure)
  unsafe_to_repeat,    // the request may have taken effect and a repeat could duplicate it
  attempts_used,       // RetryOptions::max_attempts sends made
  retry_budget_spent,  // the process-wide RetryBudget refused
  no_time_left,        // the backoff would end past the call's deadline
  deadline_reached,    // the last attempt ran into the call's deadline
};

std::string_view to_string(StopReason reason);

// Adds to `error` (already describing the last fault) why no further attempt was made and
// details "attempts" and, for a stop that a retry could have overcome, "not_retried" (the
// reason). A safe POST that may have reached Klaviyo names its unique_id: calling again with it
// cannot duplicate.
void explain_stop(ToolError& error, StopReason reason, int attempts, const std::optional<UniqueId>& unique_id);

}  // namespace kmcp
