#pragma once
// What a human is asked before a destructive call runs, and the results that ask: the tool, the
// HTTP method and path, the arguments, and for a campaign send the recipient estimate. Pure.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct WritePreview {
  std::string summary;   // one sentence: what the call will do
  json::object details;  // tool, method, path, arguments, recipient_estimate
};

// The recipient estimate as the preview shows it: a count, or why there is none.
struct RecipientEstimate {
  std::optional<std::int64_t> count;
  std::string unavailable;  // set when count is not
};

// `args`: the call's arguments without dry_run and confirmation_token.
WritePreview preview_write(const ToolSpec& spec, const json::object& args, const UpstreamRequest& request,
                           const std::optional<RecipientEstimate>& estimate);

// The question put to the human through the client (MCP elicitation).
std::string confirmation_question(const WritePreview& preview);

// Not run: the preview and a token to run it with once the human agreed. `refusal` says why a
// token given was not accepted ("" on a first call).
ToolError confirmation_required(const ToolSpec& spec, const WritePreview& preview, const std::string& token,
                                std::chrono::seconds valid_for, std::string_view refusal);

// Not run: the human said no.
ToolError confirmation_declined(const WritePreview& preview);

}  // namespace kmcp
