#include "tools/preconditions/argument_walk.hpp"

#include "tools/preconditions/hook_support.hpp"

namespace kmcp {
namespace {

std::optional<ToolError> walk(const json::value& value, const std::string& path, const MemberCheck& check) {
  if (const auto* object = value.if_object()) {
    for (const auto& member : *object) {
      const auto member_at = member_path(path, member.key());
      if (auto error = check(member.key(), member_at, member.value())) return error;
      if (auto error = walk(member.value(), member_at, check)) return error;
    }
  } else if (const auto* array = value.if_array()) {
    for (std::size_t i = 0; i < array->size(); ++i)
      if (auto error = walk((*array)[i], item_path(path, i), check)) return error;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ToolError> check_members(const json::object& args, const MemberCheck& check) {
  for (const auto& member : args) {
    const std::string path(member.key());
    if (auto error = check(member.key(), path, member.value())) return error;
    if (auto error = walk(member.value(), path, check)) return error;
  }
  return std::nullopt;
}

std::optional<ToolError> check_texts(const std::string& path, const json::value& value, const TextCheck& check) {
  if (const auto* text = value.if_string()) return check(path, *text);
  if (const auto* array = value.if_array())
    for (std::size_t i = 0; i < array->size(); ++i)
      if (const auto* text = (*array)[i].if_string())
        if (auto error = check(item_path(path, i), *text)) return error;
  return std::nullopt;
}

}  // namespace kmcp
