#pragma once
// A MessageSink that serializes each message into a stream's outgoing queue, so whatever emits
// a notification never touches the stream itself.
#include "server/mcp/message_sink.hpp"
#include "server/transport/message_queue.hpp"

namespace kmcp {

class QueueSink final : public MessageSink {
 public:
  explicit QueueSink(MessageQueue& queue) : queue_(queue) {}
  void send(json::object message) override { queue_.push(json::serialize(message)); }

 private:
  MessageQueue& queue_;
};

}  // namespace kmcp
