#pragma once
// The network part of a call: rate budget, send, and the one retry a 429 earns when its
// Retry-After still fits the deadline. Everything here honours the awaiting coroutine's
// cancellation; a cancellation ends the exchange with kind "cancelled", never a retry.
#include <boost/system/result.hpp>
#include <functional>
#include <optional>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/pipeline/prepared_call.hpp"
#include "server/rate/rate_limiter.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct ExchangeDeps {
  RateLimiter& limiter;
  UpstreamClient& upstream;
  const Clock& clock;
};

using ProgressReporter = std::function<void(double progress, std::optional<double> total, std::string message)>;

ToolError cancelled_error();

// The final HTTP answer (any status: the caller maps errors), or a ToolError when no answer
// came: rate budget refused, transport failure, cancellation.
asio::awaitable<boost::system::result<UpstreamResponse, ToolError>> exchange(const ExchangeDeps& deps,
                                                                            const ToolSpec& spec,
                                                                            const PreparedCall& call,
                                                                            SteadyTime deadline,
                                                                            const ProgressReporter& progress);

}  // namespace kmcp
