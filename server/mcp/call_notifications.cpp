#include "server/mcp/call_notifications.hpp"

#include "server/mcp/jsonrpc.hpp"

namespace kmcp {
namespace {
// Whole numbers as integers: Boost.JSON prints doubles as "1E0", which is valid but reads badly.
json::value number(double v) {
  if (v > -1e15 && v < 1e15 && v == static_cast<double>(static_cast<std::int64_t>(v))) return static_cast<std::int64_t>(v);
  return v;
}
}  // namespace

struct CallNotifications::State {
  MessageSink* sink;
  std::optional<json::value> progress_token;
  std::optional<LogLevel> log_threshold;  // read once: a setLevel during the call applies to the next
  std::string logger_name;
  std::string tool;
  std::optional<double> last_progress;
  bool open = true;
};

CallNotifications::CallNotifications(MessageSink& sink, std::optional<json::value> progress_token,
                                     std::optional<LogLevel> log_threshold, std::string logger_name,
                                     std::string tool)
    : state_(std::make_shared<State>(State{&sink, std::move(progress_token), log_threshold, std::move(logger_name),
                                           std::move(tool)})) {}

void CallNotifications::attach(CallContext& context) const {
  if (state_->progress_token) {
    context.progress = [state = state_](double progress, std::optional<double> total, std::string message) {
      // MCP wants progress to increase with each notification; a repeat or step back says nothing new.
      if (!state->open || (state->last_progress && progress <= *state->last_progress)) return;
      state->last_progress = progress;
      json::object params{{"progressToken", *state->progress_token}, {"progress", number(progress)}};
      if (total) params["total"] = number(*total);
      if (!message.empty()) params["message"] = std::move(message);
      state->sink->send(jsonrpc::make_notification("notifications/progress", std::move(params)));
    };
  }
  context.log = [state = state_](LogLevel level, json::object data) {
    if (!state->open || !state->log_threshold || level < *state->log_threshold) return;
    if (!data.contains("tool")) data["tool"] = state->tool;
    json::object params{{"level", to_string(level)}, {"logger", state->logger_name}, {"data", std::move(data)}};
    state->sink->send(jsonrpc::make_notification("notifications/message", std::move(params)));
  };
}

void CallNotifications::close() { state_->open = false; }

}  // namespace kmcp
