#pragma once
// Before a campaign send, how many recipients it would reach: the send's preview reads the
// campaign's recipient estimation (the GET on /api/campaign-recipient-estimations/{id}) with the
// same campaign id. Which tool sends a campaign is read off its spec: a POST creating a
// campaign-send-job.
#include <cstdint>
#include <optional>

#include "server/core/json.hpp"
#include "server/pipeline/tool_routes.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct EstimateRead {
  const ToolSpec* tool;
  json::object args;
};

// The read to make before `send` runs with `args`, or nullopt when `send` sends no campaign (or
// the estimation tool is unknown to `routes`).
std::optional<EstimateRead> recipient_estimate_read(const ToolSpec& send, const json::object& args,
                                                    const ToolRoutes& routes);

// The estimated_recipient_count of an estimation document, or nullopt.
std::optional<std::int64_t> estimated_recipients(const json::value& document);

}  // namespace kmcp
