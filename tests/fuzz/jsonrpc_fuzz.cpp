// JSON-RPC message handling: each line of the input is one message to the dispatcher, in one
// session, with every shipped tool exposed and a runner that echoes arguments. Whatever the
// bytes, each request gets exactly one well-formed reply and nothing throws.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/core/clock.hpp"
#include "server/core/logger.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/pipeline/result_shaper.hpp"
#include "server/pipeline/tool_runner.hpp"
#include "tests/fuzz/fuzz_catalog.hpp"

namespace {
using namespace kmcp;

class EchoRunner final : public ToolRunner {
 public:
  asio::awaitable<json::object> call(const ToolSpec&, json::object arguments, CallContext) override {
    co_return call_tool_result(std::move(arguments));
  }
};

class DroppingSink final : public MessageSink {
 public:
  void send(json::object) override {}
};

// Checks the reply as a client receives it: written out, then read back.
void check_reply(const jsonrpc::Message& message, const std::optional<json::object>& reply) {
  const bool wants_reply = message.kind == jsonrpc::Message::Kind::request;
  if (wants_reply != reply.has_value() && message.kind != jsonrpc::Message::Kind::invalid) std::abort();
  if (!reply) return;
  const json::value written = json::parse(jsonrpc::serialize(*reply));
  const json::object& sent = written.as_object();
  if (!sent.contains("jsonrpc") || (sent.contains("result") == sent.contains("error"))) std::abort();
}

asio::awaitable<void> replay_lines(Dispatcher& dispatcher, std::string_view input) {
  McpSession session;
  DroppingSink sink;
  while (!input.empty()) {
    const auto newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    auto message = jsonrpc::parse(line);
    if (message.kind == jsonrpc::Message::Kind::invalid) continue;
    const auto copy = message;
    auto reply = co_await dispatcher.handle(std::move(message), session, sink);
    check_reply(copy, reply);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& catalog = kmcp::fuzz::catalog();
  std::ostringstream log;
  Logger logger(log, LogLevel::emergency);
  ManualClock clock;
  EchoRunner runner;
  Dispatcher dispatcher(catalog.registry, runner, logger, clock, DispatcherOptions{});
  asio::io_context io;
  asio::co_spawn(io, replay_lines(dispatcher, std::string_view(reinterpret_cast<const char*>(data), size)),
                 [](std::exception_ptr error) {
                   if (error) std::abort();
                 });
  io.run();
  return 0;
}

