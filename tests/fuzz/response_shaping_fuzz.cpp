// Klaviyo-response shaping: the first two bytes pick a tool, the rest is the body Klaviyo
// answered with. Any body, JSON:API or not, must shape into a result that serializes.
#include <cstdint>
#include <string_view>

#include "server/pipeline/list_result.hpp"
#include "server/pipeline/result_shaper.hpp"
#include "tests/fuzz/fuzz_catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& spec = kmcp::fuzz::pick_tool(data, size);
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // A small budget makes the cutting paths run as often as the whole ones.
  const std::size_t budget = size % 2 ? 1000 : 20000;
  (void)kmcp::json::serialize(kmcp::shape_result(spec, 200, body, budget));

  boost::system::error_code ec;
  kmcp::json::parse_options options;
  options.max_depth = 64;
  kmcp::FetchedPage page;
  page.document = kmcp::json::parse(body, ec, {}, options);
  if (ec) page.document = nullptr;
  kmcp::ListShapeOptions list_options;
  list_options.max_chars = budget;
  list_options.max_items = size % 7;
  list_options.can_continue = true;
  list_options.fieldset_args = kmcp::fieldset_args(spec);
  auto shaped = kmcp::shape_list(std::span(&page, 1), list_options,
                                 [](const kmcp::Continuation&) { return std::string("cursor"); });
  (void)kmcp::json::serialize(shaped);
  return 0;
}
