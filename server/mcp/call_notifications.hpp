#pragma once
// The progress and log callbacks one tools/call hands its runner: notifications/progress (when
// the client sent a progressToken) and notifications/message (when logging/setLevel allows).
// The runner runs on the executor of the handle() that started it, so the callbacks need no lock.
#include <memory>
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/mcp/message_sink.hpp"
#include "server/pipeline/tool_runner.hpp"

namespace kmcp {

class CallNotifications {
 public:
  CallNotifications(MessageSink& sink, std::optional<json::value> progress_token,
                    std::optional<LogLevel> log_threshold, std::string logger_name, std::string tool);

  // Sets context.progress (only with a progress token) and context.log.
  void attach(CallContext& context) const;
  // The call is over: the client must see nothing more about it, and the sink may go away.
  void close();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kmcp
