#pragma once
// JSON-RPC 2.0 framing: classify one incoming text as request, notification or response, or
// produce the error response a malformed one deserves. No I/O.
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp::jsonrpc {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

struct Message {
  enum class Kind { request, notification, response, invalid };
  Kind kind = Kind::invalid;
  json::value id;             // request/response id (string or integer); null otherwise
  std::string method;
  json::object params;        // absent (or null) params read as {}
  json::object raw;           // the whole message
  json::object error_reply;   // kind == invalid: the error response to send (may be empty
                              // when nothing must be sent back)
};

// Parses and classifies. Batches (arrays) are rejected with -32600; bad JSON gives -32700 with
// a null id; `max_depth` bounds nesting (deeper input is a -32700 parse error). A malformed
// notification (string method, no id) or response gets no error reply.
Message parse(std::string_view text, std::size_t max_depth = 64);

json::object make_result(const json::value& id, json::value result);
json::object make_error(const json::value& id, int code, std::string_view message,
                        std::optional<json::value> data = std::nullopt);
json::object make_notification(std::string_view method, json::object params);

// A result already serialized (`result_json`, one JSON value), for results that never change
// (tools/list pages): copied as text, not rebuilt and serialized per request. Only serialize()
// below writes it out as JSON-RPC; the object holds it under a key no JSON-RPC message has.
json::object make_serialized_result(const json::value& id, std::string_view result_json);

// The text of an outgoing message: every transport writes messages with this.
std::string serialize(const json::object& message);

}  // namespace kmcp::jsonrpc
