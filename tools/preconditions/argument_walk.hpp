#pragma once
// Visiting every member of a call's arguments at any depth, with its path as a model reads it
// ("profiles[2].email"), for hooks that check values wherever they sit.
#include <functional>
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"

namespace kmcp {

// `check(key, path, value)` for every object member below `args`; stops at the first error.
using MemberCheck = std::function<std::optional<ToolError>(std::string_view key, const std::string& path, const json::value& value)>;
std::optional<ToolError> check_members(const json::object& args, const MemberCheck& check);

// `check(path, text)` for `value` when it is a string, or for each string item when it is an
// array; stops at the first error.
using TextCheck = std::function<std::optional<ToolError>(const std::string& path, std::string_view text)>;
std::optional<ToolError> check_texts(const std::string& path, const json::value& value, const TextCheck& check);

}  // namespace kmcp
