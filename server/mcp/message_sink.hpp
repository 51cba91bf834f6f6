#pragma once
// Where the server's own messages to one client go (notifications now; server-to-client
// requests later). Each transport implements it over its single writer per stream. send()
// never blocks: it queues.
#include "server/core/json.hpp"

namespace kmcp {

class MessageSink {
 public:
  virtual ~MessageSink() = default;
  virtual void send(json::object message) = 0;
};

}  // namespace kmcp
