#pragma once
// Pure header checks of the Streamable HTTP endpoint (no I/O): DNS-rebinding defences
// (Origin, Host), content negotiation (Accept, Content-Type) and the protocol version header.
#include <string>
#include <string_view>
#include <vector>

namespace kmcp {

// An Origin header value ("scheme://host[:port]") is allowed when it names a loopback host
// (localhost, 127.0.0.1, [::1]) over http or https, with any port, or equals one of `extra`
// (compared case-insensitively, a trailing '/' ignored).
bool origin_allowed(std::string_view origin, const std::vector<std::string>& extra);

// A Host header value ("name[:port]") is allowed when its name is loopback (any port), or when
// the whole value or its name equals one of `extra`. An empty or malformed value is refused.
bool host_allowed(std::string_view host, const std::vector<std::string>& extra);

// Whether an Accept header value accepts `media_type` ("type/subtype"), honouring q=0.
// Wildcards ("*/*", "type/*") count only when `wildcards` is set.
bool accepts(std::string_view accept, std::string_view media_type, bool wildcards = true);

// Whether a Content-Type header value is application/json (any parameters).
bool is_json_content_type(std::string_view content_type);

// Whether an MCP-Protocol-Version header value is a revision this server speaks.
bool protocol_version_supported(std::string_view version);

}  // namespace kmcp
