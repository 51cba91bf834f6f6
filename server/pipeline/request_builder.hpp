#pragma once
// Turns a tool's spec and one call's (schema-valid) arguments into the pieces of a Klaviyo
// request: path, query string and JSON:API body. Pure: no I/O, no clock.
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

template <class T>
using BuildResult = boost::system::result<T, ToolError>;

// RFC 3986: everything but unreserved characters is %XX-encoded (so "[" -> %5B, "/" -> %2F).
std::string percent_encode(std::string_view text);

// The page[cursor] value from a whole next-link URL (or any text carrying "page[cursor]="),
// or `value` itself when it is a bare cursor. nullopt for a URL without a cursor.
std::optional<std::string> cursor_from(std::string_view value);

// spec.path with every {placeholder} replaced by its percent-encoded argument.
BuildResult<std::string> build_path(const ToolSpec& spec, const json::object& args);

// The encoded query string (no leading '?'), parameters in spec order; "" when none apply.
BuildResult<std::string> build_query(const ToolSpec& spec, const json::object& args);

// Path plus "?query" when there is one: the origin-form request target.
BuildResult<std::string> build_target(const ToolSpec& spec, const json::object& args);

// The compact JSON:API body, "" for body kind none.
BuildResult<std::string> build_body(const ToolSpec& spec, const json::object& args);

}  // namespace kmcp
