#include "server/pipeline/paging_plan.hpp"

#include <algorithm>

#include "server/pipeline/argument_validation.hpp"
#include "server/pipeline/request_builder.hpp"
#include "server/registry/paging_arguments.hpp"

namespace kmcp {
namespace {

std::optional<std::int64_t> integer(const json::value* value) {
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(value->get_uint64());
  return std::nullopt;
}

// Our token in place of page_cursor: Klaviyo's cursor, and where in that page to resume.
std::optional<ToolError> resolve_token(const ToolSpec& spec, PagingPlan& plan, const std::string& cursor_arg,
                                       const CursorEntry* entry, std::string_view token) {
  if (!entry) {
    ToolError error = invalid_argument(
        cursor_arg, "the cursor '" + std::string(token) +
                        "' is unknown or expired (cursors live an hour, in this server process). Call again "
                        "without " + cursor_arg + " to start from the first page.");
    return error;
  }
  if (entry->tool != spec.name)
    return invalid_argument(cursor_arg, "this cursor continues the tool " + entry->tool + ", not " + spec.name +
                                            "; pass it to " + entry->tool + " with the same other arguments.");
  if (entry->klaviyo_cursor)
    plan.args[cursor_arg] = *entry->klaviyo_cursor;
  else
    plan.args.erase(cursor_arg);
  plan.first_cursor = entry->klaviyo_cursor;
  plan.skip = entry->skip;
  // Resuming inside a page needs that page cut the same way.
  if (const auto* size = page_size_param(spec); size && entry->skip > 0) {
    if (entry->page_size)
      plan.args[size->arg] = *entry->page_size;
    else
      plan.args.erase(size->arg);
  }
  return std::nullopt;
}

}  // namespace

boost::system::result<PagingPlan, ToolError> plan_paging(const ToolSpec& spec, json::object args,
                                                         const CursorTable& cursors, std::string_view account) {
  PagingPlan plan;
  plan.args = std::move(args);
  const auto* cursor = cursor_param(spec);
  if (!cursor) return plan;
  plan.pages = true;

  if (const auto* given = plan.args.if_contains(cursor->arg); given && given->is_string()) {
    const std::string value(given->get_string());
    if (CursorTable::looks_like_token(value)) {
      auto entry = cursors.find(value);
      if (entry && entry->account != account) entry.reset();
      if (auto error = resolve_token(spec, plan, cursor->arg, entry ? &*entry : nullptr, value)) return *error;
    } else if (auto klaviyo = cursor_from(value); klaviyo && !klaviyo->empty()) {
      plan.first_cursor = std::move(*klaviyo);
    }
  }

  // A valid max_items is ours to serve; anything else stays for the schema to report.
  const auto max_items = integer(plan.args.if_contains(kMaxItemsArg));
  if (max_items && *max_items >= 1 && *max_items <= kMaxItemsCap) {
    plan.max_items = static_cast<std::size_t>(*max_items);
    plan.args.erase(kMaxItemsArg);
    const auto* size = page_size_param(spec);
    if (size && !plan.args.contains(size->arg))
      if (auto maximum = page_size_maximum(spec)) plan.args[size->arg] = std::min(*max_items, *maximum);
  }
  if (const auto* size = page_size_param(spec)) plan.page_size = integer(plan.args.if_contains(size->arg));
  return plan;
}

}  // namespace kmcp
