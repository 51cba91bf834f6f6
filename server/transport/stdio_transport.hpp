#pragma once
// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. Nothing but protocol messages is
// written to stdout; one writer coroutine owns it.
#include <chrono>
#include <cstddef>
#include <memory>

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
  // How long drain() lets calls under way finish before cancelling them.
  std::chrono::milliseconds shutdown_grace{10000};
  // Once the last reply is queued, how long writing each line left for stdout may take: a
  // client that stopped reading must not keep the process alive, a slow reader still gets all.
  std::chrono::milliseconds flush_timeout{2000};
};

class StdioTransport {
 public:
  StdioTransport(asio::any_io_executor executor, Dispatcher& dispatcher, Logger& logger, StdioOptions options);
  // Serves until stdin closes (the client is gone: calls under way are cancelled at once),
  // drain() or stop(); returns once the replies are flushed, or dropped when a line waits flush_timeout.
  asio::awaitable<void> run();
  // Graceful shutdown (signal, any thread): stops reading, lets calls under way finish for up
  // to shutdown_grace, then cancels the rest.
  void drain();
  // Immediate shutdown (any thread), also during a drain: stops reading, cancels calls under way.
  void stop();
  // Whether the run is ending (drain(), stop(), end of stdin or a broken stdout).
  bool draining() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kmcp
