#pragma once
// Running one standard hook by name, as the registry (settings) and the pipeline (calls) do.
#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

inline json::object object(std::string_view text) { return json::parse(text).as_object(); }

class StandardHook {
 public:
  explicit StandardHook(const std::string& name) : table_(make_standard_hooks()), hook_(table_.find(name)) {
    if (!hook_) throw std::logic_error("no standard hook " + name);
  }

  // check_settings, with the hook's fault or nullopt.
  std::optional<std::string> settings_fault(std::string_view settings, std::string_view input_schema) const {
    return hook_->check_settings(object(settings), object(input_schema));
  }
  std::vector<std::string> args_used(std::string_view settings) const {
    return hook_->args_used ? hook_->args_used(object(settings)) : std::vector<std::string>{};
  }
  std::optional<ToolError> check(std::string_view settings, std::string_view args) const {
    return hook_->check(object(args), object(settings));
  }

 private:
  HookTable table_;
  const PreconditionHook* hook_;
};

// The call failed with a precondition error about `argument`, with exactly `message`.
inline void failed(const std::optional<ToolError>& error, const std::string& argument, const std::string& message) {
  REQUIRE(error.has_value());
  CHECK(error->kind == "precondition");
  CHECK(error->details.at("argument") == json::value(argument));
  CHECK(error->message == message);
}

}  // namespace kmcp::test
