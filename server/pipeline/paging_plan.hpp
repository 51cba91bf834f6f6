#pragma once
// What a list call reads before it is sent: our short page_cursor token resolved to Klaviyo's
// cursor (and the records of that page already shown), and max_items turned into a record budget
// with the largest page size the tool allows. Pure apart from reading the cursor table.
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/pipeline/cursor_table.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct PagingPlan {
  json::object args;                         // the first request's arguments (Klaviyo's cursor, no max_items)
  bool pages = false;                        // the tool has a page cursor
  std::optional<std::string> first_cursor;   // Klaviyo's cursor of the first page read (nullopt: the first page)
  std::size_t skip = 0;                      // records at the start of that page already shown
  std::optional<std::int64_t> page_size;     // page_size sent, kept in cursors that resume mid-page
  std::size_t max_items = 0;                 // 0: one page, as Klaviyo sends it
};

boost::system::result<PagingPlan, ToolError> plan_paging(const ToolSpec& spec, json::object args,
                                                         const CursorTable& cursors, std::string_view account);

}  // namespace kmcp
