#pragma once
// Everything decided before the network: arguments checked, preconditions run, request built,
// credentials chosen, rate buckets named. Pure: no I/O.
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/pipeline/tool_pipeline.hpp"
#include "server/pipeline/unique_id.hpp"
#include "server/rate/rate_limits.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct PreparedCall {
  UpstreamRequest request;
  std::vector<BucketRef> buckets;
  std::string rate_account;  // whose quota: the account label, ":oauth"/":public" by credential kind
  std::string path;          // the request path without its query, for logs
  std::optional<UniqueId> unique_id;  // the body's deduplication key, when the tool has one
};

boost::system::result<PreparedCall, ToolError> prepare_call(const ToolSpec& spec, const json::object& args,
                                                            const std::string& account, const PipelineDeps& deps);

}  // namespace kmcp
