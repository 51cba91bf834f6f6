#include "server/mcp/jsonrpc.hpp"

#include <utility>

namespace kmcp::jsonrpc {
namespace {

// MCP forbids null ids; JSON-RPC discourages fractional ones. Integers that overflow int64 and
// uint64 arrive as doubles and are refused too.
bool is_valid_id(const json::value& id) { return id.is_string() || id.is_int64() || id.is_uint64(); }

Message invalid(json::object reply) {
  Message m;
  m.kind = Message::Kind::invalid;
  m.error_reply = std::move(reply);
  return m;
}

bool has_version_2(const json::object& obj) {
  const json::value* v = obj.if_contains("jsonrpc");
  return v && v->is_string() && v->get_string() == "2.0";
}

}  // namespace

Message parse(std::string_view text, std::size_t max_depth) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = max_depth;
  json::value doc = json::parse(text, ec, {}, options);
  // Too deep is a parse error (-32700), not an invalid request: the parser stopped before it had
  // a whole value, so there is no id to answer to.
  if (ec == json::error::too_deep) return invalid(make_error(nullptr, kParseError, "Parse error: nesting too deep"));
  if (ec) return invalid(make_error(nullptr, kParseError, "Parse error"));
  if (doc.is_array()) return invalid(make_error(nullptr, kInvalidRequest, "batches are not supported"));
  if (!doc.is_object()) return invalid(make_error(nullptr, kInvalidRequest, "a message must be a JSON object"));

  json::object& obj = doc.get_object();
  const json::value* id = obj.if_contains("id");
  const json::value* method = obj.if_contains("method");

  // A response to a request of ours. Never answered, not even when malformed.
  if (!method && (obj.contains("result") || obj.contains("error"))) {
    if (!has_version_2(obj) || !id) return invalid({});
    Message m;
    m.kind = Message::Kind::response;
    m.id = *id;
    m.raw = std::move(obj);
    return m;
  }

  // A notification is a message with a string method and no id: a malformed one gets no reply.
  // Anything else malformed (no method at all, a non-string method, a bad id) is answered with
  // -32600, using the id when it is a valid one.
  const bool notification = !id && method && method->is_string();
  auto fail = [&](int code, std::string_view message) {
    if (notification) return invalid({});
    return invalid(make_error(id && is_valid_id(*id) ? *id : json::value(nullptr), code, message));
  };
  if (!has_version_2(obj)) return fail(kInvalidRequest, "jsonrpc must be \"2.0\"");
  if (id && !is_valid_id(*id)) return fail(kInvalidRequest, "id must be a string or an integer");
  if (!method || !method->is_string()) return fail(kInvalidRequest, "method must be a string");

  Message m;
  if (const json::value* params = obj.if_contains("params"); params && !params->is_null()) {
    // JSON-RPC also allows positional (array) params; MCP never uses them.
    if (!params->is_object()) return fail(kInvalidParams, "params must be an object");
    m.params = params->get_object();
  }
  m.kind = notification ? Message::Kind::notification : Message::Kind::request;
  if (id) m.id = *id;
  m.method = method->get_string();
  m.raw = std::move(obj);
  return m;
}

json::object make_result(const json::value& id, json::value result) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

namespace {
// Not a JSON-RPC member, and not one a client can send (a control character leads it).
constexpr std::string_view kSerializedResult = "\x01serialized_result";
}  // namespace

json::object make_serialized_result(const json::value& id, std::string_view result_json) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {kSerializedResult, result_json}};
}

std::string serialize(const json::object& message) {
  const json::value* text = message.if_contains(kSerializedResult);
  if (!text || !text->is_string()) return json::serialize(message);
  const json::string& result = text->get_string();
  const json::value* id = message.if_contains("id");
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out += id ? json::serialize(*id) : "null";
  out.reserve(out.size() + result.size() + 12);
  out += R"(,"result":)";
  out.append(result.data(), result.size());
  out += '}';
  return out;
}

json::object make_error(const json::value& id, int code, std::string_view message, std::optional<json::value> data) {
  json::object error{{"code", code}, {"message", message}};
  if (data) error["data"] = std::move(*data);
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

json::object make_notification(std::string_view method, json::object params) {
  return json::object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace kmcp::jsonrpc
