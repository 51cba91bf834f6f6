#pragma once
// The MCP method table: lifecycle (initialize, ping, notifications/initialized), logging,
// tools/list (cursor-paginated) and tools/call through a ToolRunner, both limited to the exposed
// tools, cancellation and progress. Transport-agnostic: transports hand it parsed messages and a
// sink.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/mcp/jsonrpc.hpp"
#include "server/mcp/message_sink.hpp"
#include "server/mcp/session.hpp"

namespace kmcp {

class ToolRegistry;
class ToolExposure;
class ToolRunner;
class Clock;

// Protocol revisions this server speaks, newest first.
inline const std::vector<std::string> kSupportedProtocolVersions = {"2025-11-25", "2025-06-18",
                                                                     "2025-03-26"};

struct DispatcherOptions {
  std::string server_name = "klaviyo-mcp";
  std::string server_title = "Klaviyo";
  std::string server_version = KMCP_VERSION;
  std::string instructions;                          // initialize's "instructions"
  std::chrono::milliseconds call_timeout{60000};     // default per-call deadline
  std::size_t tools_page_size = 100;                 // tools/list page size; 0 = one page
  // The tools the operator exposes; null = every tool of the registry. A session may narrow it
  // (McpSession::tools).
  std::shared_ptr<const ToolExposure> exposure;
  // The conformance suite's fixture tools, resources and prompts (--conformance-fixtures).
  bool conformance_fixtures = false;
  // The Klaviyo account a call acts for when its transport names none (stdio).
  std::string default_account = "default";
  // --sandbox: every tools/call result says it came from the simulated account.
  bool sandbox = false;
};

inline constexpr std::string_view kSandboxMetaKey = "klaviyo-mcp/sandbox";
inline constexpr std::string_view kSandboxNotice =
    "SANDBOX: this comes from the simulated Klaviyo account of --sandbox; no real Klaviyo account or customer "
    "is touched.";

class Dispatcher {
 public:
  Dispatcher(const ToolRegistry& registry, ToolRunner& runner, Logger& logger, const Clock& clock,
             DispatcherOptions options);

  // Handles one message. Returns the response for a request; nullopt for notifications and
  // responses. A tools/call runs under a cancellation signal kept in session.in_flight, so
  // notifications/cancelled (handled concurrently by another handle() call) stops it.
  // `account` is the Klaviyo account a tools/call acts for, as the transport authorized it;
  // empty: options.default_account.
  asio::awaitable<std::optional<json::object>> handle(jsonrpc::Message message, McpSession& session,
                                                      MessageSink& sink, std::string account = {});

  // The operator's choice of tools, which sessions narrow.
  const std::shared_ptr<const ToolExposure>& exposure() const { return exposure_; }

 private:
  struct Methods;
  const ToolRegistry& registry_;
  ToolRunner& runner_;
  Logger& logger_;
  const Clock& clock_;
  DispatcherOptions options_;
  std::shared_ptr<const ToolExposure> exposure_;
  // Request ids for the logs: unique in this process, and across processes by the prefix.
  const std::string request_id_prefix_;
  mutable std::atomic<std::uint64_t> calls_started_{0};
  std::string next_request_id() const { return request_id_prefix_ + "-" + std::to_string(++calls_started_); }

  // The tools `session` sees: its own choice, else the operator's.
  const ToolExposure& tools_of(const McpSession& session) const { return session.tools ? *session.tools : *exposure_; }
};

}  // namespace kmcp
