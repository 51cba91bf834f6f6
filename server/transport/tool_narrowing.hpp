#pragma once
// A client's narrowing of the operator's tools for its HTTP session: the headers X-MCP-Toolsets,
// X-MCP-Tools, X-MCP-Exclude-Tools, X-MCP-Readonly, or the same as query parameters of the MCP
// URL (toolsets, tools, exclude_tools, read_only). It can only hide tools: a tool the operator
// does not expose is not added. A name that is no toolset or tool at all, or a malformed value,
// is refused (400), because ignoring it would leave the client guessing why a tool is missing.
#include <boost/system/result.hpp>
#include <memory>
#include <string>

#include "server/registry/tool_exposure.hpp"
#include "server/transport/http_replies.hpp"

namespace kmcp {

// The tools `request` narrows `base` to; a null pointer when it asks for no narrowing; the
// reason (for a 400) when it cannot be read.
boost::system::result<std::shared_ptr<const ToolExposure>, std::string> narrowed_tools(
    const HttpRequest& request, const ToolExposure& base);

// The parts of `request` narrowed_tools() reads (target and narrowing headers), as JSON to keep
// with a session; empty when it has none. narrowing_request() makes a request of them again,
// for narrowed_tools() on another replica.
json::object narrowing_of(const HttpRequest& request);
HttpRequest narrowing_request(const json::object& narrowing);

}  // namespace kmcp
