#pragma once
// The seam between the MCP layer and tool execution: the dispatcher runs calls through this,
// production plugs in ToolPipeline, tests plug in a fake.
#include <functional>
#include <optional>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct CallContext {
  std::string account = "default";
  // For the logs: this call's id (unique per process), the JSON-RPC id, the session's label.
  std::string request_id;
  json::value rpc_id;
  std::string session;
  SteadyTime deadline;
  // Empty unless the caller asked for progress (MCP progressToken).
  std::function<void(double progress, std::optional<double> total, std::string message)> progress;
  // Sends an MCP log notification to the caller when its level allows (may be empty).
  std::function<void(LogLevel level, json::object data)> log;
  // Asks the human whether a destructive call may run (MCP elicitation): true when they
  // accepted, false when they declined or cancelled, nullopt when the client cannot ask. Empty
  // or nullopt: the call answers with a preview and a confirmation token instead.
  std::function<asio::awaitable<std::optional<bool>>(std::string message)> confirm;
};

class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  // Runs one call and returns the MCP CallToolResult (content, structuredContent, isError).
  // Never throws for bad input or upstream failures: those are isError results. Cancelling the
  // awaiting coroutine (its cancellation slot) stops the call, the outbound request too.
  virtual asio::awaitable<json::object> call(const ToolSpec& spec, json::object arguments, CallContext context) = 0;
};

}  // namespace kmcp
