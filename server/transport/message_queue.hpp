#pragma once
// Outgoing protocol messages (already serialized) waiting for the one writer of a stream.
// push() never blocks and is safe from any thread; pop() is for that single writer.
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/transport/notifier.hpp"

namespace kmcp {

class MessageQueue {
 public:
  explicit MessageQueue(asio::any_io_executor executor) : ready_(std::move(executor)) {}

  // Queues one message; ignored once the queue is closed (its stream is gone or finished).
  // Returns whether it was queued.
  bool push(std::string message);
  // No more messages: pop() drains what is queued, then returns nullopt.
  void close();
  bool closed() const;

  // Waits for the next message; nullopt once closed and drained. Cancellable.
  asio::awaitable<std::optional<std::string>> pop();

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> items_;
  bool closed_ = false;
  Notifier ready_;
};

}  // namespace kmcp
