// tools/list: the exposed tools' listings in fixed pages. The cursor is the offset of the page as
// decimal text; clients treat it as opaque.
#include <algorithm>
#include <charconv>

#include "server/mcp/conformance_fixtures.hpp"
#include "server/mcp/dispatcher_methods.hpp"
#include "server/registry/tool_exposure.hpp"

namespace kmcp {
namespace {

// The page of `tools` that starts at `offset`.
json::object tool_page(const std::vector<const ToolSpec*>& tools, std::size_t offset, std::size_t size) {
  json::array listings;
  const std::size_t end = std::min(tools.size(), offset + size);
  for (std::size_t i = offset; i < end; ++i) listings.push_back(tools[i]->listing);
  json::object page{{"tools", std::move(listings)}};
  if (end < tools.size()) page["nextCursor"] = std::to_string(end);
  return page;
}

}  // namespace

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::tools_list(Dispatcher& d, Incoming& in) {
  const auto& tools = d.tools_of(in.session).listed();
  const std::size_t page_size = d.options_.tools_page_size == 0 ? std::max<std::size_t>(tools.size(), 1)
                                                                : d.options_.tools_page_size;
  const json::value* cursor = in.message.params.if_contains("cursor");
  if (!cursor || cursor->is_null()) {
    json::object first = tool_page(tools, 0, page_size);
    if (d.options_.conformance_fixtures) {
      json::array& listed = first["tools"].as_array();
      for (json::value& fixture : fixtures::tool_listings()) listed.push_back(std::move(fixture));
    }
    co_return jsonrpc::make_result(in.message.id, std::move(first));
  }
  if (!cursor->is_string()) co_return invalid_params(in, "cursor must be a string");

  // Only offsets we hand out are valid: the start of a page after the first.
  const std::string_view text = cursor->get_string();
  std::size_t offset = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), offset);
  const bool parsed = ec == std::errc{} && end == text.data() + text.size() && !text.empty();
  if (!parsed || offset == 0 || offset % page_size != 0 || offset >= tools.size())
    co_return invalid_params(in, "invalid cursor");
  co_return jsonrpc::make_result(in.message.id, tool_page(tools, offset, page_size));
}

}  // namespace kmcp
