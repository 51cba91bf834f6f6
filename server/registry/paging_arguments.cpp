#include "server/registry/paging_arguments.hpp"

#include <stdexcept>

#include "server/registry/lazy_schema_validator.hpp"

namespace kmcp {
namespace {

const QueryParamSpec* param_named(const ToolSpec& spec, std::string_view name) {
  for (const auto& q : spec.query)
    if (q.param == name) return &q;
  return nullptr;
}

}  // namespace

const QueryParamSpec* cursor_param(const ToolSpec& spec) {
  for (const auto& q : spec.query)
    if (q.style == QueryParamSpec::Style::cursor) return &q;
  return nullptr;
}

const QueryParamSpec* page_size_param(const ToolSpec& spec) { return param_named(spec, "page[size]"); }

std::optional<std::int64_t> page_size_maximum(const ToolSpec& spec) {
  const auto* size = page_size_param(spec);
  if (!size) return std::nullopt;
  const auto* properties = spec.input_schema.if_contains("properties");
  if (!properties || !properties->is_object()) return std::nullopt;
  const auto* schema = properties->get_object().if_contains(size->arg);
  if (!schema || !schema->is_object()) return std::nullopt;
  const auto* maximum = schema->get_object().if_contains("maximum");
  if (!maximum || !maximum->is_number()) return std::nullopt;
  return maximum->to_number<std::int64_t>();
}

void add_paging_arguments(ToolSpec& spec) {
  if (!cursor_param(spec)) return;
  auto* properties = spec.input_schema.if_contains("properties");
  if (!properties || !properties->is_object())
    throw std::runtime_error("a tool with a page cursor needs inputSchema.properties");
  auto& props = properties->get_object();
  if (props.contains(kMaxItemsArg))
    throw std::runtime_error("inputSchema declares 'max_items', an argument the server adds to every list tool");
  props[kMaxItemsArg] = json::object{
      {"type", "integer"},
      {"minimum", 1},
      {"maximum", kMaxItemsCap},
      {"description", "Read pages until this many records; the rest via next_cursor."}};
  spec.validator = std::make_shared<const LazySchemaValidator>(spec.input_schema);
}

}  // namespace kmcp
