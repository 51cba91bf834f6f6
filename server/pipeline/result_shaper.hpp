#pragma once
// Klaviyo's 2xx answers as lean MCP results whose structuredContent matches the tool's
// outputSchema (server/registry/output_schemas.hpp): this file shapes single resources, jobs and
// empty answers; list_result.hpp shapes lists. Results stay within a character budget: what does
// not fit is left out with a notice saying what and how to get it, never silently. Pure: no I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/json.hpp"
#include "server/pipeline/resource_flattening.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

inline constexpr std::size_t kDefaultMaxResultChars = 20000;

// The MCP CallToolResult: structuredContent, and the same JSON as one text block.
json::object call_tool_result(json::object structured);

// Characters of the text block `structured` becomes.
std::size_t result_chars(const json::object& structured);

// Klaviyo's page[cursor] of links.next, when the document has a next page.
std::optional<std::string> next_cursor(const json::object& document);

// The sparse-fieldset arguments of a tool ("fields_profile", ...), to suggest when a result is cut.
std::vector<std::string> fieldset_args(const ToolSpec& spec);

// Any JSON body as {data, included?, meta?}: a JSON:API document's data flattened (an array
// stays an array, with has_more when Klaviyo has a next page); anything else as
// {data: null, document}. No budget applied.
json::object shape_document(const json::value& document);

// A job resource as a job result: {data, job: {id, status?}}.
json::object job_result(const json::object& resource);

// The CallToolResult of a single-resource, job or empty tool for a 2xx `status` and `body`.
json::object shape_result(const ToolSpec& spec, unsigned status, std::string_view body,
                          std::size_t max_chars = kDefaultMaxResultChars);

}  // namespace kmcp
