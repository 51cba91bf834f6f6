// "filter_requires": Klaviyo refuses some list calls unless the filter names a field (campaigns
// need messages.channel); say so before the call, with an example the model can copy.
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {
namespace {

// Whether `filter` has a condition on `field`: "op(field," somewhere, spaces allowed.
bool names_field(std::string_view filter, std::string_view field) {
  for (std::size_t at = filter.find(field); at != std::string_view::npos; at = filter.find(field, at + 1)) {
    std::size_t before = at;
    while (before > 0 && filter[before - 1] == ' ') --before;
    std::size_t after = at + field.size();
    while (after < filter.size() && filter[after] == ' ') ++after;
    if (before > 0 && filter[before - 1] == '(' && after < filter.size() && filter[after] == ',') return true;
  }
  return false;
}

}  // namespace

PreconditionHook make_filter_requires_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({"arg", "field", "example"});
    check.name("field", true);
    check.name("example", true);
    if (auto arg = check.name("arg", true)) check.argument(*arg);
    return check.fault();
  };
  hook.args_used = [](const json::object& settings) { return std::vector<std::string>{setting_name(settings, "arg")}; };
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    const auto arg = setting_name(settings, "arg");
    const auto field = setting_name(settings, "field");
    const auto* value = args.if_contains(arg);
    if (value && value->is_string() && names_field(value->get_string(), field)) return std::nullopt;
    return precondition_error(arg, "'" + arg + "' must include a condition on " + field +
                                       "; Klaviyo refuses this call without one. For example: " +
                                       setting_name(settings, "example"));
  };
  return hook;
}

}  // namespace kmcp
