#pragma once
// A Dispatcher wired to a registry of inline specs, a scriptable fake runner, a recording sink,
// a manual clock and a real io_context run for bounded times.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "server/core/clock.hpp"
#include "server/core/logger.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/pipeline/tool_runner.hpp"
#include "server/registry/tool_registry.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

class RecordingSink final : public MessageSink {
 public:
  void send(json::object message) override { messages.push_back(std::move(message)); }
  std::vector<json::object> with_method(std::string_view method) const;
  std::vector<json::object> messages;
};

// What the fake runner does with a call.
enum class RunnerMode {
  echo,            // returns the arguments as structuredContent
  report,          // sends progress and log lines, then returns
  wait,            // waits on a one-hour timer; on cancellation returns a "cancelled" result
  wait_and_throw,  // the same, but lets operation_aborted escape
  throw_error,     // throws std::runtime_error (a runner bug)
};

class FakeRunner final : public ToolRunner {
 public:
  asio::awaitable<json::object> call(const ToolSpec& spec, json::object arguments, CallContext context) override;

  RunnerMode mode = RunnerMode::echo;
  int calls = 0;
  bool started = false;           // the current call is waiting on its timer
  bool saw_cancellation = false;  // the timer wait ended with operation_aborted
  bool had_progress = false;      // context.progress was set
  std::string last_tool;
  json::object last_arguments;
  SteadyTime last_deadline{};
};

// `count` specs named tool_000, tool_001, ... in toolset "things", each with alias old_tool_NNN.
std::vector<std::string> make_spec_texts(std::size_t count);
ToolRegistry make_registry(std::size_t count);

struct Harness {
  explicit Harness(std::size_t tool_count = 3, DispatcherOptions options = {});

  // Parses `text`, runs handle() to completion (bounded), returns its reply.
  std::optional<json::object> send(std::string_view text);

  // Starts handle() without waiting; the result lands in the returned slot once it completes.
  struct Pending {
    bool done = false;
    std::optional<json::object> reply;
    std::exception_ptr error;
  };
  std::shared_ptr<Pending> start(std::string_view text, asio::cancellation_slot slot = {});
  // Runs handlers that are ready now, without waiting for timers.
  void poll();
  // Runs until no work is left or the bound passes.
  void run(std::chrono::milliseconds bound = std::chrono::seconds(5));

  ManualClock clock;
  std::ostringstream log_text;
  Logger logger{log_text, LogLevel::debug};
  HookTable hooks;
  ToolRegistry registry;
  FakeRunner runner;
  Dispatcher dispatcher;
  McpSession session;
  RecordingSink sink;
  // Last, so it is destroyed first: a coroutine frame left behind by a failed test still finds
  // the session and sink it refers to.
  asio::io_context io;
};

std::string request(const json::value& id, std::string_view method, json::object params = {});
std::string notification(std::string_view method, json::object params = {});
int error_code(const std::optional<json::object>& reply);

}  // namespace kmcp::test
