#pragma once
// What a replica needs to continue a session another one began: its id and owner, the MCP
// state initialize and later requests set, and the tool narrowing it started with.
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"

namespace kmcp {

class HttpSession;

struct SessionRecord {
  std::string id;
  std::string owner;  // the token label that started it ("" without authentication)
  std::string protocol_version;
  bool initialized = false;
  json::object client_info;
  json::object client_capabilities;
  std::optional<LogLevel> log_level;
  // The narrowing headers and query of the initialize request (see tool_narrowing.hpp), to
  // narrow the same tools again on another replica; empty when it asked for none.
  json::object narrowing;
};

json::object to_json(const SessionRecord& record);
// Nothing for a record of another shape (another version, or not ours).
std::optional<SessionRecord> session_record_from_json(const json::value& value);

// The record of `session`. Only on the session's strand.
SessionRecord record_of(HttpSession& session);
// Sets `session`'s MCP state from `record`, before the session is shared.
void restore(HttpSession& session, const SessionRecord& record);

}  // namespace kmcp
