#pragma once
// When a failed attempt may be repeated, how long to wait first, and how long one attempt may
// take. Pure: the exchange (upstream_exchange.cpp) applies it.
#include <chrono>

#include "server/core/clock.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct RetryOptions {
  // Sends per call, 429 retries included: enough to ride out a short outage or a few 429s,
  // few enough that a broken upstream answers the caller quickly.
  int max_attempts = 5;
  // Backoff before fault retry n (0-based) is uniform in [0, min(cap, base * 2^n)]: full jitter
  // spreads the retries of many calls that failed together, so they do not hit Klaviyo in step.
  std::chrono::milliseconds backoff_base{250};
  std::chrono::milliseconds backoff_cap{5000};
  // An attempt that may be retried gets half the time left, but never less than this (or the
  // time left, when that is shorter): see attempt_deadline().
  std::chrono::milliseconds min_attempt_time{1000};
};

// True when sending the request twice cannot do harm: reads, DELETE, PUT, PATCH, POSTs the spec
// marks idempotent (upserts, relationship adds) and POSTs that carry a unique_id (Klaviyo keeps
// one record per id).
bool safe_to_repeat(const ToolSpec& spec);

// Answers that say "try again" about Klaviyo's side, not about the request: 500, 502, 503, 504
// and the other 5xx except 501 (Not Implemented) and 505 (HTTP Version Not Supported), which a
// repeat cannot fix.
bool is_transient_status(unsigned status);

// Transport failures a later attempt may not meet: connect, timeout, reset, malformed answer.
// TLS failures (certificates) and cancellation are final.
bool is_transient_failure(UpstreamFailure::Kind kind);

// The ceiling of the backoff before fault retry `retry` (0-based): min(cap, base * 2^retry).
std::chrono::nanoseconds backoff_ceiling(const RetryOptions& options, int retry);

// The wait before fault retry `retry`: uniform in [0, backoff_ceiling()], from `random`.
std::chrono::nanoseconds backoff_delay(const RetryOptions& options, int retry, RandomSource& random);

// When an attempt started at `now` gives up. An attempt that may be retried gets half the time
// left before `deadline` (at least options.min_attempt_time): a stalled upstream then still
// leaves the other half for a retry, while a slow but healthy answer keeps most of the time a
// caller allowed (it scales with the call's timeout rather than being a fixed guess). An attempt
// that will not be retried (unsafe write, last attempt) gets everything up to `deadline`: cutting
// it short could only turn a late answer into a failure. Never past `deadline`.
SteadyTime attempt_deadline(const RetryOptions& options, SteadyTime now, SteadyTime deadline, bool may_retry);

}  // namespace kmcp
