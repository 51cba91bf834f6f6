#pragma once
// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. Nothing but protocol messages is
// written to stdout; one writer coroutine owns it.
#include <cstddef>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"

namespace kmcp {

class Dispatcher;

struct StdioOptions {
  std::size_t max_line_bytes = 4 * 1024 * 1024;  // longer lines get -32600 and are skipped
  int in_fd = 0;
  int out_fd = 1;
};

class StdioTransport {
 public:
  StdioTransport(asio::any_io_executor executor, Dispatcher& dispatcher, Logger& logger, StdioOptions options);
  // Serves until stdin closes, then cancels calls still under way and returns once their
  // replies are flushed (or dropped).
  asio::awaitable<void> run();
  // Stops reading (signal), cancelling calls under way.
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kmcp
