#include "tests/unit/transport/transport_harness.hpp"

#include <vector>

#include "server/core/tool_error.hpp"
#include "server/mcp/jsonrpc.hpp"
#include "server/registry/embedded_specs.hpp"

namespace kmcp::test {

asio::awaitable<json::object> ScriptedRunner::call(const ToolSpec&, json::object arguments, CallContext context) {
  calls_.fetch_add(1);
  const std::string mode(arguments.at("mode").as_string());
  if (mode == "progress" && context.progress) {
    context.progress(1, 2, "halfway");
  } else if (mode == "block") {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
    if (!started_set_.exchange(true)) started_.set_value();
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) {
      if (!cancelled_set_.exchange(true)) cancelled_.set_value();
      co_return to_call_tool_result(ToolError{"cancelled", "The call was cancelled."});
    }
  } else if (mode == "gate") {
    if (!started_set_.exchange(true)) started_.set_value();
    co_await gate_.wait();
    const asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    if (cancellation.cancelled() != asio::cancellation_type::none) {
      if (!cancelled_set_.exchange(true)) cancelled_.set_value();
      co_return to_call_tool_result(ToolError{"cancelled", "The call was cancelled."});
    }
  }
  co_return json::object{{"content", json::array{{{"type", "text"}, {"text", mode}}}},
                         {"structuredContent", {{"mode", mode}, {"account", context.account}}},
                         {"isError", false}};
}

ToolRegistry make_test_registry(const HookTable& hooks) {
  const std::string text = json::serialize(json::object{
      {"name", "get_thing"},
      {"title", "Get Thing"},
      {"aliases", json::array{}},
      {"toolset", "things"},
      {"description", "A test tool."},
      {"annotations",
       {{"readOnlyHint", true}, {"destructiveHint", false}, {"idempotentHint", true}, {"openWorldHint", true}}},
      {"scopes", {"things:read"}},
      {"auth", "private_key"},
      {"request",
       {{"method", "GET"},
        {"path", "/api/things"},
        {"query", json::array{{{"param", "mode"}, {"arg", "mode"}, {"style", "plain"}}}}}},
      {"rate", {{"burst", 10}, {"steady", 150}}},
      {"preconditions", json::array{}},
      {"inputSchema",
       {{"type", "object"},
        {"properties", {{"mode", {{"type", "string"}, {"enum", {"echo", "progress", "block", "gate"}}}}}},
        {"required", {"mode"}},
        {"additionalProperties", false}}},
      {"response", {{"kind", "resource"}}},
  });
  const std::vector<EmbeddedSpec> files{EmbeddedSpec{"things/get_thing.json", text}};
  return ToolRegistry::load(files, hooks);
}

DispatchParts::DispatchParts()
    : hooks(make_standard_hooks()),
      registry(make_test_registry(hooks)),
      dispatcher(registry, runner, logger, clock, DispatcherOptions{}) {}

std::string initialize_request(const json::value& id, std::string_view version) {
  return request_text(id, "initialize",
                      {{"protocolVersion", version},
                       {"capabilities", json::object{}},
                       {"clientInfo", {{"name", "transport-test"}, {"version", "1"}}}});
}

std::string request_text(const json::value& id, std::string_view method, json::object params) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

std::string notification_text(std::string_view method, json::object params) {
  return json::serialize(jsonrpc::make_notification(method, std::move(params)));
}

std::string call_text(const json::value& id, std::string_view mode, std::optional<json::value> progress_token) {
  json::object params{{"name", "get_thing"}, {"arguments", {{"mode", mode}}}};
  if (progress_token) params["_meta"] = json::object{{"progressToken", *progress_token}};
  return request_text(id, "tools/call", std::move(params));
}

}  // namespace kmcp::test
