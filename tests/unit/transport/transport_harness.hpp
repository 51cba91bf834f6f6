#pragma once
// What the transport tests share: a Dispatcher over a one-tool registry (standard hooks) with a
// scripted runner, and bounded waits. Each tool call's "mode" argument picks what the runner
// does, so one registry serves every scenario.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/logger.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/pipeline/tool_runner.hpp"
#include "server/registry/tool_registry.hpp"
#include "server/transport/notifier.hpp"
#include "tests/unit/transport/log_capture.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

inline constexpr std::chrono::seconds kBound{5};

// Thread-safe: HTTP runs calls on several threads while the test thread watches.
class ScriptedRunner final : public ToolRunner {
 public:
  // mode "echo": returns at once; "progress": reports progress, then returns; "block": waits
  // until cancelled (an hour at most); "gate": waits until open_gate() (one such call at a
  // time), or until cancelled.
  asio::awaitable<json::object> call(const ToolSpec& spec, json::object arguments, CallContext context) override;
  // Lets the waiting (or next) "gate" call return "gate".
  void open_gate() { gate_.notify(); }

  // Ready once a "block" or "gate" call is waiting / has seen its cancellation.
  std::shared_future<void> started() const { return started_future_; }
  std::shared_future<void> cancelled() const { return cancelled_future_; }
  int calls() const { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
  std::promise<void> started_;
  std::promise<void> cancelled_;
  std::shared_future<void> started_future_ = started_.get_future().share();
  std::shared_future<void> cancelled_future_ = cancelled_.get_future().share();
  std::atomic<bool> started_set_{false};
  std::atomic<bool> cancelled_set_{false};
  asio::io_context gate_context_;  // never run: the gate's waiter resumes on its own executor
  Notifier gate_{gate_context_.get_executor()};
};

// One tool, "get_thing", with a required "mode" argument.
ToolRegistry make_test_registry(const HookTable& hooks);

// The parts every transport test needs, in construction order.
struct DispatchParts {
  DispatchParts();
  LogCapture log_text;
  Logger logger{log_text, LogLevel::debug};
  ManualClock clock;
  HookTable hooks;
  ToolRegistry registry;
  ScriptedRunner runner;
  Dispatcher dispatcher;
};

// Runs `op` on `io` from this thread until it completes or `bound` passes (then nullopt).
template <class T>
std::optional<T> run_on(asio::io_context& io, asio::awaitable<T> op, std::chrono::milliseconds bound = kBound) {
  auto result = std::make_shared<std::optional<T>>();
  auto error = std::make_shared<std::exception_ptr>();
  asio::co_spawn(io, std::move(op), [result, error](std::exception_ptr e, T value) {
    *error = e;
    if (!e) *result = std::move(value);
  });
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!*result && !*error && io.run_one_until(deadline) != 0) {
  }
  if (*error) std::rethrow_exception(*error);
  return *result;
}

template <class Future>
bool ready_within(const Future& future, std::chrono::milliseconds bound = kBound) {
  return future.wait_for(bound) == std::future_status::ready;
}

// JSON-RPC texts.
std::string initialize_request(const json::value& id, std::string_view version = "2025-11-25");
std::string request_text(const json::value& id, std::string_view method, json::object params = {});
std::string notification_text(std::string_view method, json::object params = {});
std::string call_text(const json::value& id, std::string_view mode, std::optional<json::value> progress_token = {});

}  // namespace kmcp::test
