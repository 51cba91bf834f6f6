#include "server/pipeline/argument_validation.hpp"

#include "server/pipeline/argument_text.hpp"
#include "server/registry/lazy_schema_validator.hpp"

namespace kmcp {
namespace {

constexpr std::size_t kMaxReported = 20;      // violations carried in details
constexpr std::size_t kMaxInMessage = 4;      // violations spelled out in the message

// A violation at the root (e.g. a missing required property) has an empty pointer; the
// property it is about is usually quoted in the validator's message.
std::string root_argument(const ToolSpec& spec, const std::string& message) {
  auto props = spec.input_schema.find("properties");
  if (props != spec.input_schema.end() && props->value().is_object()) {
    for (const auto& [name, schema] : props->value().get_object()) {
      (void)schema;
      std::string key(name);
      if (message.find("'" + key + "'") != std::string::npos || message.find("\"" + key + "\"") != std::string::npos)
        return key;
    }
  }
  return "arguments";
}

}  // namespace

ToolError invalid_argument(std::string argument, std::string problem) {
  ToolError error{"validation", "Invalid argument " + argument + ": " + problem};
  error.details["argument"] = argument;
  error.details["violations"] =
      json::array{json::object{{"argument", argument}, {"message", std::move(problem)}}};
  return error;
}

std::optional<ToolError> validate_arguments(const ToolSpec& spec, const json::object& args) {
  if (!spec.validator) return std::nullopt;
  auto violations = spec.validator->validate(json::value(args));
  if (violations.empty()) return std::nullopt;

  json::array reported;
  std::string listed;
  std::string first_argument;
  for (std::size_t i = 0; i < violations.size() && i < kMaxReported; ++i) {
    const auto& v = violations[i];
    std::string argument =
        v.pointer.empty() ? root_argument(spec, v.message) : argument_name_from_pointer(v.pointer);
    if (i == 0) first_argument = argument;
    if (i < kMaxInMessage) listed += (listed.empty() ? "" : "; ") + argument + ": " + v.message;
    reported.push_back(json::object{{"argument", argument}, {"message", v.message}});
  }
  if (violations.size() > kMaxInMessage)
    listed += "; and " + std::to_string(violations.size() - kMaxInMessage) + " more";

  ToolError error{"validation", std::string(violations.size() == 1 ? "Invalid argument " : "Invalid arguments: ") +
                                    listed + ". Change the argument(s) to match the tool's inputSchema and call again."};
  error.details["argument"] = first_argument;
  error.details["violations"] = std::move(reported);
  return error;
}

}  // namespace kmcp
