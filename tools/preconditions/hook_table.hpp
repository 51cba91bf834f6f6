#pragma once
// Named precondition hooks: checks a tool's spec names under "preconditions", run after schema
// validation and before anything is sent. Built explicitly by make_standard_hooks() in the
// composition root; no static registration.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"

namespace kmcp {

struct PreconditionHook {
  // Checks one call's (schema-valid) arguments. `settings` is the spec entry minus "hook".
  // Returns a ToolError of kind "precondition" naming the argument and how to fix it.
  std::function<std::optional<ToolError>(const json::object& args, const json::object& settings)> check;
  // Checks a spec's settings at startup (and that the arguments it names exist in `schema`);
  // returns a message on a fault.
  std::function<std::optional<std::string>(const json::object& settings, const json::object& input_schema)> check_settings;
  // The top-level arguments the hook reads, given its (checked) settings, so the registry can
  // prove every inputSchema property is used by something. Optional: empty = reads none by name.
  std::function<std::vector<std::string>(const json::object& settings)> args_used;
};

class HookTable {
 public:
  void add(std::string name, PreconditionHook hook) { hooks_[std::move(name)] = std::move(hook); }
  const PreconditionHook* find(const std::string& name) const {
    auto it = hooks_.find(name);
    return it == hooks_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, PreconditionHook> hooks_;
};

// Every hook the project ships.
HookTable make_standard_hooks();

}  // namespace kmcp
