// Hooks about which arguments are given: at_least_one_of, at_most_one_of, exactly_one_of,
// non_empty. "Given" means present and meaningful (see is_given).
#include "tools/preconditions/hook_support.hpp"
#include "tools/preconditions/hooks.hpp"

namespace kmcp {
namespace {

std::vector<std::string> given_among(const json::object& object, const std::vector<std::string>& names) {
  std::vector<std::string> given;
  for (const auto& name : names)
    if (is_given(object.if_contains(name))) given.push_back(name);
  return given;
}

// For hooks whose settings are only {"args": [top-level arguments]}.
PreconditionHook args_hook(std::size_t min_args) {
  PreconditionHook hook;
  hook.check_settings = [min_args](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({"args"});
    for (const auto& arg : check.names("args", true, min_args)) check.argument(arg);
    return check.fault();
  };
  hook.args_used = [](const json::object& settings) { return setting_names(settings, "args"); };
  return hook;
}

std::optional<ToolError> too_many(const std::vector<std::string>& args, const std::vector<std::string>& given,
                                  std::string_view how_many) {
  return precondition_error(given[1], "Give " + std::string(how_many) + " of " + quoted_or(args) + "; got " +
                                          quoted_and(given) + ". Remove all but one.");
}

}  // namespace

PreconditionHook make_at_least_one_of_hook() {
  PreconditionHook hook;
  hook.check_settings = [](const json::object& settings, const json::object& schema) {
    SettingsCheck check(settings, schema);
    check.only({"args", "in"});
    auto args = check.names("args", true);
    if (auto in = check.name("in", false)) {
      const auto* array = check.argument(*in);
      if (!array) return check.fault();
      const auto* items = array->if_contains("items");
      const auto* item_properties = items && items->is_object() ? items->get_object().if_contains("properties") : nullptr;
      if (!item_properties || !item_properties->is_object()) {
        check.fail("setting 'in' names '" + *in + "', which is not an array of objects with declared properties");
      } else {
        for (const auto& arg : args)
          if (!item_properties->get_object().contains(arg))
            check.fail("names '" + arg + "', which the items of '" + *in + "' do not declare");
      }
    } else {
      for (const auto& arg : args) check.argument(arg);
    }
    return check.fault();
  };
  hook.args_used = [](const json::object& settings) {
    auto in = setting_name(settings, "in");
    return in.empty() ? setting_names(settings, "args") : std::vector<std::string>{in};
  };
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    const auto names = setting_names(settings, "args");
    const auto in = setting_name(settings, "in");
    if (in.empty()) {
      if (!given_among(args, names).empty()) return std::nullopt;
      return precondition_error(names.front(), "Give at least one of " + quoted_or(names) + "; none was given.");
    }
    const auto* items = args.if_contains(in);
    if (!items || !items->is_array()) return std::nullopt;  // absent: the schema decides if that is allowed
    for (std::size_t i = 0; i < items->get_array().size(); ++i) {
      const auto* item = items->get_array()[i].if_object();
      if (!item || !given_among(*item, names).empty()) continue;
      const auto where = item_path(in, i);
      return precondition_error(where, "'" + where + "' needs at least one of " + quoted_or(names) +
                                           "; give one in every item of '" + in + "'.");
    }
    return std::nullopt;
  };
  return hook;
}

PreconditionHook make_at_most_one_of_hook() {
  PreconditionHook hook = args_hook(2);
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    const auto names = setting_names(settings, "args");
    const auto given = given_among(args, names);
    if (given.size() <= 1) return std::nullopt;
    return too_many(names, given, "at most one");
  };
  return hook;
}

PreconditionHook make_exactly_one_of_hook() {
  PreconditionHook hook = args_hook(2);
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    const auto names = setting_names(settings, "args");
    const auto given = given_among(args, names);
    if (given.size() == 1) return std::nullopt;
    if (given.empty())
      return precondition_error(names.front(), "Give exactly one of " + quoted_or(names) + "; none was given.");
    return too_many(names, given, "exactly one");
  };
  return hook;
}

PreconditionHook make_non_empty_hook() {
  PreconditionHook hook = args_hook(1);
  hook.check = [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
    for (const auto& name : setting_names(settings, "args")) {
      const auto* value = args.if_contains(name);
      if (!value || value->is_null() || is_given(value)) continue;  // absence is the schema's business
      if (value->is_string())
        return precondition_error(name, "'" + name + "' must not be blank; give a non-empty value.");
      return precondition_error(name, "'" + name + "' must not be empty; give at least one item.");
    }
    return std::nullopt;
  };
  return hook;
}

}  // namespace kmcp
