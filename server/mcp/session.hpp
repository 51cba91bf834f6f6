#pragma once
// Per-client MCP state: negotiated protocol version, lifecycle, log level, exposed tools,
// in-flight calls.
// Owned by the transport (one for stdio, one per Mcp-Session-Id over HTTP). Accessed only from
// the io executor's strand of that client.
#include <memory>
#include <string>
#include <unordered_map>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/mcp/client_requests.hpp"

namespace kmcp {

class ToolExposure;  // server/registry/tool_exposure.hpp

struct McpSession {
  std::string id;                        // Mcp-Session-Id over HTTP; empty over stdio
  std::string protocol_version;          // set by initialize
  bool initialized = false;              // notifications/initialized received
  json::object client_info;
  json::object client_capabilities;
  std::optional<LogLevel> log_level;     // logging/setLevel; none = no log notifications
  // The tools this client sees and may call, fixed when the session starts; null = the
  // dispatcher's (the operator's choice).
  std::shared_ptr<const ToolExposure> tools;
  // Calls under way, by serialized JSON-RPC id; emitting terminal cancellation stops one.
  std::unordered_map<std::string, std::shared_ptr<asio::cancellation_signal>> in_flight;
  // Our requests to this client (elicitation, sampling) waiting for its answer.
  ClientRequests client_requests;

  // Whether the client said at initialize that it handles `capability` (e.g. "elicitation").
  bool client_can(std::string_view capability) const {
    const json::value* cap = client_capabilities.if_contains(capability);
    return cap && cap->is_object();
  }

  // Cancels every call under way (session end, shutdown).
  void cancel_all() {
    for (auto& [id, sig] : in_flight) sig->emit(asio::cancellation_type::terminal);
  }
};

}  // namespace kmcp
