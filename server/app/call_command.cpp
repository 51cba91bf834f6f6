#include "server/app/call_command.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include "server/core/json_pretty.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/mcp/jsonrpc.hpp"
#include "server/mcp/message_sink.hpp"
#include "server/mcp/session.hpp"

namespace kmcp {
namespace {

// A terminal has no client to notify: notifications (progress of a job wait) go to stderr.
class LineSink final : public MessageSink {
 public:
  explicit LineSink(std::ostream& out) : out_(out) {}
  void send(json::object message) override { out_ << json::serialize(message) << "\n" << std::flush; }

 private:
  std::ostream& out_;
};

std::string slurp(std::istream& in) { return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}; }

}  // namespace

boost::system::result<json::object, std::string> read_call_arguments(std::string_view source, std::istream& input) {
  std::string text;
  std::string where = "--args";
  if (source == "-") {
    text = slurp(input);
    where = "--args - (stdin)";
  } else if (source.starts_with('@')) {
    const std::string path(source.substr(1));
    std::ifstream file(path, std::ios::binary);
    if (!file) return "--args: cannot read '" + path + "'";
    text = slurp(file);
    where = "--args @" + path;
  } else {
    text = source;
  }
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return where + ": not valid JSON (" + ec.message() + "); give an object such as '{\"list_id\":\"X\"}'";
  if (!value.is_object()) return where + ": give a JSON object of arguments, not " + json::serialize(value);
  return std::move(value.get_object());
}

asio::awaitable<std::optional<json::object>> call_once(Dispatcher& dispatcher, std::string name,
                                                        json::object arguments, std::ostream& notes) {
  McpSession session;
  session.protocol_version = kSupportedProtocolVersions.front();
  session.initialized = true;
  LineSink sink(notes);
  json::object params;
  params["name"] = std::move(name);
  params["arguments"] = std::move(arguments);
  const json::object request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", std::move(params)}};
  co_return co_await dispatcher.handle(jsonrpc::parse(json::serialize(request)), session, sink);
}

int print_call_reply(const std::optional<json::object>& reply, std::ostream& out, std::ostream& err) {
  if (!reply) {
    err << "the call was cancelled before it answered\n";
    return kCallFailed;
  }
  if (const json::value* error = reply->if_contains("error")) {
    const auto& e = error->as_object();
    const json::value* message = e.if_contains("message");
    err << (message && message->is_string() ? std::string(message->get_string()) : json::serialize(e)) << "\n";
    const json::value* code = e.if_contains("code");
    const bool misuse = code && code->is_int64() && code->get_int64() == jsonrpc::kInvalidParams;
    return misuse ? kCallMisused : kCallFailed;
  }
  const json::value* result = reply->if_contains("result");
  if (!result) {
    err << "no result in reply: " << json::serialize(*reply) << "\n";
    return kCallFailed;
  }
  out << pretty_json(*result) << "\n";
  const json::value* is_error = result->is_object() ? result->get_object().if_contains("isError") : nullptr;
  return is_error && is_error->is_bool() && is_error->get_bool() ? kCallFailed : kCallSucceeded;
}

}  // namespace kmcp
