// tools/list: the exposed tools' listings in fixed pages. The cursor is the offset of the page as
// decimal text; clients treat it as opaque.
#include <algorithm>
#include <charconv>

#include "server/mcp/conformance_fixtures.hpp"
#include "server/mcp/dispatcher_methods.hpp"
#include "server/registry/tool_exposure.hpp"

namespace kmcp {
namespace {

// The page that starts at `offset`, as the exposure keeps it serialized.
json::object page_reply(const json::value& id, const ToolExposure& exposure, std::size_t offset, std::size_t size) {
  return jsonrpc::make_serialized_result(id, *exposure.listing_page(offset, size));
}

}  // namespace

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::tools_list(Dispatcher& d, Incoming& in) {
  const ToolExposure& exposure = d.tools_of(in.session);
  const auto& tools = exposure.listed();
  const std::size_t page_size = d.options_.tools_page_size == 0 ? std::max<std::size_t>(tools.size(), 1)
                                                                : d.options_.tools_page_size;
  const json::value* cursor = in.message.params.if_contains("cursor");
  if (!cursor || cursor->is_null()) {
    if (!d.options_.conformance_fixtures) co_return page_reply(in.message.id, exposure, 0, page_size);
    json::object first = json::parse(*exposure.listing_page(0, page_size)).as_object();
    json::array& listed = first["tools"].as_array();
    for (json::value& fixture : fixtures::tool_listings()) listed.push_back(std::move(fixture));
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
  co_return page_reply(in.message.id, exposure, offset, page_size);
}

}  // namespace kmcp
