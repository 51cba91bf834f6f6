#pragma once
// Arguments the server itself serves on every list tool, added at load rather than written in
// each spec: `max_items` asks the pipeline to follow next pages until it has that many records.
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/registry/tool_spec.hpp"

namespace kmcp {

inline constexpr std::string_view kMaxItemsArg = "max_items";
inline constexpr std::int64_t kMaxItemsCap = 1000;  // pages are real requests on the rate budget

// The page[cursor] query parameter of a spec, or nullptr when the tool cannot page.
const QueryParamSpec* cursor_param(const ToolSpec& spec);
// The page[size] query parameter, or nullptr.
const QueryParamSpec* page_size_param(const ToolSpec& spec);
// The "maximum" the inputSchema allows for page_size, if it says.
std::optional<std::int64_t> page_size_maximum(const ToolSpec& spec);

// Adds `max_items` (integer 1..kMaxItemsCap) to inputSchema and recompiles the validator when the
// spec has a page cursor. Throws std::runtime_error when the spec already declares max_items.
void add_paging_arguments(ToolSpec& spec);

}  // namespace kmcp
