// "max_items": Klaviyo's per-call item limits, checked before the call is sent.
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {

PreconditionHook make_max_items_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({"arg", "max"});
    check.count("max", true);
    if (auto arg = check.name("arg", true))
      if (const auto* arg_schema = check.argument(*arg); arg_schema && !may_be_array(*arg_schema))
        check.fail("names '" + *arg + "', which is not an array");
    return check.fault();
  };
  hook.args_used = [](const json::object& settings) { return std::vector<std::string>{setting_name(settings, "arg")}; };
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    const auto arg = setting_name(settings, "arg");
    const auto max = setting_count(settings, "max");
    const auto* value = args.if_contains(arg);
    if (!value || !value->is_array() || value->get_array().size() <= max) return std::nullopt;
    return precondition_error(arg, "'" + arg + "' has " + std::to_string(value->get_array().size()) +
                                       " items; at most " + std::to_string(max) +
                                       " are allowed per call. Split them over several calls.");
  };
  return hook;
}

}  // namespace kmcp
