#pragma once
// Turns an already-encoded Klaviyo call (verb, target, body) into the UpstreamRequest the client
// sends: authentication, API revision and media types. Pure: no I/O, no clock.
#include <boost/beast/http/verb.hpp>
#include <string>

#include "server/core/credentials.hpp"
#include "server/klaviyo/upstream_client.hpp"

namespace kmcp {

inline constexpr std::string_view kJsonApiMediaType = "application/vnd.api+json";

struct KlaviyoRequestParts {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // origin-form path and query, already percent-encoded
  std::string body;    // empty: no body and no Content-Type
  std::string content_type = std::string(kJsonApiMediaType);
  // Client-side (/client/*) operations: no Authorization header; the public key travels as the
  // `company_id` query parameter instead.
  bool public_key_auth = false;
  std::string revision;    // the `revision` header, e.g. "2026-07-15"
  std::string user_agent;  // e.g. "klaviyo-mcp/0.1.0"
};

// Private-key auth uses `Klaviyo-API-Key <private_key>`, or `Bearer <oauth_token>` when only the
// OAuth token is set. Missing credentials are the caller's check (a ToolError), not ours: the
// request is then built without Authorization (or without company_id).
UpstreamRequest build_klaviyo_request(KlaviyoRequestParts parts, const AccountCredentials& credentials);

}  // namespace kmcp
