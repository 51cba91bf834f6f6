#pragma once
// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. Nothing but protocol messages is
// written to stdout; one writer coroutine owns it.
#include <cstddef>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"

namespace kmcp {

class Dispatcher;

struct StdioOptions {
  // Klaviyo accepts bodies up to 5 MB; leave room for the JSON-RPC envelope. Longer lines get
  // -32600 and are skipped.
  std::size_t max_line_bytes = 8 * 1024 * 1024;
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
