#include "server/pipeline/precondition_checks.hpp"

namespace kmcp {

std::optional<ToolError> check_preconditions(const ToolSpec& spec, const HookTable& hooks, const json::object& args) {
  for (const auto& precondition : spec.preconditions) {
    const PreconditionHook* hook = hooks.find(precondition.hook);
    // The registry refuses unknown hooks at startup; this only guards a mismatched table.
    if (!hook || !hook->check)
      return ToolError{"config", "Tool " + spec.name + " names the precondition hook '" + precondition.hook +
                                     "', which this server does not have."};
    if (auto error = hook->check(args, precondition.settings)) return error;
  }
  return std::nullopt;
}

}  // namespace kmcp
