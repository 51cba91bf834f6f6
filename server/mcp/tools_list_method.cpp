// tools/list: the registry's listings in fixed pages. The cursor is the offset of the page as
// decimal text; clients treat it as opaque.
#include <algorithm>
#include <charconv>

#include "server/mcp/dispatcher_methods.hpp"
#include "server/registry/tool_registry.hpp"

namespace kmcp {

std::vector<json::object> Dispatcher::Methods::build_tool_pages(const ToolRegistry& registry, std::size_t page_size) {
  const auto& tools = registry.tools();
  const std::size_t size = page_size == 0 ? std::max<std::size_t>(tools.size(), 1) : page_size;
  std::vector<json::object> pages;
  std::size_t offset = 0;
  do {
    json::array listings;
    const std::size_t end = std::min(tools.size(), offset + size);
    for (std::size_t i = offset; i < end; ++i) listings.push_back(tools[i]->listing);
    json::object page{{"tools", std::move(listings)}};
    if (end < tools.size()) page["nextCursor"] = std::to_string(end);
    pages.push_back(std::move(page));
    offset = end;
  } while (offset < tools.size());
  return pages;
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::tools_list(Dispatcher& d, Incoming& in) {
  const json::value* cursor = in.message.params.if_contains("cursor");
  if (!cursor || cursor->is_null()) co_return jsonrpc::make_result(in.message.id, d.tool_pages_.front());
  if (!cursor->is_string()) co_return invalid_params(in, "cursor must be a string");

  // Only offsets we hand out are valid: the start of a page after the first.
  const std::string_view text = cursor->get_string();
  const std::size_t page_size = d.options_.tools_page_size;
  std::size_t offset = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), offset);
  const bool parsed = ec == std::errc{} && end == text.data() + text.size() && !text.empty();
  if (!parsed || page_size == 0 || offset == 0 || offset % page_size != 0 || offset / page_size >= d.tool_pages_.size())
    co_return invalid_params(in, "invalid cursor");
  co_return jsonrpc::make_result(in.message.id, d.tool_pages_[offset / page_size]);
}

}  // namespace kmcp
