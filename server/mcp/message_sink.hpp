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
  // Whether the client reads what is sent here before the reply: false for an HTTP POST whose
  // client accepts only a plain JSON reply, where nothing but the response reaches it. A request
  // to the client (elicitation) sent there would only wait for its timeout.
  virtual bool delivers_before_reply() const { return true; }
};

}  // namespace kmcp
