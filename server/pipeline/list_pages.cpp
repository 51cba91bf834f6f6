#include "server/pipeline/list_pages.hpp"

#include <algorithm>

#include "server/pipeline/result_shaper.hpp"

namespace kmcp {

std::optional<std::size_t> expected_pages(const PagingPlan& plan) {
  if (plan.max_items == 0) return 1;
  if (!plan.page_size || *plan.page_size <= 0) return std::nullopt;
  const auto size = static_cast<std::size_t>(*plan.page_size);
  return (plan.skip + plan.max_items + size - 1) / size;
}

ListShapeOptions list_options(const ToolSpec& spec, const PagingPlan& plan, std::size_t max_chars) {
  ListShapeOptions options;
  options.max_items = plan.max_items;
  options.max_chars = max_chars;
  options.can_continue = plan.pages;
  options.report_pages = plan.max_items > 0;
  options.fieldset_args = fieldset_args(spec);
  return options;
}

FetchedPage fetched_page(std::string_view body, std::optional<std::string> cursor, std::size_t skip) {
  FetchedPage page{json::object{{"data", json::array{}}}, std::move(cursor), skip};
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return page;
  boost::system::error_code ec;
  page.document = json::parse(body, ec);
  if (ec) page.document = json::string(body);
  return page;
}

std::optional<std::string> next_page_cursor(const FetchedPage& page) {
  if (!page.document.is_object()) return std::nullopt;
  return next_cursor(page.document.get_object());
}

std::size_t page_records(const FetchedPage& page) {
  if (!page.document.is_object()) return 0;
  const auto* data = page.document.get_object().if_contains("data");
  if (!data) return 0;
  if (data->is_object()) return page.skip == 0 ? 1 : 0;
  if (!data->is_array()) return 0;
  const std::size_t size = data->get_array().size();
  return size > page.skip ? size - page.skip : 0;
}

PageProgress::PageProgress(ProgressReporter report, std::optional<std::size_t> expected_pages)
    : report_(std::move(report)), expected_(expected_pages) {}

ProgressReporter PageProgress::for_page(std::size_t page) const {
  if (!report_) return {};
  std::optional<double> total;
  if (expected_) total = 2.0 * static_cast<double>(std::max(*expected_, page + 1));
  return [report = report_, base = 2.0 * static_cast<double>(page), total](double step, std::optional<double>,
                                                                          std::string message) {
    report(base + step, total, std::move(message));
  };
}

void PageProgress::done(std::size_t pages_read) const {
  if (!report_) return;
  const double last = 2.0 * static_cast<double>(std::max<std::size_t>(pages_read, 1));
  report_(last, last, "done");
}

}  // namespace kmcp
