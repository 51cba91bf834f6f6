#include "tests/unit/mcp/dispatcher_harness.hpp"

#include <cstdio>
#include <stdexcept>

#include "server/core/tool_error.hpp"
#include "server/mcp/jsonrpc.hpp"

namespace kmcp::test {

std::vector<json::object> RecordingSink::with_method(std::string_view method) const {
  std::vector<json::object> out;
  for (const auto& m : messages)
    if (const auto* v = m.if_contains("method"); v && v->is_string() && v->get_string() == method) out.push_back(m);
  return out;
}

asio::awaitable<json::object> FakeRunner::call(const ToolSpec& spec, json::object arguments, CallContext context) {
  ++calls;
  last_tool = spec.name;
  last_arguments = arguments;
  last_deadline = context.deadline;
  had_progress = static_cast<bool>(context.progress);
  switch (mode) {
    case RunnerMode::echo:
      break;
    case RunnerMode::report:
      if (context.progress) {
        context.progress(1, 3, "first page");
        context.progress(1, 3, "repeat");  // not an increase: dropped
        context.progress(2, std::nullopt, "");
      }
      if (context.log) {
        context.log(LogLevel::debug, {{"event", "detail"}});
        context.log(LogLevel::info, {{"event", "request_sent"}});
        context.log(LogLevel::error, {{"event", "upstream_failed"}, {"tool", "overridden"}});
      }
      break;
    case RunnerMode::wait:
    case RunnerMode::wait_and_throw: {
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
      started = true;
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      started = false;
      if (ec == asio::error::operation_aborted) {
        saw_cancellation = true;
        if (mode == RunnerMode::wait_and_throw) throw boost::system::system_error(ec);
        co_return to_call_tool_result(ToolError{"cancelled", "The call was cancelled."});
      }
      break;
    }
    case RunnerMode::throw_error:
      throw std::runtime_error("fake runner bug");
  }
  co_return json::object{{"content", json::array{{{"type", "text"}, {"text", "ok"}}}},
                         {"structuredContent", arguments},
                         {"isError", false}};
}

std::vector<std::string> make_spec_texts(std::size_t count) {
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "tool_%03zu", i);
    json::object spec{
        {"name", name},
        {"title", std::string("Tool ") + name},
        {"aliases", {std::string("old_") + name}},
        {"toolset", "things"},
        {"description", "A test tool that gets things."},
        {"annotations",
         {{"readOnlyHint", true}, {"destructiveHint", false}, {"idempotentHint", true}, {"openWorldHint", true}}},
        {"scopes", {"things:read"}},
        {"auth", "private_key"},
        {"request", {{"method", "GET"}, {"path", std::string("/api/things/") + name}}},
        {"rate", {{"burst", 10}, {"steady", 150}}},
        {"preconditions", json::array{}},
        {"inputSchema",
         {{"type", "object"},
          {"properties", {{"page_size", {{"type", "integer"}}}}},
          {"additionalProperties", false}}},
        {"response", {{"kind", "collection"}}},
    };
    // page_size must be used by the request to be a valid argument.
    spec["request"].as_object()["query"] = json::array{{{"param", "page[size]"}, {"arg", "page_size"}, {"style", "plain"}}};
    texts.push_back(json::serialize(spec));
  }
  return texts;
}

ToolRegistry make_registry(std::size_t count) {
  const std::vector<std::string> texts = make_spec_texts(count);
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < count; ++i) {
    char path[64];
    std::snprintf(path, sizeof path, "things/tool_%03zu.json", i);
    paths.emplace_back(path);
  }
  std::vector<EmbeddedSpec> files;
  for (std::size_t i = 0; i < count; ++i) files.push_back(EmbeddedSpec{paths[i], texts[i]});
  return ToolRegistry::load(files, HookTable{});
}

Harness::Harness(std::size_t tool_count, DispatcherOptions options)
    : registry(make_registry(tool_count)), dispatcher(registry, runner, logger, clock, std::move(options)) {}

std::optional<json::object> Harness::send(std::string_view text) {
  auto pending = start(text);
  run();
  REQUIRE(pending->done);
  if (pending->error) std::rethrow_exception(pending->error);
  return pending->reply;
}

std::shared_ptr<Harness::Pending> Harness::start(std::string_view text, asio::cancellation_slot slot) {
  auto pending = std::make_shared<Pending>();
  asio::co_spawn(io, dispatcher.handle(jsonrpc::parse(text), session, sink),
                 asio::bind_cancellation_slot(
                     slot, [pending](std::exception_ptr error, std::optional<json::object> reply) {
                       pending->done = true;
                       pending->error = error;
                       // As a transport writes it, read back: a result kept serialized
                       // (tools/list) becomes the JSON a client receives.
                       if (reply) reply = json::parse(jsonrpc::serialize(*reply)).as_object();
                       pending->reply = std::move(reply);
                     }));
  return pending;
}

void Harness::poll() {
  io.restart();
  io.poll();
}

void Harness::run(std::chrono::milliseconds bound) {
  io.restart();
  io.run_for(bound);
}

std::string request(const json::value& id, std::string_view method, json::object params) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

std::string notification(std::string_view method, json::object params) {
  return json::serialize(jsonrpc::make_notification(method, std::move(params)));
}

int error_code(const std::optional<json::object>& reply) {
  REQUIRE(reply.has_value());
  REQUIRE(reply->contains("error"));
  return static_cast<int>(reply->at("error").at("code").as_int64());
}

}  // namespace kmcp::test
