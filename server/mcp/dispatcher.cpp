#include "server/mcp/dispatcher.hpp"

#include <array>
#include <cstdio>
#include <exception>
#include <random>
#include <utility>

#include "server/mcp/dispatcher_methods.hpp"
#include "server/registry/tool_exposure.hpp"

namespace kmcp {

using Kind = jsonrpc::Message::Kind;

std::span<const Dispatcher::Methods::Entry> Dispatcher::Methods::table() {
  static constexpr std::array<Entry, 15> kTable = {{
      {"initialize", Kind::request, &Methods::initialize},
      {"ping", Kind::request, &Methods::ping},
      {"notifications/initialized", Kind::notification, &Methods::initialized},
      {"logging/setLevel", Kind::request, &Methods::set_level},
      {"tools/list", Kind::request, &Methods::tools_list},
      {"tools/call", Kind::request, &Methods::tools_call},
      {"notifications/cancelled", Kind::notification, &Methods::cancelled},
      {"resources/list", Kind::request, &Methods::resources_list},
      {"resources/templates/list", Kind::request, &Methods::resource_templates_list},
      {"resources/read", Kind::request, &Methods::resources_read},
      {"resources/subscribe", Kind::request, &Methods::resources_subscribe},
      {"resources/unsubscribe", Kind::request, &Methods::resources_subscribe},
      {"prompts/list", Kind::request, &Methods::prompts_list},
      {"prompts/get", Kind::request, &Methods::prompts_get},
      {"completion/complete", Kind::request, &Methods::complete},
  }};
  return kTable;
}

const Dispatcher::Methods::Entry* Dispatcher::Methods::find(std::string_view name, Kind kind) {
  for (const Entry& e : table())
    if (e.name == name && e.kind == kind) return &e;
  return nullptr;
}

namespace {
std::string random_prefix() {
  std::random_device entropy;
  char text[9];
  std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(entropy()));
  return text;
}
}  // namespace

Dispatcher::Dispatcher(const ToolRegistry& registry, ToolRunner& runner, Logger& logger, const Clock& clock,
                       DispatcherOptions options)
    : registry_(registry),
      runner_(runner),
      logger_(logger),
      clock_(clock),
      options_(std::move(options)),
      exposure_(options_.exposure ? options_.exposure : ToolExposure::everything(registry)),
      request_id_prefix_(random_prefix()) {}

asio::awaitable<std::optional<json::object>> Dispatcher::handle(jsonrpc::Message message, McpSession& session,
                                                                MessageSink& sink, std::string account) {
  if (message.kind == Kind::invalid) {
    if (message.error_reply.empty()) co_return std::nullopt;
    co_return std::move(message.error_reply);
  }
  if (message.kind == Kind::response) {
    // An answer to nothing we asked (late, or after a timeout) is dropped.
    if (!session.client_requests.answer(message.id, message.raw)) logger_.debug("response_unmatched", {{"id", message.id}});
    co_return std::nullopt;
  }

  const bool is_request = message.kind == Kind::request;
  const Methods::Entry* entry = Methods::find(message.method, message.kind);
  if (!entry) {
    if (is_request)
      co_return jsonrpc::make_error(message.id, jsonrpc::kMethodNotFound, "Method not found: " + message.method);
    logger_.debug("notification_ignored", {{"method", message.method}});
    co_return std::nullopt;
  }
  // Lenient: many clients send tools/list before notifications/initialized, some even before
  // initialize; serving them costs nothing.
  if (is_request && session.protocol_version.empty() && message.method != "initialize" && message.method != "ping")
    logger_.debug("request_before_initialize", {{"method", message.method}});

  Methods::Incoming in{message, session, sink, account.empty() ? options_.default_account : account};
  std::optional<json::object> reply;
  std::exception_ptr failure;
  try {
    reply = co_await entry->handler(*this, in);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    // A handler bug: say so in the log, keep the details out of the reply, keep serving.
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    logger_.error("handler_failed", {{"method", message.method}, {"error", what}});
    if (!is_request) co_return std::nullopt;
    co_return jsonrpc::make_error(message.id, jsonrpc::kInternalError, "Internal error");
  }
  if (!is_request) co_return std::nullopt;
  co_return reply;
}

}  // namespace kmcp
