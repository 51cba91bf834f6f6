#pragma once
// `klaviyo-mcp call NAME --args JSON`: one tools/call through the server's own dispatcher and
// pipeline (main.cpp builds them as for serving), its CallToolResult printed.
#include <boost/system/result.hpp>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp {

class Dispatcher;

// Exit codes: the call succeeded, its result is isError, the command was misused (bad
// arguments, unknown or hidden tool).
inline constexpr int kCallSucceeded = 0;
inline constexpr int kCallFailed = 1;
inline constexpr int kCallMisused = 2;

// --args: a JSON object given as text, "@FILE" (read from FILE) or "-" (read from `input`, the standard input).
// An error names the source and what is wrong with it.
boost::system::result<json::object, std::string> read_call_arguments(std::string_view source, std::istream& input);

// The JSON-RPC reply to one tools/call of `name` with `arguments`, handled as a transport would
// hand it over; its notifications (progress, logs) go to `notes`. nullopt if it was cancelled.
asio::awaitable<std::optional<json::object>> call_once(Dispatcher& dispatcher, std::string name,
                                                        json::object arguments, std::ostream& notes);

// Prints a reply: the CallToolResult pretty on `out`, or the error on `err`. Returns the exit
// code: kCallSucceeded, kCallFailed (isError, an internal error, no reply), kCallMisused
// (invalid params).
int print_call_reply(const std::optional<json::object>& reply, std::ostream& out, std::ostream& err);

}  // namespace kmcp
