// initialize, notifications/initialized and ping.
#include <algorithm>

#include "server/mcp/dispatcher_methods.hpp"

namespace kmcp {

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::initialize(Dispatcher& d, Incoming& in) {
  McpSession& session = in.session;
  const json::object& params = in.message.params;
  if (!session.protocol_version.empty())
    co_return jsonrpc::make_error(in.message.id, jsonrpc::kInvalidRequest, "session is already initialized");

  const json::value* requested = params.if_contains("protocolVersion");
  if (!requested || !requested->is_string()) co_return invalid_params(in, "protocolVersion must be a string");

  // Echo a version we speak; otherwise offer our newest and let the client decide.
  const std::string wanted(requested->get_string());
  const auto& supported = kSupportedProtocolVersions;
  const bool known = std::find(supported.begin(), supported.end(), wanted) != supported.end();
  session.protocol_version = known ? wanted : supported.front();
  if (const json::value* info = params.if_contains("clientInfo"); info && info->is_object())
    session.client_info = info->get_object();
  if (const json::value* caps = params.if_contains("capabilities"); caps && caps->is_object())
    session.client_capabilities = caps->get_object();

  // A session id works as a credential over HTTP: log only a prefix that tells sessions apart.
  d.logger_.info("initialize", {{"session", session.id.substr(0, 8)},
                                {"requested_version", wanted},
                                {"protocol_version", session.protocol_version},
                                {"client", session.client_info}});

  json::object server_info{{"name", d.options_.server_name},
                           {"title", d.options_.server_title},
                           {"version", d.options_.server_version}};
  json::object result{{"protocolVersion", session.protocol_version},
                      {"capabilities", {{"tools", {{"listChanged", false}}},
                                        {"resources", {{"subscribe", true}, {"listChanged", false}}},
                                        {"prompts", {{"listChanged", false}}},
                                        {"completions", json::object{}},
                                        {"logging", json::object{}}}},
                      {"serverInfo", std::move(server_info)}};
  if (!d.options_.instructions.empty()) result["instructions"] = d.options_.instructions;
  co_return jsonrpc::make_result(in.message.id, std::move(result));
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::initialized(Dispatcher& d, Incoming& in) {
  if (in.session.protocol_version.empty()) d.logger_.debug("initialized_before_initialize");
  in.session.initialized = true;
  co_return std::nullopt;
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::ping(Dispatcher&, Incoming& in) {
  co_return jsonrpc::make_result(in.message.id, json::object{});
}

}  // namespace kmcp
