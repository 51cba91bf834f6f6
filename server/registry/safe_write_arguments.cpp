#include "server/registry/safe_write_arguments.hpp"

#include "server/registry/added_arguments.hpp"

namespace kmcp {
namespace {

bool takes_dry_run(const Annotations& annotations) { return !annotations.read_only; }
bool takes_token(const Annotations& annotations) { return annotations.destructive; }

}  // namespace

void add_safe_write_arguments(json::object& input_schema, const Annotations& annotations) {
  if (!takes_dry_run(annotations) && !takes_token(annotations)) return;
  auto& props = properties_for_added_arguments(input_schema, {kDryRunArg, kConfirmationTokenArg}, "write tools");
  if (takes_dry_run(annotations))
    props[kDryRunArg] = json::object{
        {"type", "boolean"},
        {"description", "true: send nothing; return the exact HTTP request this call would send."}};
  if (takes_token(annotations))
    props[kConfirmationTokenArg] = json::object{
        {"type", "string"},
        {"description", "From this tool's preview, only once the human agreed to it; same other arguments. Single use."}};
}

bool requested_dry_run(const ToolSpec& spec, const json::object& args) {
  if (!takes_dry_run(spec.annotations)) return false;
  const auto* dry_run = args.if_contains(kDryRunArg);
  return dry_run && dry_run->is_bool() && dry_run->get_bool();
}

std::optional<std::string> given_confirmation_token(const ToolSpec& spec, const json::object& args) {
  if (!takes_token(spec.annotations)) return std::nullopt;
  const auto* token = args.if_contains(kConfirmationTokenArg);
  if (!token || !token->is_string()) return std::nullopt;
  return std::string(token->get_string());
}

std::optional<json::object> without_safe_write_arguments(const ToolSpec& spec, const json::object& args) {
  const bool has_dry_run = takes_dry_run(spec.annotations) && args.contains(kDryRunArg);
  const bool has_token = takes_token(spec.annotations) && args.contains(kConfirmationTokenArg);
  if (!has_dry_run && !has_token) return std::nullopt;
  json::object stripped = args;
  if (has_dry_run) stripped.erase(kDryRunArg);
  if (has_token) stripped.erase(kConfirmationTokenArg);
  return stripped;
}

}  // namespace kmcp
