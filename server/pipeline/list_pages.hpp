#pragma once
// Helpers of the page loop of a list call: progress that keeps growing across pages, and the
// page documents the list shaper reads.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"
#include "server/pipeline/list_result.hpp"
#include "server/pipeline/paging_plan.hpp"
#include "server/pipeline/upstream_exchange.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// How many pages a plan should take, when the page size is known.
std::optional<std::size_t> expected_pages(const PagingPlan& plan);

// How a list call is shaped: its budget, paging and the fieldsets to suggest when cut.
ListShapeOptions list_options(const ToolSpec& spec, const PagingPlan& plan, std::size_t max_chars);

// A 2xx list body read with Klaviyo's `cursor` (nullopt: the first page), of which the first
// `skip` records were already shown. Blank reads as an empty list, text that is not JSON as a
// string.
FetchedPage fetched_page(std::string_view body, std::optional<std::string> cursor, std::size_t skip);

// The records a page adds (after those skipped).
std::size_t page_records(const FetchedPage& page);

// Klaviyo's cursor of the page after `page`, if there is one.
std::optional<std::string> next_page_cursor(const FetchedPage& page);

// The exchange reports steps 0..2 of one request; page n reports them as 2n..2n+2, so progress
// only grows over the pages of one call.
class PageProgress {
 public:
  PageProgress(ProgressReporter report, std::optional<std::size_t> expected_pages);
  ProgressReporter for_page(std::size_t page) const;
  void done(std::size_t pages_read) const;

 private:
  ProgressReporter report_;
  std::optional<std::size_t> expected_;
};

}  // namespace kmcp
