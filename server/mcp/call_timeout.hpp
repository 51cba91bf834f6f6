#pragma once
// How long one tools/call may take: the server's --call-timeout, unless the caller sets its own
// in params._meta["klaviyo-mcp/timeout_seconds"] (a positive number of seconds, at most 3600).
#include <boost/system/result.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

inline constexpr std::string_view kTimeoutMetaKey = "klaviyo-mcp/timeout_seconds";
inline constexpr double kMaxCallTimeoutSeconds = 3600;

// The timeout for a call with these tools/call params, or a message for a JSON-RPC invalid
// params error when the override is not a valid number of seconds.
boost::system::result<std::chrono::milliseconds, std::string> call_timeout(const json::object& params,
                                                                           std::chrono::milliseconds server_default);

}  // namespace kmcp
