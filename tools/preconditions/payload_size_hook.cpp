// "max_payload_bytes": Klaviyo refuses oversized bodies (e.g. 5 MB per bulk import, 100 KB per
// profile); measuring first names the item to trim instead of failing the whole batch.
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {
namespace {

std::optional<ToolError> check_whole(const json::object& args, std::size_t max) {
  const json::value all(args);
  const auto total = serialized_size(all);
  if (total <= max) return std::nullopt;
  std::string largest;
  std::size_t largest_size = 0;
  for (const auto& member : args)
    if (auto size = serialized_size(member.value()); size >= largest_size) largest = member.key(), largest_size = size;
  return precondition_error(largest, "The arguments are " + std::to_string(total) + " bytes as JSON; at most " +
                                         std::to_string(max) + " are allowed per call (the largest is '" + largest +
                                         "', " + std::to_string(largest_size) + " bytes). Send less per call.");
}

}  // namespace

PreconditionHook make_max_payload_bytes_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({"max", "arg", "max_item_bytes"});
    check.count("max", true);
    const auto arg = check.name("arg", false);
    const auto per_item = check.count("max_item_bytes", false);
    const json::object* arg_schema = arg ? check.argument(*arg) : nullptr;
    if (per_item && !arg) check.fail("setting 'max_item_bytes' needs 'arg', the array whose items it limits");
    if (per_item && arg_schema && !may_be_array(*arg_schema)) check.fail("names '" + *arg + "', which is not an array");
    return check.fault();
  };
  hook.args_used = [](const json::object& settings) {
    auto arg = setting_name(settings, "arg");
    return arg.empty() ? std::vector<std::string>{} : std::vector<std::string>{arg};
  };
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    const auto max = setting_count(settings, "max");
    const auto arg = setting_name(settings, "arg");
    if (arg.empty()) return check_whole(args, max);
    const auto* value = args.if_contains(arg);
    if (!value) return std::nullopt;
    if (auto size = serialized_size(*value); size > max)
      return precondition_error(arg, "'" + arg + "' is " + std::to_string(size) + " bytes as JSON; at most " +
                                         std::to_string(max) + " are allowed per call. Send fewer items per call.");
    const auto per_item = setting_count(settings, "max_item_bytes");
    if (per_item == 0 || !value->is_array()) return std::nullopt;
    for (std::size_t i = 0; i < value->get_array().size(); ++i) {
      const auto size = serialized_size(value->get_array()[i]);
      if (size <= per_item) continue;
      const auto where = item_path(arg, i);
      return precondition_error(where, "'" + where + "' is " + std::to_string(size) + " bytes as JSON; each item may be at most " +
                                           std::to_string(per_item) + " bytes. Trim it or leave out large properties.");
    }
    return std::nullopt;
  };
  return hook;
}

}  // namespace kmcp
