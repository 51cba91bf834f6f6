// tools/call and notifications/cancelled. Each call runs as its own coroutine under a
// cancellation signal kept in session.in_flight; notifications/cancelled (or cancelling the
// handle() coroutine itself) emits terminal cancellation, which reaches every co_await inside
// the runner, the outbound request included.
#include <exception>

#include "server/core/clock.hpp"
#include "server/mcp/call_notifications.hpp"
#include "server/mcp/call_timeout.hpp"
#include "server/mcp/conformance_fixtures.hpp"
#include "server/mcp/dispatcher_methods.hpp"
#include "server/pipeline/tool_runner.hpp"
#include "server/registry/job_wait_arguments.hpp"
#include "server/registry/tool_registry.hpp"
#include "server/registry/tool_selection.hpp"

namespace kmcp {
namespace {

// Keeps one call in session.in_flight for its lifetime, and forwards cancellation of the awaiting
// coroutine (the transport's) to the call's own signal.
class InFlight {
 public:
  InFlight(McpSession& session, std::string key, asio::cancellation_slot outer)
      : session_(session), key_(std::move(key)), outer_(outer) {
    session_.in_flight.emplace(key_, signal_);
    if (outer_.is_connected())
      outer_.assign([signal = signal_](asio::cancellation_type type) { signal->emit(type); });
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() {
    if (outer_.is_connected()) outer_.clear();
    if (registered()) session_.in_flight.erase(key_);
  }

  asio::cancellation_slot slot() const { return signal_->slot(); }
  // False once notifications/cancelled took the call out of the table.
  bool registered() const {
    auto it = session_.in_flight.find(key_);
    return it != session_.in_flight.end() && it->second == signal_;
  }

 private:
  McpSession& session_;
  std::string key_;
  asio::cancellation_slot outer_;
  std::shared_ptr<asio::cancellation_signal> signal_ = std::make_shared<asio::cancellation_signal>();
};

bool is_operation_aborted(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& e) {
    return e.code() == asio::error::operation_aborted;
  } catch (...) {
    return false;
  }
}

std::optional<json::value> progress_token(const json::object& params) {
  const json::value* meta = params.if_contains("_meta");
  if (!meta || !meta->is_object()) return std::nullopt;
  const json::value* token = meta->get_object().if_contains("progressToken");
  if (!token || !(token->is_string() || token->is_int64() || token->is_uint64())) return std::nullopt;
  return *token;
}

// The elicitation/create params of a confirmation: the preview's question and one yes/no field.
json::object confirmation_request(std::string question) {
  json::object schema{
      {"type", "object"},
      {"properties",
       {{"confirm", {{"type", "boolean"}, {"title", "Run it"}, {"description", "Yes runs this change now."}, {"default", false}}}}},
      {"required", json::array{"confirm"}}};
  return {{"message", std::move(question)}, {"requestedSchema", std::move(schema)}};
}

// Asks the human through the client (elicitation/create) whether a destructive call may run:
// true or false when they answered, nullopt when the client could not ask (the call then falls
// back to the confirmation token). g++ 12 rejects a braced initializer list alive across a
// co_await, so the request is built by confirmation_request().
asio::awaitable<std::optional<bool>> ask_confirmation(McpSession* session, MessageSink* sink, std::string question,
                                                      std::chrono::milliseconds time_left) {
  if (time_left <= std::chrono::milliseconds::zero()) co_return std::nullopt;
  json::object request = confirmation_request(std::move(question));
  auto answer = co_await session->client_requests.request(*sink, "elicitation/create", std::move(request), time_left);
  if (!answer) {
    if (answer.error().kind == ClientRequestFailure::Kind::cancelled) co_return false;
    co_return std::nullopt;
  }
  const json::value* action = answer->if_contains("action");
  if (!action || !action->is_string()) co_return std::nullopt;
  if (action->get_string() != "accept") co_return false;  // decline or cancel: nothing runs
  const json::value* content = answer->if_contains("content");
  const json::value* confirmed = content && content->is_object() ? content->get_object().if_contains("confirm") : nullptr;
  co_return confirmed && confirmed->is_bool() && confirmed->get_bool();
}

// A sandbox result says so where a model reads (the first text) and where a program does (_meta).
void mark_sandbox(json::object& result) {
  json::value& content = result["content"];
  if (!content.is_array()) content = json::array{};
  content.get_array().insert(content.get_array().begin(),
                             json::object{{"type", "text"}, {"text", std::string(kSandboxNotice)}});
  json::value& meta = result["_meta"];
  if (!meta.is_object()) meta = json::object{};
  meta.get_object()[kSandboxMetaKey] = true;
}

}  // namespace

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::tools_call(Dispatcher& d, Incoming& in) {
  const json::object& params = in.message.params;
  const json::value* name = params.if_contains("name");
  if (!name || !name->is_string()) co_return invalid_params(in, "name must be a string");
  if (d.options_.conformance_fixtures && fixtures::is_tool(name->get_string()))
    co_return co_await fixture_call(d, in);
  const ToolSpec* spec = d.registry_.find(name->get_string());
  if (!spec) co_return invalid_params(in, "Unknown tool: " + std::string(name->get_string()));
  // Known but not exposed: say so, and what would expose it, rather than "unknown".
  if (const auto hidden = d.tools_of(in.session).hidden(*spec))
    co_return invalid_params(in, hidden_tool_message(*spec, *hidden));

  json::object arguments;
  if (const json::value* args = params.if_contains("arguments"); args && !args->is_null()) {
    if (!args->is_object()) co_return invalid_params(in, "arguments must be an object");
    arguments = args->get_object();
  }

  const auto timeout = call_timeout(params, d.options_.call_timeout);
  if (!timeout) co_return invalid_params(in, timeout.error());

  std::string key = request_key(in.message.id);
  if (in.session.in_flight.contains(key))
    co_return jsonrpc::make_error(in.message.id, jsonrpc::kInvalidRequest, "request id is already in use by a call under way");

  auto outer = co_await asio::this_coro::cancellation_state;
  if (outer.cancelled() != asio::cancellation_type::none) co_return std::nullopt;

  CallNotifications notifications(in.sink, progress_token(params), in.session.log_level, d.options_.server_name,
                                  spec->name);
  CallContext context;
  context.account = in.account;
  context.request_id = d.next_request_id();
  context.rpc_id = in.message.id;
  context.session = in.session.id.substr(0, 8);
  // A call that waits for its job gets the wait on top of its timeout, which still bounds the
  // start request: a deadline shorter than the wait would cut every wait short.
  const auto job_wait = requested_job_wait(*spec, arguments).value_or(std::chrono::seconds{0});
  context.deadline = d.clock_.now() + *timeout + job_wait;
  notifications.attach(context);
  if (in.session.client_can("elicitation") && in.sink.delivers_before_reply()) {
    context.confirm = [session = &in.session, sink = &in.sink, &clock = d.clock_,
                       deadline = context.deadline](std::string question) {
      return ask_confirmation(session, sink, std::move(question),
                              std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now()));
    };
  }

  InFlight call(in.session, std::move(key), outer.slot());
  const auto executor = co_await asio::this_coro::executor;
  auto [error, result] = co_await asio::co_spawn(
      executor, d.runner_.call(*spec, std::move(arguments), std::move(context)),
      asio::bind_cancellation_slot(call.slot(), asio::as_tuple(asio::use_awaitable)));
  notifications.close();

  // MCP: a cancelled request gets no response, whatever the runner made of it.
  const bool cancelled = !call.registered() || outer.cancelled() != asio::cancellation_type::none ||
                         (error && is_operation_aborted(error));
  if (cancelled) {
    d.logger_.debug("call_cancelled", {{"tool", spec->name}, {"id", in.message.id}});
    co_return std::nullopt;
  }
  if (error) std::rethrow_exception(error);  // a runner bug: handle() answers -32603
  if (d.options_.sandbox) mark_sandbox(result);
  co_return jsonrpc::make_result(in.message.id, std::move(result));
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::fixture_call(Dispatcher& d, Incoming& in) {
  const json::object& params = in.message.params;
  const std::string name(params.at("name").get_string());
  json::object arguments;
  if (const json::value* args = params.if_contains("arguments"); args && !args->is_null()) {
    if (!args->is_object()) co_return invalid_params(in, "arguments must be an object");
    arguments = args->get_object();
  }
  CallNotifications notifications(in.sink, progress_token(params), in.session.log_level, d.options_.server_name, name);
  CallContext context;
  notifications.attach(context);
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(d.options_.call_timeout);
  const fixtures::AskClient ask = [session = &in.session, sink = &in.sink, timeout](std::string method,
                                                                                     json::object request) {
    return session->client_requests.request(*sink, std::move(method), std::move(request), timeout);
  };
  json::object result = co_await fixtures::call_tool(name, arguments, context, ask);
  notifications.close();
  co_return jsonrpc::make_result(in.message.id, std::move(result));
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::cancelled(Dispatcher& d, Incoming& in) {
  const json::value* id = in.message.params.if_contains("requestId");
  if (!id || !(id->is_string() || id->is_int64() || id->is_uint64())) co_return std::nullopt;
  auto it = in.session.in_flight.find(request_key(*id));
  // Unknown or finished: the notification raced the response, which is normal.
  if (it == in.session.in_flight.end()) co_return std::nullopt;
  const auto signal = it->second;
  in.session.in_flight.erase(it);  // tells the call it was cancelled, before it resumes
  const json::value* reason = in.message.params.if_contains("reason");
  d.logger_.debug("cancel_requested", {{"id", *id}, {"reason", reason ? *reason : json::value(nullptr)}});
  signal->emit(asio::cancellation_type::terminal);
  co_return std::nullopt;
}

}  // namespace kmcp
