#pragma once
// One or more pages of a list as one lean result: {notice?, data, included?, has_more,
// next_cursor?, pages_read?, truncated?, untrusted_content?}. Records beyond max_items, or beyond
// the character budget (cut at a record boundary), are left for next_cursor, which resumes at
// the first record not shown, even in the middle of a Klaviyo page. Pure: cursor tokens are
// issued through a callback.
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

struct FetchedPage {
  json::value document;                      // the parsed body (null when it was not JSON)
  std::optional<std::string> fetched_with;   // Klaviyo's cursor sent for it (nullopt: the first page)
  std::size_t skip = 0;                      // records at its start already shown by an earlier result
};

// Where the next result starts: a Klaviyo page (nullopt: the first) and records of it to skip.
struct Continuation {
  std::optional<std::string> klaviyo_cursor;
  std::size_t skip = 0;
};

struct ListShapeOptions {
  std::size_t max_items = 0;                 // 0: every record read
  std::size_t max_chars = 20000;
  bool can_continue = false;                 // the tool takes a page cursor
  bool report_pages = false;                 // say pages_read (max_items was asked for)
  std::vector<std::string> fieldset_args;    // suggested when the budget cuts records
  std::optional<std::string> stopped_kind;   // paging stopped early on this error kind ...
  std::string stopped_message;               // ... with this message
};

// Issues the token that stands for a continuation (next_cursor).
using IssueCursor = std::function<std::string(const Continuation&)>;

// The structuredContent of the list.
json::object shape_list(std::span<const FetchedPage> pages, const ListShapeOptions& options, const IssueCursor& issue);

}  // namespace kmcp
