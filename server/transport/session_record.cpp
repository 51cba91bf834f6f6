#include "server/transport/session_record.hpp"

#include "server/transport/http_session.hpp"

namespace kmcp {
namespace {

constexpr int kRecordVersion = 1;

std::string string_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

json::object object_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? value->get_object() : json::object();
}

}  // namespace

json::object to_json(const SessionRecord& record) {
  json::object out{{"v", kRecordVersion},
                   {"id", record.id},
                   {"owner", record.owner},
                   {"protocol_version", record.protocol_version},
                   {"initialized", record.initialized},
                   {"client_info", record.client_info},
                   {"client_capabilities", record.client_capabilities},
                   {"narrowing", record.narrowing}};
  if (record.log_level) out["log_level"] = to_string(*record.log_level);
  return out;
}

std::optional<SessionRecord> session_record_from_json(const json::value& value) {
  const json::object* object = value.if_object();
  if (!object) return std::nullopt;
  const json::value* version = object->if_contains("v");
  if (!version || !version->is_int64() || version->get_int64() != kRecordVersion) return std::nullopt;
  SessionRecord record;
  record.id = string_at(*object, "id");
  if (record.id.empty()) return std::nullopt;
  record.owner = string_at(*object, "owner");
  record.protocol_version = string_at(*object, "protocol_version");
  const json::value* initialized = object->if_contains("initialized");
  record.initialized = initialized && initialized->is_bool() && initialized->get_bool();
  record.client_info = object_at(*object, "client_info");
  record.client_capabilities = object_at(*object, "client_capabilities");
  record.narrowing = object_at(*object, "narrowing");
  if (const std::string level = string_at(*object, "log_level"); !level.empty()) record.log_level = parse_log_level(level);
  return record;
}

SessionRecord record_of(HttpSession& session) {
  const McpSession& mcp = session.mcp();
  return SessionRecord{.id = session.id(),
                       .owner = session.owner(),
                       .protocol_version = mcp.protocol_version,
                       .initialized = mcp.initialized,
                       .client_info = mcp.client_info,
                       .client_capabilities = mcp.client_capabilities,
                       .log_level = mcp.log_level,
                       .narrowing = session.narrowing()};
}

void restore(HttpSession& session, const SessionRecord& record) {
  session.set_owner(record.owner);
  session.set_narrowing(record.narrowing);
  McpSession& mcp = session.mcp();
  mcp.protocol_version = record.protocol_version;
  mcp.initialized = record.initialized;
  mcp.client_info = record.client_info;
  mcp.client_capabilities = record.client_capabilities;
  mcp.log_level = record.log_level;
}

}  // namespace kmcp
