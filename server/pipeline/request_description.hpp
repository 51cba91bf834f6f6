#pragma once
// What a dry run shows: the exact request a call would send (method, full URL, headers, body),
// with secrets masked (the Authorization value becomes "Klaviyo-API-Key ***" or "Bearer ***")
// and a multipart body described part by part, a file part by its size only. Pure.
#include <string_view>

#include "server/core/json.hpp"
#include "server/klaviyo/upstream_client.hpp"

namespace kmcp {

// {"method", "url", "headers": {name: value}, "body"?: JSON value or {"multipart": [parts]}}.
// `base_url` is the configured API origin ("https://a.klaviyo.com").
json::object describe_request(const UpstreamRequest& request, std::string_view base_url);

}  // namespace kmcp
