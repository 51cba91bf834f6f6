#include <algorithm>
#include <string>

#include "server/mcp/dispatcher.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"

namespace kmcp {

SessionLookup find_session(const HttpContext& context, const HttpRequest& request, const TokenGrant* grant) {
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
  if (session && session->owner() != (grant ? grant->label : std::string())) session = nullptr;
  if (!session)
    return {nullptr, error_reply(request, http::status::not_found, kSessionNotFound,
                                 "Session not found: it ended or expired; start a new one with initialize")};
  return {std::move(session), std::nullopt};
}

AccountChoice choose_account(const HttpOptions& options, const HttpRequest& request, const TokenGrant* grant) {
  const auto named = request.find(kAccountHeader);
  if (named == request.end()) {
    if (grant && !grant->accounts.empty()) return {grant->accounts.front(), std::nullopt};
    return {options.default_account, std::nullopt};
  }
  const std::string account(named->value());
  std::string usable;
  for (const auto& name : options.accounts)
    if (!grant || grant->may_use(name)) usable += (usable.empty() ? "" : ", ") + name;
  const bool configured = std::find(options.accounts.begin(), options.accounts.end(), account) != options.accounts.end();
  if (!configured)
    return {"", error_reply(request, http::status::bad_request, kTransportError,
                            "Bad Request: X-Klaviyo-Account names no account this server has; accounts you may use: " +
                                usable)};
  if (grant && !grant->may_use(account))
    return {"", error_reply(request, http::status::forbidden, kTransportError,
                            "Forbidden: this token may not act for account '" + account +
                                "'; accounts it may use: " + usable)};
  return {account, std::nullopt};
}

HttpResponse overloaded_reply(const HttpRequest& request, std::string_view what) {
  HttpResponse reply = error_reply(request, http::status::service_unavailable, kTransportError,
                                   "Service Unavailable: " + std::string(what) + "; retry shortly");
  reply.set(http::field::retry_after, "1");
  return reply;
}

}  // namespace kmcp
