#pragma once
// Requests the server sends to its client (elicitation/create, sampling/createMessage) and the
// answers that come back as JSON-RPC responses on the same session. One table per session, used
// only from that session's strand: a waiting call and the message that answers it both run
// there, so no lock is needed.
#include <boost/system/result.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "server/core/json.hpp"
#include "server/mcp/message_sink.hpp"

namespace kmcp {

struct ClientRequestFailure {
  enum class Kind { error, timeout, cancelled };
  Kind kind = Kind::error;
  std::string message;  // the client's JSON-RPC error message, or what happened
};

class ClientRequests {
 public:
  // Sends `method` with `params` through `sink` and waits for the client's answer, at most
  // `timeout`. The result object, or why there is none. Cancelling the awaiting coroutine ends
  // the wait with Kind::cancelled (and tells the client, notifications/cancelled).
  asio::awaitable<boost::system::result<json::object, ClientRequestFailure>> request(MessageSink& sink,
                                                                                     std::string method,
                                                                                     json::object params,
                                                                                     std::chrono::milliseconds timeout);

  // A response from the client: true when it answers a request still waiting. `response` is the
  // whole message ({"id", "result"} or {"id", "error"}).
  bool answer(const json::value& id, const json::object& response);

  std::size_t waiting() const { return pending_.size(); }

 private:
  struct Pending;
  std::map<std::string, std::shared_ptr<Pending>> pending_;  // by serialized id
  std::uint64_t next_id_ = 1;
};

}  // namespace kmcp
