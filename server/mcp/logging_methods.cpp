// logging/setLevel: the threshold for notifications/message sent during tool calls.
#include "server/mcp/dispatcher_methods.hpp"

namespace kmcp {

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::set_level(Dispatcher& d, Incoming& in) {
  const json::value* level = in.message.params.if_contains("level");
  if (!level || !level->is_string()) co_return invalid_params(in, "level must be a string");
  const std::string_view name = level->get_string();
  // parse_log_level also takes "warn" for our own config; the protocol knows only RFC 5424 names.
  const std::optional<LogLevel> parsed = parse_log_level(name);
  if (!parsed || to_string(*parsed) != name)
    co_return invalid_params(in, "level must be one of debug, info, notice, warning, error, critical, alert, emergency");
  in.session.log_level = *parsed;
  d.logger_.debug("log_level_set", {{"session", in.session.id}, {"level", name}});
  co_return jsonrpc::make_result(in.message.id, json::object{});
}

}  // namespace kmcp
