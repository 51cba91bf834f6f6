#pragma once
// An expected failure of a tool call, carried as a value and shown to the model as an
// `isError: true` result it can act on.
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

struct ToolError {
  // Stable, machine-readable class: "validation", "precondition", "auth", "config",
  // "rate_limited", "upstream" (Klaviyo answered with an error), "upstream_unavailable",
  // "timeout", "cancelled", "outcome_unknown".
  std::string kind;
  // One or two sentences a model can act on: what is wrong and how to fix it.
  std::string message;
  // Structured facts: "argument", "status", "code", "source", "retry_after_seconds", ...
  json::object details = {};
};

// Where a failed call's result carries the error as data: result._meta["klaviyo-mcp/error"].
inline constexpr std::string_view kErrorMetaKey = "klaviyo-mcp/error";

// The MCP CallToolResult for a failure: `isError: true`, a text block for the model ("kind:
// message" and the details), and {kind, message, ...details} under _meta[kErrorMetaKey].
json::object to_call_tool_result(const ToolError& error);

}  // namespace kmcp
