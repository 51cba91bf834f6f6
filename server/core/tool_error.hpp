#pragma once
// An expected failure of a tool call, carried as a value and shown to the model as an
// `isError: true` result it can act on.
#include <string>

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

// The MCP CallToolResult for a failure: a text block plus structuredContent {"error": {...}}.
json::object to_call_tool_result(const ToolError& error);

}  // namespace kmcp
