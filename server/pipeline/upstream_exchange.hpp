#pragma once
// The network part of a call: rate budget, send, and the retries that can only help.
// - 429: waits out the later of Retry-After and the local buckets (the limiter does both), as
//   long as that fits the deadline; else kind "rate_limited" with "retry_after_seconds".
// - 5xx, reset, timeout: retried after a capped, fully jittered exponential backoff, only when
//   repeating cannot do harm (safe_to_repeat()) or nothing was sent, and only while the
//   process-wide RetryBudget allows. A create that may have taken effect is never repeated: it
//   ends as kind "outcome_unknown", naming the tool that shows whether it exists.
// Every attempt draws rate budget again (Klaviyo counts it), and no attempt or wait runs past
// the deadline. Cancellation of the awaiting coroutine ends the exchange at once with kind
// "cancelled", never a retry; a wait it interrupts charges nothing.
#include <boost/system/result.hpp>
#include <functional>
#include <optional>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/metrics.hpp"
#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/pipeline/prepared_call.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/pipeline/retry_policy.hpp"
#include "server/pipeline/tool_routes.hpp"
#include "server/rate/rate_limiter.hpp"
#include "server/rate/retry_budget.hpp"
#include "server/rate/sleeper.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// Hands a reply's quota report to the limiter: RateLimiter::learn in production; tests record.
using QuotaLearner = std::function<void(const std::string& account, const BucketRef& bucket, const QuotaReport& report)>;

struct ExchangeDeps {
  RateLimiter& limiter;
  UpstreamClient& upstream;
  const Clock& clock;
  Sleeper& sleeper;            // backoff waits
  RetryBudget& retry_budget;   // process-wide; fault retries spend it, 429 retries do not
  RandomSource& random;        // backoff jitter
  const ToolRoutes& routes;    // names the tool that checks a create of unknown outcome
  RetryOptions options;
  QuotaLearner learn;          // every non-429 reply's RateLimit-* headers, when readable
  Metrics* metrics = nullptr;  // requests by status, 429s, retries, rate-limit waits
};

using ProgressReporter = std::function<void(double progress, std::optional<double> total, std::string message)>;

ToolError cancelled_error();

// The final HTTP answer (any status but a given-up 5xx: the caller maps errors), or a ToolError
// when no usable answer came: rate budget refused, faults not (or no longer) retried,
// cancellation.
asio::awaitable<boost::system::result<UpstreamResponse, ToolError>> exchange(const ExchangeDeps& deps,
                                                                            const ToolSpec& spec,
                                                                            const PreparedCall& call,
                                                                            SteadyTime deadline,
                                                                            const ProgressReporter& progress);

}  // namespace kmcp
