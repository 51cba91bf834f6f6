#pragma once
// The ToolErrors a rate-limit wait can end with, worded for a model to act on.
#include <chrono>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/tool_error.hpp"
#include "server/rate/bucket_table.hpp"

namespace kmcp {

// Seconds to wait, rounded up to the next tenth so a retry after that long finds room.
double retry_after_seconds(std::chrono::nanoseconds wait);

// kind "rate_limited": which limit of which bucket holds the call, and when to retry. Details
// carry "retry_after_seconds" (a number), "bucket" (its key) and "limit" (per_second, ...).
ToolError rate_limited_error(const Holdup& holdup, SteadyTime now);

// kind "cancelled": the call gave up while waiting; nothing was sent or charged.
ToolError rate_wait_cancelled_error();

}  // namespace kmcp
