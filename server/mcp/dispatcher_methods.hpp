#pragma once
// Internal to the MCP layer: the method handlers behind Dispatcher::handle, one file per group
// (lifecycle_methods.cpp, logging_methods.cpp, tools_list_method.cpp, tools_call_method.cpp).
// A nested class of Dispatcher, so handlers read its members without widening its interface.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/mcp/dispatcher.hpp"

namespace kmcp {

struct Dispatcher::Methods {
  // One message being handled, with the client it came from.
  struct Incoming {
    jsonrpc::Message& message;
    McpSession& session;
    MessageSink& sink;
    const std::string& account;  // whose Klaviyo account a tools/call acts for
  };
  // The response to send, or nullopt (notifications, cancelled calls).
  using Reply = std::optional<json::object>;
  using Handler = asio::awaitable<Reply> (*)(Dispatcher&, Incoming&);

  struct Entry {
    std::string_view name;
    jsonrpc::Message::Kind kind;  // a method sent as the other kind is unknown
    Handler handler;
  };
  static std::span<const Entry> table();  // dispatcher.cpp
  static const Entry* find(std::string_view name, jsonrpc::Message::Kind kind);

  // lifecycle_methods.cpp
  static asio::awaitable<Reply> initialize(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> initialized(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> ping(Dispatcher& d, Incoming& in);

  // logging_methods.cpp
  static asio::awaitable<Reply> set_level(Dispatcher& d, Incoming& in);

  // resource_prompt_methods.cpp
  static asio::awaitable<Reply> resources_list(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> resource_templates_list(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> resources_read(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> resources_subscribe(Dispatcher& d, Incoming& in);  // and unsubscribe
  static asio::awaitable<Reply> prompts_list(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> prompts_get(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> complete(Dispatcher& d, Incoming& in);

  // tools_list_method.cpp
  static asio::awaitable<Reply> tools_list(Dispatcher& d, Incoming& in);

  // tools_call_method.cpp
  static asio::awaitable<Reply> tools_call(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> cancelled(Dispatcher& d, Incoming& in);
  static asio::awaitable<Reply> fixture_call(Dispatcher& d, Incoming& in);  // --conformance-fixtures

  static json::object invalid_params(const Incoming& in, std::string_view message) {
    return jsonrpc::make_error(in.message.id, jsonrpc::kInvalidParams, message);
  }
};

// The in_flight key of a request id: its JSON text, so 1 and "1" stay distinct.
inline std::string request_key(const json::value& id) { return json::serialize(id); }

}  // namespace kmcp
