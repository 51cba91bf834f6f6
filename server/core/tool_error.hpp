#pragma once
// An expected failure of a tool call, carried as a value and shown to the model as an
// `isError: true` result it can act on.
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

// The kinds are stable: models and programs branch on them. What each means, and what to do:
//   validation           an argument is wrong (ours or Klaviyo's check); details.argument names it,
//                        details.example shows a valid value when the schema gives one. Fix, call again.
//   precondition         a rule of the tool (batch size, identifiers) is broken; details say which.
//   auth                 the key is missing or rejected (401): configuration, not the call.
//   missing_scope        the key lacks a scope (403); details.required_scopes lists the tool's scopes.
//   not_found            the id does not exist (404): look it up first.
//   conflict             it already exists (409); details.existing_id when Klaviyo names it.
//   rate_limited         no budget now; retry after details.retry_after_seconds.
//   upstream_unavailable Klaviyo could not be reached or failed (5xx): try later.
//   outcome_unknown      a write may or may not have happened: check before repeating it
//                        (details.check_with names the tool to look with, when known).
//   timeout              no answer before the call's deadline.
//   cancelled            the caller cancelled the call.
//   config               the server is set up wrong for this call: a fault for the operator.
//   upstream             any other Klaviyo error status; details.status and details.errors.
struct ToolError {
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
