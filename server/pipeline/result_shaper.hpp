#pragma once
// Klaviyo's 2xx answers as lean MCP results: JSON:API resources flattened to
// {type, id, ...attributes, relationships: {name: id | [ids]}}, links dropped, the next page
// reduced to its cursor. Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

json::object flatten_resource(const json::object& resource);

// The page[cursor] of links.next, when the document has a next page.
std::optional<std::string> next_cursor(const json::object& document);

// The shaped object for a JSON body (also the structuredContent of the result).
json::object shape_document(const json::value& document);

// The MCP CallToolResult carrying `structured` (as structuredContent and as text).
json::object call_tool_result(json::object structured);

// The MCP CallToolResult for a successful answer with `status` and `body`.
json::object shape_result(unsigned status, std::string_view body);

}  // namespace kmcp
