#include <string>

#include "server/mcp/dispatcher.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"

namespace kmcp {

SessionLookup find_session(const HttpContext& context, const HttpRequest& request) {
  const std::string_view id = request[kSessionHeader];
  if (id.empty())
    return {nullptr, error_reply(request, http::status::bad_request, kTransportError,
                                 "Bad Request: Mcp-Session-Id header is required (send initialize first)")};
  // Absent means 2025-03-26 (the spec's default), which this server speaks.
  if (const std::string_view version = request[kProtocolVersionHeader];
      !version.empty() && !protocol_version_supported(version)) {
    std::string supported;
    for (const auto& v : kSupportedProtocolVersions) supported += (supported.empty() ? "" : ", ") + v;
    return {nullptr, error_reply(request, http::status::bad_request, kTransportError,
                                 "Bad Request: unsupported MCP-Protocol-Version " +
                                     std::string(version.substr(0, 64)) + " (supported: " + supported + ")")};
  }
  auto session = context.sessions.find(id);
  if (!session)
    return {nullptr, error_reply(request, http::status::not_found, kSessionNotFound,
                                 "Session not found: it ended or expired; start a new one with initialize")};
  return {std::move(session), std::nullopt};
}

}  // namespace kmcp
