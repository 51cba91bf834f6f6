#include <algorithm>
#include <string>

#include "server/mcp/dispatcher.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"
#include "server/transport/session_directory.hpp"
#include "server/transport/tool_narrowing.hpp"

namespace kmcp {

namespace {

HttpResponse session_not_found(const HttpRequest& request) {
  return error_reply(request, http::status::not_found, kSessionNotFound,
                     "Session not found: it ended or expired; start a new one with initialize");
}

}  // namespace

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
  if (!session) return {nullptr, session_not_found(request)};
  return {std::move(session), std::nullopt};
}

asio::awaitable<SessionLookup> find_or_adopt_session(HttpContext& context, const HttpRequest& request,
                                                     const TokenGrant* grant) {
  SessionLookup found = find_session(context, request, grant);
  SessionDirectory* directory = context.options.session_directory;
  if (!directory) co_return found;
  const std::string id(request[kSessionHeader]);
  if (found.session) {
    const bool open = co_await directory->still_open(id);
    if (open) co_return found;
    // Deleted through another replica (or expired there while used here): ended here too.
    if (auto session = context.sessions.remove(id); session && session->end())
      context.logger.info("session_ended", {{"session", session->label()}, {"reason", "ended_elsewhere"}});
    co_return SessionLookup{nullptr, session_not_found(request)};
  }
  if (found.refusal->result() != http::status::not_found) co_return found;
  const std::optional<SessionRecord> record = co_await directory->lookup(id);
  if (!record || record->id != id) co_return found;
  std::shared_ptr<const ToolExposure> tools;
  if (!record->narrowing.empty()) {
    auto narrowed = narrowed_tools(narrowing_request(record->narrowing), *context.dispatcher.exposure());
    if (!narrowed) co_return found;  // this replica's operator exposes other tools: not the same session
    tools = *narrowed;
  }
  auto session = context.sessions.adopt(*record, std::move(tools), context.io, std::chrono::steady_clock::now());
  if (!session || session->owner() != (grant ? grant->label : std::string())) co_return found;
  context.logger.info("session_adopted", {{"session", session->label()}});
  co_return SessionLookup{std::move(session), std::nullopt};
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
